import { fail } from '../errno.js';
import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { hex, PAGE_SIZE, vmaWithRange, type Vma } from '../vma.js';

/**
 * __split_vma: cut vma at addr (strictly inside it) into two VMAs that share
 * everything; the upper one's pgoff is advanced. Unchecked: the caller
 * decides about max_map_count (munmap's and mmap's gather do not check).
 *
 *   VVVVVVVV  split at 3  =>  VVV VVVVV
 *   0123456789                (pgoff, pgoff+3)
 */
export function splitVmaUnchecked(w: MmWork, vma: Vma, addr: number): [Vma, Vma] {
  const lower = vmaWithRange(vma, vma.start, addr, vma.pgoff);
  const upper = vmaWithRange(vma, addr, vma.end, vma.pgoff + (addr - vma.start) / PAGE_SIZE);
  const pieces: [Vma, Vma] = [lower, upper];
  w.replaceAt(vma.start, 1, pieces);
  if (w.tracing) traceSplit(w, vma, addr);
  return pieces;
}

/** Made only when tracing, so that the closure is not built on every call. */
function traceSplit(w: MmWork, vma: Vma, addr: number): void {
  w.note('split', () => `split ${describe(vma)} at ${hex(addr)}`);
}

/** split_vma's limit: refused with ENOMEM at max_map_count (`pending` splits not yet linked count too). */
export function checkSplit(w: MmWork, vma: Vma, addr: number, pending: number): void {
  const count = w.mapCount + pending;
  if (count >= w.config.maxMapCount) {
    if (w.tracing) w.note('error', `cannot split ${describe(vma)} at ${hex(addr)}: map_count ${count} has reached max_map_count ${w.config.maxMapCount}`);
    fail('ENOMEM');
  }
}

/** split_vma: as above, but refused with ENOMEM at max_map_count. */
export function splitVma(w: MmWork, vma: Vma, addr: number): [Vma, Vma] {
  checkSplit(w, vma, addr, 0);
  return splitVmaUnchecked(w, vma, addr);
}
