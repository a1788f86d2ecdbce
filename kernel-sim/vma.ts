import type { VmFlags } from './flags.js';

/** Page size of the simulated machine (x86-64, 4 KiB pages). */
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

/**
 * One VMA. Immutable: every change makes a new object, so states of the past
 * can share the VMAs they did not change.
 */
export interface Vma {
  /** First byte, page aligned. */
  readonly start: number;
  /** One past the last byte, page aligned, > start. */
  readonly end: number;
  /** Page offset: file offset / PAGE_SIZE, or the creation address / PAGE_SIZE for private anonymous memory. */
  readonly pgoff: number;
  readonly flags: VmFlags;
  /** Id of the open file description (a key of SimState.files), or null. */
  readonly file: string | null;
  /** Id of the anon_vma, or null when the VMA has none. */
  readonly anonVma: string | null;
  /**
   * The anon_vma chain, oldest first, when the VMA has an anon_vma. A chain
   * longer than one marks a fork-child VMA. Empty when anonVma is null.
   */
  readonly anonVmaChain: readonly string[];
  /** Anonymous VMA name (prctl PR_SET_VMA_ANON_NAME), or null. */
  readonly anonName: string | null;
  /** vm_ops->close present: the VMA may never be removed by a merge. */
  readonly hasClose: boolean;
}

export function vmaPages(v: Pick<Vma, 'start' | 'end'>): number {
  return (v.end - v.start) / PAGE_SIZE;
}

/** A fork-child VMA: its anon_vma chain links more than its own anon_vma. */
export function isForkChild(v: Vma): boolean {
  return v.anonVmaChain.length > 1;
}

export function pageAligned(addr: number): boolean {
  return addr % PAGE_SIZE === 0;
}

export function hex(n: number): string {
  // toString(16) of a number above 2^31 takes V8's slow path for doubles;
  // two small integers print several times faster.
  if (n < 0x1000000 || !Number.isSafeInteger(n)) return '0x' + n.toString(16);
  const hi = Math.floor(n / 0x1000000);
  return '0x' + hi.toString(16) + ((n - hi * 0x1000000) | 0x1000000).toString(16).slice(1);
}

export function rangeString(start: number, end: number): string {
  return `${hex(start)}-${hex(end)}`;
}

/**
 * A copy of v with a new range and pgoff. Written out field by field: object
 * spread is several times slower on the simulator's hot paths.
 */
export function vmaWithRange(v: Vma, start: number, end: number, pgoff: number): Vma {
  return { start, end, pgoff, flags: v.flags, file: v.file, anonVma: v.anonVma, anonVmaChain: v.anonVmaChain, anonName: v.anonName, hasClose: v.hasClose };
}

/** The empty list of VMAs: one shared array where an operation has none to hand back. */
export const NO_VMAS: readonly Vma[] = [];

/**
 * What a merge or an expansion makes of the VMA it keeps: v with a new
 * range, pgoff and flags, and the anon_vma (and chain) of `anonFrom`.
 */
export function vmaMerged(v: Vma, start: number, end: number, pgoff: number, flags: number, anonFrom: Vma): Vma {
  return { start, end, pgoff, flags, file: v.file, anonVma: anonFrom.anonVma, anonVmaChain: anonFrom.anonVmaChain, anonName: v.anonName, hasClose: v.hasClose };
}

/** A copy of v with new flags. */
export function vmaWithFlags(v: Vma, flags: number): Vma {
  return { start: v.start, end: v.end, pgoff: v.pgoff, flags, file: v.file, anonVma: v.anonVma, anonVmaChain: v.anonVmaChain, anonName: v.anonName, hasClose: v.hasClose };
}
