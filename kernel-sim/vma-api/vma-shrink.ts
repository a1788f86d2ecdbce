import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { PAGE_SIZE, type Vma } from '../vma.js';

/**
 * vma_shrink: vma becomes exactly [start, end), which shares its start or
 * its end; pgoff advances by the pages cut from the front.
 *
 *   VVVVVVVV  =>  VVVVV      or      VVVVV
 */
export function vmaShrink(w: MmWork, vma: Vma, start: number, end: number): Vma {
  const shrunk: Vma = { ...vma, start, end, pgoff: vma.pgoff + (start - vma.start) / PAGE_SIZE };
  w.update(vma, shrunk);
  w.clearGuards(vma.start, start);
  w.clearGuards(end, vma.end);
  w.note('shrink', () => `${describe(vma)} shrunk to ${describe(shrunk)}`);
  return shrunk;
}
