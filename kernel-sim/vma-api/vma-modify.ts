import type { VmFlags } from '../flags.js';
import { fail } from '../errno.js';
import type { MmWork } from '../mm-work.js';
import type { Vma } from '../vma.js';
import { PAGE_SIZE, vmaWithFlags } from '../vma.js';
import { newMergeStruct, type VmaMergeStruct } from './merge-struct.js';
import { vmaMergeExistingRange } from './vma-merge-existing.js';
import { splitVma } from './vma-split.js';

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
  let piece = vma;
  if (piece.start < start) piece = splitVma(w, piece, start)[1];
  if (piece.end > end) piece = splitVma(w, piece, end)[0];
  const changed: Vma = anonName === piece.anonName ? vmaWithFlags(piece, change.flags) : { ...piece, flags: change.flags, anonName };
  w.update(piece, changed);
  return { vma: changed, vmg };
}
