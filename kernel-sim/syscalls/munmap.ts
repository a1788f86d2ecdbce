import { fail } from '../errno.js';
import type { MmWork } from '../mm-work.js';
import { doVmiAlignMunmap } from '../vma-api/munmap-range.js';
import { PAGE_SIZE } from '../vma.js';
import { offsetInPage, pageAlign, pageAlignSmall, TASK_SIZE, TASK_SIZE_BIG } from './u64.js';

/** munmap(2): do_vmi_munmap. Unmapping nothing is fine; munmap never merges. */
export function sysMunmap(w: MmWork, addr: bigint, len: bigint): number {
  if (addr <= TASK_SIZE_BIG && len <= TASK_SIZE_BIG) {
    // The same checks in number arithmetic (exact: both are below 2^47).
    const start = Number(addr);
    const length = Number(len);
    if (start % PAGE_SIZE !== 0 || length > TASK_SIZE - start || length === 0) fail('EINVAL');
    doVmiAlignMunmap(w, start, start + pageAlignSmall(length));
    return 0;
  }
  if (offsetInPage(addr) || addr > TASK_SIZE_BIG || len > TASK_SIZE_BIG - addr) fail('EINVAL');
  const alen = pageAlign(len);
  if (alen === 0n) fail('EINVAL');
  doVmiAlignMunmap(w, Number(addr), Number(addr + alen));
  return 0;
}
