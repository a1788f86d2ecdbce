import type { VmFlags } from '../flags.js';
import { NO_VMAS, type Vma } from '../vma.js';

/**
 * The kernel's struct vma_merge_struct: a proposed range with the attributes
 * it would have, its neighbours, and, after a merge attempt, the outcome.
 */
export interface VmaMergeStruct {
  prev: Vma | undefined;
  /** The VMA being modified (existing-range merges); undefined for a new range. */
  middle: Vma | undefined;
  next: Vma | undefined;
  start: number;
  end: number;
  pgoff: number;
  flags: VmFlags;
  file: string | null;
  anonVma: string | null;
  /** anon_vma chain that goes with anonVma (for a copy, the source's). */
  anonVmaChain: readonly string[];
  anonName: string | null;
  /** For mremap's copy: the VMA being moved. */
  copiedFrom: Vma | undefined;
  /** Only prev may be expanded (brk; the kernel's just_expand). */
  justExpand: boolean;
  /** Injected allocation failure (the tests' fail_prealloc). */
  failPrealloc: boolean;
  /** Outcome of the last attempt. */
  state: 'nomerge' | 'success' | 'nomem';
  /** After success: the VMA that survived. */
  target: Vma | undefined;
  /** After success: the VMAs removed by the merge. */
  removed: readonly Vma[];
  /** After success: how the target's anon_vma was chosen. */
  anonVmaOutcome: 'kept' | 'duplicated' | 'none';
}

const EMPTY_CHAIN: readonly string[] = [];
export function newMergeStruct(init: Partial<VmaMergeStruct> & Pick<VmaMergeStruct, 'start' | 'end' | 'pgoff' | 'flags'>): VmaMergeStruct {
  // Field by field rather than a spread: this runs on every merge attempt.
  return {
    prev: init.prev,
    middle: init.middle,
    next: init.next,
    start: init.start,
    end: init.end,
    pgoff: init.pgoff,
    flags: init.flags,
    file: init.file ?? null,
    anonVma: init.anonVma ?? null,
    anonVmaChain: init.anonVmaChain ?? EMPTY_CHAIN,
    anonName: init.anonName ?? null,
    copiedFrom: init.copiedFrom,
    justExpand: init.justExpand ?? false,
    failPrealloc: init.failPrealloc ?? false,
    state: init.state ?? 'nomerge',
    target: init.target,
    removed: init.removed ?? NO_VMAS,
    anonVmaOutcome: init.anonVmaOutcome ?? 'none',
  };
}
