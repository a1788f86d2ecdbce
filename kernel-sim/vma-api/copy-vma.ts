import { isPrivateAnon } from '../fault.js';
import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { PAGE_SIZE, type Vma } from '../vma.js';
import { newMergeStruct, type VmaMergeStruct } from './merge-struct.js';
import { vmaMergeNewRange } from './vma-merge-new.js';

export interface CopyVmaResult {
  /** The VMA now holding [addr, addr+len). */
  readonly newVma: Vma;
  /** The source VMA, which a merge with itself may have grown. */
  readonly source: Vma;
  readonly vmg: VmaMergeStruct;
}

/**
 * copy_vma: make [addr, addr+len) a copy of vma (for mremap), merging it
 * with the neighbours there when they are compatible (vma_merge_copied_range,
 * where the moved VMA's anon_vma and the fork-child rule come in).
 *
 * Assumes: [addr, addr+len) is free.
 *
 * An untouched private anonymous VMA is rebased: its copy's pgoff becomes
 * addr / PAGE_SIZE, so it can merge at the destination, even with itself
 * when the destination borders the source:
 *
 *   SSSS....  copy to the right of itself  =>  SSSSSSSS (one VMA, then the
 *                                               caller unmaps the old part)
 */
export function copyVma(w: MmWork, vma: Vma, addr: number, len: number, pgoff: number, failPrealloc = false): CopyVmaResult | null {
  if (isPrivateAnon(vma) && !vma.anonVma) pgoff = addr / PAGE_SIZE;
  const end = addr + len;
  const vmg = newMergeStruct({
    prev: w.prevBefore(addr),
    next: w.findFrom(end),
    start: addr,
    end,
    pgoff,
    flags: vma.flags,
    file: vma.file,
    anonVma: vma.anonVma,
    anonVmaChain: vma.anonVmaChain,
    anonName: vma.anonName,
    copiedFrom: vma,
    failPrealloc,
  });
  const merged = vmaMergeNewRange(w, vmg);
  if (merged) {
    const source = merged.start <= vma.start && vma.start < merged.end ? merged : w.find(vma.start) ?? vma;
    return { newVma: merged, source, vmg };
  }
  if (vmg.state === 'nomem' || failPrealloc) {
    vmg.state = 'nomem';
    return null;
  }
  const copy: Vma = { ...vma, start: addr, end, pgoff };
  w.insert(copy);
  w.note('insert', () => `copy of ${describe(vma)} made at ${describe(copy)}${copy.anonVma ? ` sharing anon_vma ${copy.anonVma}` : ''}`);
  return { newVma: copy, source: w.find(vma.start) ?? vma, vmg };
}
