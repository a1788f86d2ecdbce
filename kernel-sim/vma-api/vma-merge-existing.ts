import { flagsAnd, flagsOr } from '../flags.js';
import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { NO_VMAS, PAGE_SIZE, rangeString, vmaMerged, vmaWithRange, type Vma } from '../vma.js';
import { canMergeAfter, canMergeBefore, isSpecial, prevNextAnonReasons, stickyFlags } from './compat.js';
import type { VmaMergeStruct } from './merge-struct.js';
import { SPECIAL_REASONS, traceNextRefused, tracePrevRefused } from './merge-trace.js';

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
  vmg.state = 'nomerge';

  if (isSpecial(vmg.flags)) {
    if (w.tracing) w.note('no-merge', `${rangeString(start, end)} is special (VM_SPECIAL): never merged`, SPECIAL_REASONS);
    return undefined;
  }
  if (!leftSide && !rightSide) {
    if (w.tracing) traceNeitherEdge(w, vmg);
    return undefined;
  }

  let mergeLeft = false;
  if (leftSide && prev && prev !== middle && prev.end === start) {
    mergeLeft = canMergeAfter(vmg, prev, w.config);
    if (!mergeLeft && w.tracing) tracePrevRefused(w, vmg, prev);
  }
  let mergeRight = false;
  let next: Vma | undefined;
  if (rightSide) {
    next = w.nextOf(middle);
    vmg.next = next;
    if (next && next.start === end) {
      mergeRight = canMergeBefore(vmg, next, w.config) && (!mergeLeft || prevNextAnonReasons(prev!, next).length === 0);
      if (!mergeRight && w.tracing) traceNextRefused(w, vmg, next, mergeLeft);
    }
  }
  if (!mergeLeft && !mergeRight) return undefined;

  const removeMiddle = leftSide && rightSide;
  if (removeMiddle && middle.hasClose) {
    if (w.tracing) w.note('no-merge', `${describe(middle)} has a close hook and would be removed: no merge`, ['the modified VMA has vm_ops->close']);
    return undefined;
  }
  if (mergeLeft && mergeRight && next!.hasClose) {
    mergeRight = false;
    if (w.tracing) w.note('no-merge', `next ${describe(next!)} has a close hook and may not be removed: merging with prev only`, ['next has vm_ops->close']);
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

  let target: Vma;
  let removed: readonly Vma[];
  let caseName: string;
  if (mergeLeft && mergeRight) {
    caseName = 'prev, middle and next';
    const anon = anonVmaSource(w, vmg, prev!, next!.anonVma ? next! : middle);
    target = vmaMerged(prev!, prev!.start, next!.end, prev!.pgoff, flagsOr(prev!.flags, sticky), anon);
    removed = [middle, next!];
    w.replace([prev!, middle, next!], [target]);
  } else if (mergeLeft) {
    const anon = anonVmaSource(w, vmg, prev!, middle);
    target = vmaMerged(prev!, prev!.start, end, prev!.pgoff, flagsOr(prev!.flags, sticky), anon);
    if (removeMiddle) {
      caseName = 'middle into prev';
      removed = [middle];
      w.replace([prev!, middle], [target]);
    } else {
      caseName = 'left part of middle into prev';
      removed = NO_VMAS;
      const rest = vmaWithRange(middle, end, middle.end, middle.pgoff + (end - middle.start) / PAGE_SIZE);
      w.replace([prev!, middle], [target, rest]);
    }
  } else {
    const pglen = (end - start) / PAGE_SIZE;
    const anon = anonVmaSource(w, vmg, next!, middle);
    target = vmaMerged(next!, start, next!.end, next!.pgoff - pglen, flagsOr(next!.flags, sticky), anon);
    if (removeMiddle) {
      caseName = 'middle into next';
      removed = [middle];
      w.replace([middle, next!], [target]);
    } else {
      caseName = 'right part of middle into next';
      removed = NO_VMAS;
      const rest = vmaWithRange(middle, middle.start, start, middle.pgoff);
      w.replace([middle, next!], [rest, target]);
    }
  }
  if (w.tracing) traceMerged(w, vmg, caseName, target, removed);
  vmg.state = 'success';
  vmg.target = target;
  vmg.removed = removed;
  return target;
}

/** dup_anon_vma: the VMA whose anon_vma `dst` ends up with (src's when dst has none). */
function anonVmaSource(w: MmWork, vmg: VmaMergeStruct, dst: Vma, src: Vma): Vma {
  if (!dst.anonVma && src.anonVma) {
    vmg.anonVmaOutcome = 'duplicated';
    if (w.tracing) traceAnonVmaTaken(w, dst, src);
    return src;
  }
  vmg.anonVmaOutcome = dst.anonVma ? 'kept' : 'none';
  return dst;
}

// The trace's lines, made only when tracing: a closure in the functions above,
// even one never built, would have the variables it captures allocated on
// every call.

function traceAnonVmaTaken(w: MmWork, dst: Vma, src: Vma): void {
  w.note('anon_vma', () => `${describe(dst)} takes anon_vma ${src.anonVma} from ${describe(src)}`);
}

function traceNeitherEdge(w: MmWork, vmg: VmaMergeStruct): void {
  const { start, end, middle } = vmg;
  w.note('no-merge', () => `${rangeString(start, end)} touches neither edge of ${describe(middle!)}: no merge possible`, ['the range touches neither edge of the VMA']);
}

function traceMerged(w: MmWork, vmg: VmaMergeStruct, caseName: string, target: Vma, removed: readonly Vma[]): void {
  const { start, end } = vmg;
  w.note('merge', () => `${rangeString(start, end)} merged (${caseName}): now ${describe(target)}${removed.length ? `; removed ${removed.map(describe).join(', ')}` : ''}`);
}
