import type { VmFlags } from '../flags.js';
import { fail } from '../errno.js';
import type { MmWork } from '../mm-work.js';
import type { Vma } from '../vma.js';
import { hex, PAGE_SIZE, vmaWithFlags, vmaWithRange } from '../vma.js';
import { newMergeStruct, type VmaMergeStruct } from './merge-struct.js';
import { vmaMergeExistingRange } from './vma-merge-existing.js';
import { checkSplit, splitVma } from './vma-split.js';
import { describe } from '../mm-work.js';

export interface VmaModifyChange {
  readonly flags: VmFlags;
  readonly anonName?: string | null;
  readonly failPrealloc?: boolean;
}

/**
 * vma_modify: give [start, end) of vma new attributes. First try to merge the
 * range into a neighbour (vma_merge_existing_range); failing that, split it
 * out of vma (at start, then at end; a first split that succeeded stays when
 * the second fails). Returns the VMA now holding the range, with the new
 * attributes written (vma_modify_flags plus the caller's flag update, so the
 * sticky bits a merge kept are not lost).
 *
 * Assumes: vma contains [start, end); prev is the VMA before vma, or vma
 * itself when start lies inside it.
 */
export function vmaModify(w: MmWork, prev: Vma | undefined, vma: Vma, start: number, end: number, change: VmaModifyChange): { vma: Vma; vmg: VmaMergeStruct } {
  const anonName = change.anonName === undefined ? vma.anonName : change.anonName;
  const vmg = newMergeStruct({
    prev,
    middle: vma,
    start,
    end,
    pgoff: vma.pgoff + (start - vma.start) / PAGE_SIZE,
    flags: change.flags,
    file: vma.file,
    anonVma: vma.anonVma,
    anonVmaChain: vma.anonVmaChain,
    anonName,
    failPrealloc: change.failPrealloc ?? false,
  });
  const merged = vmaMergeExistingRange(w, vmg);
  if (merged) {
    // The merged VMA's flags are the requested ones plus retained sticky bits.
    return { vma: merged, vmg };
  }
  if (vmg.state === 'nomem') fail('ENOMEM');
  // Split [start, end) out of vma: at start, then at end, each refused at
  // max_map_count (a first split that worked stays when the second fails).
  // The pieces are computed first and linked with one update of the index.
  const needLow = vma.start < start;
  const needHigh = vma.end > end;
  if (needLow) checkSplit(w, vma, start, 0);
  if (needHigh && w.mapCount + (needLow ? 1 : 0) >= w.config.maxMapCount) {
    if (needLow) splitVma(w, vma, start);
    checkSplit(w, vma, end, 0);
  }
  const pieces: Vma[] = [];
  if (needLow) pieces.push(vmaWithRange(vma, vma.start, start, vma.pgoff));
  const midPgoff = vma.pgoff + (start - vma.start) / PAGE_SIZE;
  const mid = vmaWithRange(vma, start, end, midPgoff);
  const changed: Vma = anonName === mid.anonName ? vmaWithFlags(mid, change.flags) : { ...mid, flags: change.flags, anonName };
  pieces.push(changed);
  if (needHigh) pieces.push(vmaWithRange(vma, end, vma.end, vma.pgoff + (end - vma.start) / PAGE_SIZE));
  w.replace([vma], pieces);
  if (needLow) w.note('split', () => `split ${describe(vma)} at ${hex(start)}`);
  if (needHigh) w.note('split', () => `split ${describe(vmaWithRange(vma, start, vma.end, midPgoff))} at ${hex(end)}`);
  return { vma: changed, vmg };
}
