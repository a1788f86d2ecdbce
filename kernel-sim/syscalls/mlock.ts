import { fail } from '../errno.js';
import { flagsAndNot, flagsOr, hasAny, VM_DROPPABLE, VM_HUGETLB, VM_LOCKED, VM_LOCKED_MASK, VM_LOCKONFAULT, VM_SPECIAL, type VmFlags } from '../flags.js';
import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { mmPopulate } from '../populate.js';
import { vmaModify } from '../vma-api/vma-modify.js';
import type { Vma } from '../vma.js';
import { pageAlign, U64 } from './u64.js';

/** mlock_fixup: special, hugetlb and droppable VMAs are skipped silently; a no-op does nothing. */
function mlockFixup(w: MmWork, prev: Vma | undefined, vma: Vma, start: number, end: number, newflags: VmFlags): Vma {
  const old = vma.flags;
  if (newflags === old || hasAny(old, VM_SPECIAL | VM_HUGETLB | VM_DROPPABLE)) return vma;
  return vmaModify(w, prev, vma, start, end, { flags: newflags });
}

/**
 * apply_vma_lock_flags: walk [start, end) like mprotect (a hole stops it with
 * ENOMEM, earlier VMAs keep their change), replacing lo/lf by `flags`.
 */
function applyVmaLockFlags(w: MmWork, start: number, end: number, flags: VmFlags): void {
  let vma = w.find(start);
  if (!vma) fail('ENOMEM');
  let prev: Vma | undefined = start > vma.start ? vma : w.prevOf(vma);
  let nstart = start;
  let tmp = vma.start;
  let cur: Vma | undefined = vma;
  while (cur && cur.start < end) {
    if (cur.start !== tmp) {
      w.note('error', () => `hole before ${describe(cur!)}`);
      fail('ENOMEM');
    }
    const newflags = flagsOr(flagsAndNot(cur.flags, VM_LOCKED_MASK), flags);
    const done = mlockFixup(w, prev, cur, nstart, Math.min(cur.end, end), newflags);
    prev = done;
    tmp = nstart = done.end;
    cur = w.findFrom(tmp);
  }
  if (tmp < end) fail('ENOMEM');
}

function lockRange(addr: bigint, len: bigint): { start: number; end: number } | null {
  const off = addr & 4095n;
  const alen = pageAlign((len + off) % U64);
  const start = addr - off;
  const end = start + alen;
  if (end >= U64) throw new Error('unreachable: validated by caller');
  return alen === 0n ? null : { start: Number(start), end: Number(end) };
}

/** mlock(2) / mlock2(2): lock the range, then populate it; populate errors map EFAULT→ENOMEM, ENOMEM→EAGAIN. */
export function sysMlock(w: MmWork, addr: bigint, len: bigint, onfault: boolean): number {
  const off = addr & 4095n;
  const alen = pageAlign((len + off) % U64);
  const startBig = addr - off;
  if (startBig + alen >= U64) fail('EINVAL');
  const r = lockRange(addr, len);
  if (!r) return 0;
  applyVmaLockFlags(w, r.start, r.end, onfault ? VM_LOCKED | VM_LOCKONFAULT : VM_LOCKED);
  const err = mmPopulate(w, r.start, r.end, false);
  if (err === 'EFAULT') fail('ENOMEM');
  if (err === 'ENOMEM') fail('EAGAIN');
  if (err) fail(err);
  return 0;
}

/** munlock(2). */
export function sysMunlock(w: MmWork, addr: bigint, len: bigint): number {
  const off = addr & 4095n;
  const alen = pageAlign((len + off) % U64);
  if (addr - off + alen >= U64) fail('EINVAL');
  const r = lockRange(addr, len);
  if (!r) return 0;
  applyVmaLockFlags(w, r.start, r.end, 0);
  return 0;
}
