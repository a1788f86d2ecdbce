import { flagsAndNot, flagsOr, flagsToMnemonics, flagsXor, hasAny, VM_ACCESS_FLAGS, VM_MAYBE_GUARD, VM_SOFTDIRTY, VM_SPECIAL, type VmFlags } from '../flags.js';
import type { SimConfig } from '../state.js';
import { isForkChild, vmaPages, type Vma } from '../vma.js';
import type { VmaMergeStruct } from './merge-struct.js';

/**
 * Mergeability: the kernel's is_mergeable_vma, is_mergeable_anon_vma and
 * can_vma_merge_{before,after}. Each test returns the list of reasons it
 * fails (empty: compatible), so that a refused merge can be explained.
 */

/** Flags ignored when comparing for a merge and kept by the merge result (VM_IGNORE_MERGE). */
export function stickyFlags(config: SimConfig): VmFlags {
  return config.softDirty ? VM_MAYBE_GUARD | VM_SOFTDIRTY : VM_MAYBE_GUARD;
}

function flagReasons(a: VmFlags, b: VmFlags, ignore: VmFlags): string[] {
  const diff = flagsAndNot(flagsXor(a, b), ignore);
  if (diff === 0) return [];
  return [`flags differ: ${flagsToMnemonics(diff).join(' ')}`];
}

/** is_mergeable_vma: everything but anon_vma and pgoff. */
export function mergeableVmaReasons(vmg: VmaMergeStruct, tgt: Vma, config: SimConfig): string[] {
  const reasons = flagReasons(tgt.flags, vmg.flags, stickyFlags(config));
  if (tgt.file !== vmg.file) reasons.push(tgt.file && vmg.file ? 'different file' : 'file and anonymous memory');
  if (tgt.anonName !== vmg.anonName) reasons.push('anon names differ');
  return reasons;
}

/** is_mergeable_anon_vma, with the 6.18 fork-child rule. */
export function mergeableAnonVmaReasons(vmg: VmaMergeStruct, tgt: Vma): string[] {
  const tgtAv = tgt.anonVma;
  const srcAv = vmg.anonVma;
  if (!tgtAv && srcAv) {
    if (vmg.middle && isForkChild(vmg.middle))
      return [`the modified VMA is a fork child (anon_vma chain ${vmg.middle.anonVmaChain.join('>')}): its anon_vma may not pass to a neighbour`];
    if (vmg.copiedFrom && isForkChild(vmg.copiedFrom))
      return [`the moved VMA is a fork child (anon_vma chain ${vmg.copiedFrom.anonVmaChain.join('>')}): its anon_vma may not pass to a neighbour`];
    return [];
  }
  if (tgtAv && !srcAv) {
    return isForkChild(tgt) ? [`the neighbour is a fork child (anon_vma chain ${tgt.anonVmaChain.join('>')})`] : [];
  }
  if (tgtAv !== srcAv) return [`anon_vma differs (${tgtAv} vs ${srcAv})`];
  return [];
}

/** can_vma_merge_after: may the proposal be appended to prev? */
export function mergeAfterReasons(vmg: VmaMergeStruct, prev: Vma, config: SimConfig): string[] {
  const reasons = mergeableVmaReasons(vmg, prev, config);
  reasons.push(...mergeableAnonVmaReasons(vmg, prev));
  if (prev.pgoff + vmaPages(prev) !== vmg.pgoff)
    reasons.push(`pgoff not contiguous (prev ends at pgoff ${prev.pgoff + vmaPages(prev)}, range has ${vmg.pgoff})`);
  return reasons;
}

/** can_vma_merge_before: may the proposal be prepended to next? */
export function mergeBeforeReasons(vmg: VmaMergeStruct, next: Vma, config: SimConfig): string[] {
  const reasons = mergeableVmaReasons(vmg, next, config);
  reasons.push(...mergeableAnonVmaReasons(vmg, next));
  const want = vmg.pgoff + (vmg.end - vmg.start) / 4096;
  if (next.pgoff !== want) reasons.push(`pgoff not contiguous (range ends at pgoff ${want}, next has ${next.pgoff})`);
  return reasons;
}

/** When both sides merge, prev and next must not carry different anon_vmas. */
export function prevNextAnonReasons(prev: Vma, next: Vma): string[] {
  if (!prev.anonVma || !next.anonVma || prev.anonVma === next.anonVma) return [];
  return [`prev and next have different anon_vmas (${prev.anonVma} vs ${next.anonVma})`];
}

export function isSpecial(flags: VmFlags): boolean {
  return hasAny(flags, VM_SPECIAL);
}

/**
 * anon_vma_compatible: may b reuse a's anon_vma (or a b's) on first fault?
 * Flags may differ only in access bits and the merge-ignored bits.
 */
export function anonVmaCompatible(a: Vma, b: Vma, config: SimConfig): boolean {
  return (
    a.end === b.start &&
    a.file === b.file &&
    flagsAndNot(flagsXor(a.flags, b.flags), flagsOr(VM_ACCESS_FLAGS, stickyFlags(config))) === 0 &&
    b.pgoff === a.pgoff + vmaPages(a)
  );
}

/** Fast checks with the same answers as the reason lists above (empty list = true). */
export function canMergeAfter(vmg: VmaMergeStruct, prev: Vma, config: SimConfig): boolean {
  return (
    flagsAndNot(flagsXor(prev.flags, vmg.flags), stickyFlags(config)) === 0 &&
    prev.file === vmg.file &&
    prev.anonName === vmg.anonName &&
    mergeableAnonVmaReasons(vmg, prev).length === 0 &&
    prev.pgoff + vmaPages(prev) === vmg.pgoff
  );
}

export function canMergeBefore(vmg: VmaMergeStruct, next: Vma, config: SimConfig): boolean {
  return (
    flagsAndNot(flagsXor(next.flags, vmg.flags), stickyFlags(config)) === 0 &&
    next.file === vmg.file &&
    next.anonName === vmg.anonName &&
    mergeableAnonVmaReasons(vmg, next).length === 0 &&
    next.pgoff === vmg.pgoff + (vmg.end - vmg.start) / 4096
  );
}
