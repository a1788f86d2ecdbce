import { fail } from '../errno.js';
import { hasAny, VM_SEALED } from '../flags.js';
import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { hex, NO_VMAS, PAGE_SIZE, rangeString, vmaWithRange, type Vma } from '../vma.js';
import { splitVmaUnchecked } from './vma-split.js';

/**
 * vms_gather_munmap_vmas: make [start, end) VMA-aligned by splitting the
 * first and last VMAs it meets, and return the VMAs inside it. Holes are
 * skipped. Splits use the unchecked __split_vma; the only map_count check is
 * for an unmap that would cut one VMA in three.
 *
 * Failure (sealed VMA, map_count) throws; a split already made at start stays.
 */
export function gatherMunmapVmas(w: MmWork, start: number, end: number): readonly Vma[] {
  let first = w.findIntersection(start, end);
  if (!first) return NO_VMAS;
  if (start > first.start) {
    if (end < first.end && w.mapCount >= w.config.maxMapCount) {
      // Error lines are written out at once: a closure here would be built on every call.
      if (w.tracing) w.note('error', `unmapping the middle of ${describe(first)} needs a split, but map_count ${w.mapCount} is at max_map_count`);
      fail('ENOMEM');
    }
    if (hasAny(first.flags, VM_SEALED)) {
      if (w.tracing) w.note('error', `${describe(first)} is sealed`);
      fail('EPERM');
    }
    first = splitVmaUnchecked(w, first, start)[1];
  }
  const gathered: Vma[] = [];
  let v: Vma | undefined = first;
  while (v && v.start < end) {
    if (hasAny(v.flags, VM_SEALED)) {
      if (w.tracing) w.note('error', `${describe(v)} is sealed: cannot unmap ${hex(start)}-${hex(end)}`);
      fail('EPERM');
    }
    if (v.end > end) v = splitVmaUnchecked(w, v, end)[0];
    gathered.push(v);
    v = w.nextOf(v);
  }
  return gathered;
}

/** Remove gathered VMAs and the page-table state (guard markers) of [start, end). */
export function completeMunmap(w: MmWork, vmas: readonly Vma[], start: number, end: number): void {
  if (vmas.length > 0) {
    w.replace(vmas, []);
    if (w.tracing) traceRemoved(w, vmas);
  }
  w.clearGuards(start, end);
}

/** Made only when tracing, so that the closure is not built on every call. */
function traceRemoved(w: MmWork, vmas: readonly Vma[]): void {
  w.note('remove', () => `removed ${vmas.map(describe).join(', ')}`);
}

/** do_vmi_align_munmap on an already validated, page-aligned range. */
export function doVmiAlignMunmap(w: MmWork, start: number, end: number): void {
  const first = w.findIntersection(start, end);
  if (first !== undefined && first.start <= start && end <= first.end && !hasAny(first.flags, VM_SEALED)) {
    const cutInThree = start > first.start && end < first.end;
    if (!(cutInThree && w.mapCount >= w.config.maxMapCount)) return unmapInside(w, first, start, end);
  }
  completeMunmap(w, gatherMunmapVmas(w, start, end), start, end);
}

/**
 * The unmap of a range inside one VMA that gathering would let through (not
 * sealed, map_count allows the cut): what gather and complete do, the splits
 * at start and end then the removal of the middle, done as one update that
 * links the pieces left. Three updates of the index and a middle VMA made
 * only to be dropped become one; the outcome and the trace are the same.
 */
function unmapInside(w: MmWork, vma: Vma, start: number, end: number): void {
  const low = start > vma.start ? vmaWithRange(vma, vma.start, start, vma.pgoff) : null;
  const high = end < vma.end ? vmaWithRange(vma, end, vma.end, vma.pgoff + (end - vma.start) / PAGE_SIZE) : null;
  w.replaceAt(vma.start, 1, low === null ? (high === null ? NO_VMAS : [high]) : high === null ? [low] : [low, high]);
  if (w.tracing) traceUnmappedInside(w, vma, start, end);
  w.clearGuards(start, end);
}

/** The lines gather's splits and complete's removal would have written. */
function traceUnmappedInside(w: MmWork, vma: Vma, start: number, end: number): void {
  if (start > vma.start) w.note('split', () => `split ${describe(vma)} at ${hex(start)}`);
  if (end < vma.end) w.note('split', () => `split ${rangeString(start, vma.end)} at ${hex(end)}`);
  w.note('remove', () => `removed ${rangeString(start, end)}`);
}
