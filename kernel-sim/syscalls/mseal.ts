import { fail } from '../errno.js';
import { flagsOr, hasAny, VM_SEALED } from '../flags.js';
import type { MmWork } from '../mm-work.js';
import { vmaModify } from '../vma-api/vma-modify.js';
import type { Vma } from '../vma.js';
import { offsetInPage, pageAlign, U64 } from './u64.js';

/** mseal(2): all or nothing for holes; then each unsealed VMA piece gets `sl` through vma_modify. */
export function sysMseal(w: MmWork, addrBig: bigint, lenBig: bigint): number {
  if (offsetInPage(addrBig)) fail('EINVAL');
  const alen = pageAlign(lenBig);
  if (lenBig !== 0n && alen === 0n) fail('EINVAL');
  const endBig = addrBig + alen;
  if (endBig >= U64) fail('EINVAL');
  if (endBig === addrBig) return 0;
  const start = Number(addrBig);
  const end = Number(endBig);
  let prevEnd = start;
  for (const v of w.range(start, end)) {
    if (v.start > prevEnd) fail('ENOMEM');
    prevEnd = v.end;
  }
  if (prevEnd < end) fail('ENOMEM');

  let vma: Vma | undefined = w.find(start)!;
  let prev: Vma | undefined = start > vma.start ? vma : w.prevOf(vma);
  let currStart = start;
  while (vma && vma.start < end) {
    const currEnd = Math.min(vma.end, end);
    if (hasAny(vma.flags, VM_SEALED)) {
      prev = vma;
      currStart = currEnd;
      vma = w.nextOf(vma);
      continue;
    }
    prev = vmaModify(w, prev, vma, currStart, currEnd, { flags: flagsOr(vma.flags, VM_SEALED) });
    currStart = currEnd;
    // After a change the walk resumes at currEnd: a merge into the next VMA
    // is found again (already sealed, so skipped), as the kernel's iterator does.
    vma = w.findFrom(currEnd);
  }
  return 0;
}
