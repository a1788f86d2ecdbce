import type { VmFlags } from '../flags.js';
import { fail } from '../errno.js';
import type { MmWork } from '../mm-work.js';
import type { Vma } from '../vma.js';
import { hex, PAGE_SIZE, vmaMerged, vmaWithRange } from '../vma.js';
import { newMergeStruct } from './merge-struct.js';
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
export function vmaModify(w: MmWork, prev: Vma | undefined, vma: Vma, start: number, end: number, change: VmaModifyChange): Vma {
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
  // The merged VMA's flags are the requested ones plus retained sticky bits.
  if (merged) return merged;
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
  const midPgoff = vma.pgoff + (start - vma.start) / PAGE_SIZE;
  const changed: Vma =
    anonName === vma.anonName ? vmaMerged(vma, start, end, midPgoff, change.flags, vma) : { ...vmaWithRange(vma, start, end, midPgoff), flags: change.flags, anonName };
  const low = needLow ? vmaWithRange(vma, vma.start, start, vma.pgoff) : null;
  const high = needHigh ? vmaWithRange(vma, end, vma.end, vma.pgoff + (end - vma.start) / PAGE_SIZE) : null;
  w.replaceAt(vma.start, 1, low === null ? (high === null ? [changed] : [changed, high]) : high === null ? [low, changed] : [low, changed, high]);
  if (w.tracing) traceSplits(w, vma, needLow ? start : null, needHigh ? end : null);
  return changed;
}

/** Made only when tracing, so that the closures are not built on every call. */
function traceSplits(w: MmWork, vma: Vma, low: number | null, high: number | null): void {
  if (low !== null) w.note('split', () => `split ${describe(vma)} at ${hex(low)}`);
  if (high !== null) {
    const from = low ?? vma.start;
    w.note('split', () => `split ${describe(vmaWithRange(vma, from, vma.end, vma.pgoff + (from - vma.start) / PAGE_SIZE))} at ${hex(high)}`);
  }
}
