import type { Prot } from '../../commands/ast.js';
import { fail } from '../errno.js';
import {
  flagsAndNot, flagsOr, hasAny, VM_ACCESS_FLAGS, VM_ACCOUNT, VM_HUGETLB, VM_LOCKED, VM_NORESERVE, VM_SEALED, VM_SHARED, VM_WRITE,
  flagsAnd, type VmFlags,
} from '../flags.js';
import { isPrivateAnon } from '../fault.js';
import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { populateVmaPageRange } from '../populate.js';
import { vmaModify } from '../vma-api/vma-modify.js';
import { PAGE_SIZE, type Vma } from '../vma.js';
import { chargeOrFail } from './accounting.js';
import { protToFlags } from './mmap.js';
import { EXACT_SUM_BIG, MAX_SAFE_BIG, offsetInPage, pageAlign, pageAlignSmall, U64 } from './u64.js';

/**
 * The VM_MAY* bit that must be present for each requested access bit
 * (VM_MAYREAD is VM_READ << 4, and so on).
 */
function mayBitsMissing(newflags: VmFlags): boolean {
  const access = flagsAnd(newflags, VM_ACCESS_FLAGS);
  const may = flagsAnd(newflags, VM_ACCESS_FLAGS * 16) / 16;
  return flagsAndNot(access, may) !== 0;
}

/**
 * mprotect_fixup: apply newflags to [start, end) of vma. A no-op change does
 * nothing at all (no split, no merge). Returns the VMA now holding the range.
 */
function mprotectFixup(w: MmWork, prev: Vma | undefined, vma: Vma, start: number, end: number, requested: VmFlags): Vma {
  if (hasAny(vma.flags, VM_SEALED)) {
    if (w.tracing) w.note('error', `${describe(vma)} is sealed`);
    fail('EPERM');
  }
  const oldflags = vma.flags;
  let newflags = requested;
  if (newflags === oldflags) return vma;
  if (hasAny(newflags, VM_WRITE)) {
    if (!hasAny(oldflags, VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE)) {
      chargeOrFail(w, (end - start) / PAGE_SIZE);
      newflags = flagsOr(newflags, VM_ACCOUNT);
    }
  } else if (hasAny(oldflags, VM_ACCOUNT) && isPrivateAnon(vma) && !vma.anonVma) {
    newflags = flagsAndNot(newflags, VM_ACCOUNT);
  }
  const modified = vmaModify(w, prev, vma, start, end, { flags: newflags });
  let result = modified;
  if (flagsAnd(oldflags, VM_WRITE | VM_SHARED | VM_LOCKED) === VM_LOCKED && hasAny(newflags, VM_WRITE)) {
    populateVmaPageRange(w, result, start, end);
    result = w.find(start)!;
  }
  return result;
}

/** mprotect(2): do_mprotect_pkey without keys. Stops at the first hole or error, keeping earlier changes. */
export function sysMprotect(w: MmWork, addrBig: bigint, lenBig: bigint, prot: Prot): number {
  let start: number;
  let end: number;
  if (addrBig < EXACT_SUM_BIG && lenBig < EXACT_SUM_BIG) {
    // The checks below in number arithmetic: no overflow is possible.
    start = Number(addrBig);
    if (start % PAGE_SIZE !== 0) fail('EINVAL');
    if (lenBig === 0n) return 0;
    end = start + pageAlignSmall(Number(lenBig));
  } else {
    if (offsetInPage(addrBig)) fail('EINVAL');
    if (lenBig === 0n) return 0;
    const alen = pageAlign(lenBig);
    const endBig = addrBig + alen;
    if (endBig >= U64 || endBig <= addrBig) fail('ENOMEM');
    start = Number(addrBig);
    end = endBig > MAX_SAFE_BIG ? Number.MAX_SAFE_INTEGER : Number(endBig);
  }

  let vma = w.findIntersection(start, end);
  if (!vma) fail('ENOMEM');
  if (vma.start > start) fail('ENOMEM');
  let prev: Vma | undefined = start > vma.start ? vma : w.prevOf(vma);
  let tmp = vma.start;
  let nstart = start;
  const reqFlags = protToFlags(prot);
  let cur: Vma | undefined = vma;
  while (cur && cur.start < end) {
    if (cur.start !== tmp) {
      if (w.tracing) w.note('error', `hole before ${describe(cur)}`);
      fail('ENOMEM');
    }
    const newflags = flagsOr(reqFlags, flagsAndNot(cur.flags, VM_ACCESS_FLAGS));
    if (mayBitsMissing(newflags)) fail('EACCES');
    const done = mprotectFixup(w, prev, cur, nstart, Math.min(cur.end, end), newflags);
    prev = done;
    // Go on from the end of the VMA now holding the range (a merge may have grown it).
    // Once that reaches the end, the next VMA starts beyond it: no need to fetch it.
    tmp = nstart = done.end;
    cur = tmp < end ? w.findFrom(tmp) : undefined;
  }
  if (tmp < end) fail('ENOMEM');
  return 0;
}
