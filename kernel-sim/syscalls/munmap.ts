import { fail } from '../errno.js';
import type { MmWork } from '../mm-work.js';
import { doVmiAlignMunmap } from '../vma-api/munmap-range.js';
import { offsetInPage, pageAlign, TASK_SIZE_BIG } from './u64.js';

/** munmap(2): do_vmi_munmap. Unmapping nothing is fine; munmap never merges. */
export function sysMunmap(w: MmWork, addr: bigint, len: bigint): number {
  if (offsetInPage(addr) || addr > TASK_SIZE_BIG || len > TASK_SIZE_BIG - addr) fail('EINVAL');
  const alen = pageAlign(len);
  if (alen === 0n) fail('EINVAL');
  doVmiAlignMunmap(w, Number(addr), Number(addr + alen));
  return 0;
}
