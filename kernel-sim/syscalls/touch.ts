import { fail } from '../errno.js';
import { faultRange, userAccess } from '../fault.js';
import type { MmWork } from '../mm-work.js';
import { PAGE_SIZE } from '../vma.js';
import { TASK_SIZE, U64 } from './u64.js';

/**
 * `touch`: one user access per page meeting [addr, addr+len). The first
 * fault ends it (SIGSEGV or SIGBUS); pages touched before stay touched.
 * Within one VMA every page behaves alike up to the first guard or EOF page,
 * so each run of pages in a VMA is faulted at once.
 */
export function sysTouch(w: MmWork, addrBig: bigint, lenBig: bigint | null, write: boolean): number {
  if (lenBig === 0n) return 0;
  let lastByte = lenBig === null ? addrBig : addrBig + lenBig - 1n;
  if (lastByte >= U64) lastByte = U64 - 1n;
  const firstPage = addrBig - (addrBig % 4096n);
  const lastPage = lastByte - (lastByte % 4096n);
  if (firstPage >= BigInt(TASK_SIZE)) fail('SIGSEGV');
  const last = lastPage >= BigInt(TASK_SIZE) ? TASK_SIZE : Number(lastPage);
  let page = Number(firstPage);
  while (page <= last) {
    if (page >= TASK_SIZE) fail('SIGSEGV');
    // The first page of a run finds (or grows) the VMA and checks the access.
    const err = userAccess(w, page, write);
    if (err) fail(err);
    const vma = w.find(page)!;
    const runEnd = Math.min(vma.end, last + PAGE_SIZE);
    if (runEnd > page + PAGE_SIZE) {
      const r = faultRange(w, vma, page + PAGE_SIZE, runEnd, write);
      if (r.error) fail(r.error);
    }
    page = runEnd;
  }
  return 0;
}
