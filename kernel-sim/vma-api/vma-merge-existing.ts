import { flagsAnd, flagsOr } from '../flags.js';
import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { PAGE_SIZE, rangeString, vmaWithRange, type Vma } from '../vma.js';
import { canMergeAfter, canMergeBefore, isSpecial, mergeAfterReasons, mergeBeforeReasons, prevNextAnonReasons, stickyFlags } from './compat.js';
import type { VmaMergeStruct } from './merge-struct.js';

/**
 * vma_merge_existing_range: [vmg.start, vmg.end) of vmg.middle is to get
 * vmg.flags (or another attribute); merge it into prev and/or next if they
 * are compatible. On success the range belongs to the returned VMA;
 * otherwise nothing changed and the caller splits.
 *
 * Assumes: the range lies within middle; vmg.prev is the VMA before middle
 * (or middle itself when the range starts inside it, which rules out a left
 * merge); vmg.next is ignored and looked up here.
 *
 *          range                   cases:
 *     |<---------->|               whole middle, both:  prev absorbs middle and next
 *   PPPP MMMMMMMMMM NNNN           whole middle, left:  prev absorbs middle
 *                                  whole middle, right: next absorbs middle
 *                                  left part, left:     prev grows, middle shrinks
 *                                  right part, right:   next grows down, middle shrinks
 *
 * A range that touches neither edge of middle never merges. Middle with a
 * close hook is never removed (no merge); a next with one degrades the
 * three-way case to the left merge.
 */
export function vmaMergeExistingRange(w: MmWork, vmg: VmaMergeStruct): Vma | undefined {
  const middle = vmg.middle!;
  const prev = vmg.prev;
  const start = vmg.start;
  const end = vmg.end;
  const leftSide = start === middle.start;
  const rightSide = end === middle.end;
  const range = () => rangeString(start, end);
  vmg.state = 'nomerge';

  if (isSpecial(vmg.flags)) {
    w.note('no-merge', () => `${range()} is special (VM_SPECIAL): never merged`, ['special mapping (VM_SPECIAL: io, de, pf or mm)']);
    return undefined;
  }
  if (!leftSide && !rightSide) {
    w.note('no-merge', () => `${range()} touches neither edge of ${describe(middle)}: no merge possible`, ['the range touches neither edge of the VMA']);
    return undefined;
  }

  let mergeLeft = false;
  if (leftSide && prev && prev !== middle && prev.end === start) {
    mergeLeft = canMergeAfter(vmg, prev, w.config);
    if (!mergeLeft) {
      const at = { ...vmg };
      w.note('no-merge', () => `prev ${describe(prev)} does not merge with ${range()}`, () => mergeAfterReasons(at, prev, w.config));
    }
  }
  let mergeRight = false;
  let next: Vma | undefined;
  if (rightSide) {
    next = w.nextOf(middle);
    vmg.next = next;
    if (next && next.start === end) {
      const nx = next;
      mergeRight = canMergeBefore(vmg, nx, w.config) && (!mergeLeft || prevNextAnonReasons(prev!, nx).length === 0);
      if (!mergeRight) {
        const at = { ...vmg };
        const both = mergeLeft;
        w.note('no-merge', () => `next ${describe(nx)} does not merge with ${range()}`, () => {
          const reasons = mergeBeforeReasons(at, nx, w.config);
          return reasons.length || !both ? reasons : prevNextAnonReasons(prev!, nx);
        });
      }
    }
  }
  if (!mergeLeft && !mergeRight) return undefined;

  const removeMiddle = leftSide && rightSide;
  if (removeMiddle && middle.hasClose) {
    w.note('no-merge', () => `${describe(middle)} has a close hook and would be removed: no merge`, ['the modified VMA has vm_ops->close']);
    return undefined;
  }
  if (mergeLeft && mergeRight && next!.hasClose) {
    mergeRight = false;
    w.note('no-merge', () => `next ${describe(next!)} has a close hook and may not be removed: merging with prev only`, ['next has vm_ops->close']);
  }
  if (vmg.failPrealloc) {
    vmg.state = 'nomem';
    w.note('error', 'preallocation failed: nothing changed');
    return undefined;
  }

  const stickyMask = stickyFlags(w.config);
  let sticky = flagsAnd(vmg.flags, stickyMask);
  if (mergeRight) sticky = flagsOr(sticky, flagsAnd(next!.flags, stickyMask));
  if (mergeLeft) sticky = flagsOr(sticky, flagsAnd(prev!.flags, stickyMask));

  /** dup_anon_vma: dst takes src's anon_vma when it has none. */
  const dup = (dst: Vma, src: Vma): Pick<Vma, 'anonVma' | 'anonVmaChain'> => {
    if (!dst.anonVma && src.anonVma) {
      vmg.anonVmaOutcome = 'duplicated';
      w.note('anon_vma', () => `${describe(dst)} takes anon_vma ${src.anonVma} from ${describe(src)}`);
      return { anonVma: src.anonVma, anonVmaChain: src.anonVmaChain };
    }
    vmg.anonVmaOutcome = dst.anonVma ? 'kept' : 'none';
    return { anonVma: dst.anonVma, anonVmaChain: dst.anonVmaChain };
  };

  let target: Vma;
  const removed: Vma[] = [];
  let caseName: string;
  if (mergeLeft && mergeRight) {
    caseName = 'prev, middle and next';
    target = { ...prev!, ...dup(prev!, next!.anonVma ? next! : middle), end: next!.end, flags: flagsOr(prev!.flags, sticky) };
    removed.push(middle, next!);
    w.replace([prev!, middle, next!], [target]);
  } else if (mergeLeft) {
    target = { ...prev!, ...dup(prev!, middle), end, flags: flagsOr(prev!.flags, sticky) };
    if (removeMiddle) {
      caseName = 'middle into prev';
      removed.push(middle);
      w.replace([prev!, middle], [target]);
    } else {
      caseName = 'left part of middle into prev';
      const rest = vmaWithRange(middle, end, middle.end, middle.pgoff + (end - middle.start) / PAGE_SIZE);
      w.replace([prev!, middle], [target, rest]);
    }
  } else {
    const pglen = (end - start) / PAGE_SIZE;
    target = { ...next!, ...dup(next!, middle), start, pgoff: next!.pgoff - pglen, flags: flagsOr(next!.flags, sticky) };
    if (removeMiddle) {
      caseName = 'middle into next';
      removed.push(middle);
      w.replace([middle, next!], [target]);
    } else {
      caseName = 'right part of middle into next';
      const rest = vmaWithRange(middle, middle.start, start, middle.pgoff);
      w.replace([middle, next!], [rest, target]);
    }
  }
  w.note('merge', () => `${range()} merged (${caseName}): now ${describe(target)}${removed.length ? `; removed ${removed.map(describe).join(', ')}` : ''}`);
  vmg.state = 'success';
  vmg.target = target;
  vmg.removed = removed;
  return target;
}
