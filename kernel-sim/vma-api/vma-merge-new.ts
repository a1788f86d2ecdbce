import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { rangeString, type Vma } from '../vma.js';
import { canMergeAfter, canMergeBefore, isSpecial, prevNextAnonReasons } from './compat.js';
import type { VmaMergeStruct } from './merge-struct.js';
import { SPECIAL_REASONS, traceNextRefused, tracePrevRefused } from './merge-trace.js';
import { vmaExpand } from './vma-expand.js';

/**
 * vma_merge_new_range: try to place the new range [vmg.start, vmg.end) by
 * growing an adjacent VMA instead of creating one.
 *
 * Assumes: nothing is mapped in the range; vmg.prev / vmg.next are the VMAs
 * just below and above it (adjacent or not).
 *
 *        ****             ****            ****             ****
 *   PPPP      NNNN   PPPP                     NNNN    PPPP      NNNN
 *   both merge:      prev only:        next only:      none (a new VMA follows)
 *   PPPPPPPPPPPPPP   PPPPPPPP               NNNNNNNN
 *
 * A next VMA with a close hook is never removed: the case degrades to
 * prev-only. With justExpand only prev may grow (brk, mremap's extend).
 */
export function vmaMergeNewRange(w: MmWork, vmg: VmaMergeStruct): Vma | undefined {
  const prev = vmg.prev;
  const next = vmg.next;
  vmg.state = 'nomerge';
  const r0 = vmg.start;
  const r1 = vmg.end;
  if (isSpecial(vmg.flags)) {
    if (w.tracing) w.note('no-merge', `${rangeString(r0, r1)} is a special mapping (VM_SPECIAL): never merged`, SPECIAL_REASONS);
    return undefined;
  }
  if (!prev && !next) return undefined;

  let canLeft = false;
  if (prev && prev.end === vmg.start) {
    canLeft = canMergeAfter(vmg, prev, w.config);
    if (!canLeft && w.tracing) tracePrevRefused(w, vmg, prev);
  }
  let canRight = false;
  if (!vmg.justExpand && next && vmg.end === next.start) {
    canRight = canMergeBefore(vmg, next, w.config) && (!canLeft || prevNextAnonReasons(prev!, next).length === 0);
    if (!canRight && w.tracing) traceNextRefused(w, vmg, next, canLeft);
  }

  const wantedEnd = vmg.end;
  if (canRight) {
    vmg.end = next!.end;
    vmg.target = next;
  }
  if (canLeft) {
    vmg.start = prev!.start;
    vmg.target = prev;
    vmg.pgoff = prev!.pgoff;
    if (canRight && next!.hasClose) {
      vmg.end = wantedEnd;
      canRight = false;
      if (w.tracing) w.note('no-merge', `next ${describe(next!)} has a close hook and may not be removed: merging with prev only`, ['next has vm_ops->close']);
    }
  }
  if (!vmg.target) return undefined;
  const beforeVma = vmg.target;
  const merged = vmaExpand(w, vmg);
  if (merged && w.tracing) traceMerged(w, r0, r1, canLeft && canRight ? 'prev and next' : canLeft ? 'prev' : 'next', beforeVma, merged);
  return merged;
}

/** Made only when tracing, so that the closure is not built on every call. */
function traceMerged(w: MmWork, r0: number, r1: number, kind: string, before: Vma, merged: Vma): void {
  w.note('merge', () => `new range ${rangeString(r0, r1)} merged with ${kind}: ${describe(before)} became ${describe(merged)}`);
}
