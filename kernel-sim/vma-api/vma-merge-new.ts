import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { rangeString, type Vma } from '../vma.js';
import { canMergeAfter, canMergeBefore, isSpecial, mergeAfterReasons, mergeBeforeReasons, prevNextAnonReasons } from './compat.js';
import type { VmaMergeStruct } from './merge-struct.js';
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
  const { prev, next } = vmg;
  vmg.state = 'nomerge';
  const r0 = vmg.start;
  const r1 = vmg.end;
  const range = () => rangeString(r0, r1);
  if (isSpecial(vmg.flags)) {
    w.note('no-merge', () => `${range()} is a special mapping (VM_SPECIAL): never merged`, ['special mapping (VM_SPECIAL: io, de, pf or mm)']);
    return undefined;
  }
  if (!prev && !next) return undefined;

  let canLeft = false;
  if (prev && prev.end === vmg.start) {
    canLeft = canMergeAfter(vmg, prev, w.config);
    if (!canLeft) {
      const at = { ...vmg };
      w.note('no-merge', () => `prev ${describe(prev)} does not merge with ${range()}`, () => mergeAfterReasons(at, prev, w.config));
    }
  }
  let canRight = false;
  if (!vmg.justExpand && next && vmg.end === next.start) {
    canRight = canMergeBefore(vmg, next, w.config) && (!canLeft || prevNextAnonReasons(prev!, next).length === 0);
    if (!canRight) {
      const at = { ...vmg };
      const both = canLeft;
      w.note('no-merge', () => `next ${describe(next)} does not merge with ${range()}`, () => {
        const reasons = mergeBeforeReasons(at, next, w.config);
        return reasons.length || !both ? reasons : prevNextAnonReasons(prev!, next);
      });
    }
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
      w.note('no-merge', () => `next ${describe(next!)} has a close hook and may not be removed: merging with prev only`, ['next has vm_ops->close']);
    }
  }
  if (!vmg.target) return undefined;
  const kind = canLeft && canRight ? 'prev and next' : canLeft ? 'prev' : 'next';
  const beforeVma = vmg.target;
  const merged = vmaExpand(w, vmg);
  if (merged) w.note('merge', () => `new range ${range()} merged with ${kind}: ${describe(beforeVma)} became ${describe(merged)}`);
  return merged;
}
