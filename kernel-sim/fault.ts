import { flagsAnd, hasAny, VM_ACCESS_FLAGS, VM_GROWSDOWN, VM_HUGEPAGE, VM_HUGETLB, VM_MAYSHARE, VM_NOHUGEPAGE, VM_READ, VM_SPECIAL, VM_WRITE } from './flags.js';
import type { MmWork } from './mm-work.js';
import { describe, hex } from './mm-work.js';
import { anonVmaPrepare } from './vma-api/anon-vma.js';
import { PAGE_SIZE, type Vma } from './vma.js';

/** Effective mmap_min_addr (CONFIG_LSM_MMAP_MIN_ADDR is larger than the sysctl here). */
export const MMAP_MIN_ADDR = 65536;
export const STACK_GUARD_GAP = 256 * PAGE_SIZE;
export const RLIMIT_STACK = 8 * 1024 * 1024;
export const HPAGE_PMD_SIZE = 2 * 1024 * 1024;

export type FaultError = 'SIGSEGV' | 'SIGBUS';

export function isAccessible(v: Vma): boolean {
  return hasAny(v.flags, VM_ACCESS_FLAGS);
}

/** vma_is_anonymous: private anonymous memory (no file, no vm_ops). */
export function isPrivateAnon(v: Vma): boolean {
  return v.file === null && !hasAny(v.flags, VM_MAYSHARE);
}

function fileEndPage(w: MmWork, v: Vma): number | null {
  if (!v.file) return null;
  const f = w.files[v.file];
  if (!f) return null;
  return Math.ceil(f.size / PAGE_SIZE);
}

/** First address in [start, end) of v that lies past the end of its file, or null. */
function firstPastEof(w: MmWork, v: Vma, start: number, end: number): number | null {
  const endPage = fileEndPage(w, v);
  if (endPage === null) return null;
  const firstPageOfStart = v.pgoff + (start - v.start) / PAGE_SIZE;
  if (firstPageOfStart >= endPage) return start;
  const addr = v.start + (endPage - v.pgoff) * PAGE_SIZE;
  return addr < end ? addr : null;
}

/** Does a read fault somewhere in [start, end) map a huge zero page (which prepares an anon_vma)? */
function thpReadEligible(v: Vma, start: number, end: number): boolean {
  if (!isPrivateAnon(v)) return false;
  if (!hasAny(v.flags, VM_HUGEPAGE) || hasAny(v.flags, VM_NOHUGEPAGE) || hasAny(v.flags, VM_SPECIAL) || hasAny(v.flags, VM_HUGETLB)) return false;
  const hs = Math.ceil(v.start / HPAGE_PMD_SIZE) * HPAGE_PMD_SIZE;
  const he = Math.floor(v.end / HPAGE_PMD_SIZE) * HPAGE_PMD_SIZE;
  if (hs >= he) return false;
  return start < he && end > hs;
}

export interface FaultRangeResult {
  readonly vma: Vma;
  /** Address of the first page that failed, if any. */
  readonly failedAt: number | null;
  readonly error: FaultError | null;
}

/**
 * Fault in [start, end) of v (all inside v, access already allowed), page by
 * page, stopping at the first page that fails: a guard marker (SIGSEGV) or a
 * page past the end of the file (SIGBUS). Private memory gets an anon_vma
 * from a write fault (copy-on-write, prepared before the file page is even
 * looked at), or from a read fault that maps the huge zero page.
 */
export function faultRange(w: MmWork, v: Vma, start: number, end: number, write: boolean): FaultRangeResult {
  const guard = w.guards.firstIn(start, end);
  const eof = firstPastEof(w, v, start, end);
  let failedAt: number | null = null;
  let error: FaultError | null = null;
  if (guard !== null && (eof === null || guard <= eof)) {
    failedAt = guard;
    error = 'SIGSEGV';
  } else if (eof !== null) {
    failedAt = eof;
    error = 'SIGBUS';
  }
  const okEnd = failedAt ?? end;
  let vma = v;
  const privateMem = !hasAny(v.flags, VM_MAYSHARE);
  if (privateMem) {
    // A write fault on private memory prepares the anon_vma before anything
    // else, even on the page that then fails past EOF (do_cow_fault).
    const writeTouches = write && (okEnd > start || error === 'SIGBUS');
    if (writeTouches || (!write && okEnd > start && thpReadEligible(v, start, okEnd))) vma = anonVmaPrepare(w, v);
  }
  if (error) w.note('fault', () => `${error} at ${hex(failedAt!)} in ${describe(vma)}${error === 'SIGSEGV' ? ' (guard page)' : ' (past the end of the file)'}`);
  return { vma, failedAt, error };
}

/**
 * expand_downwards: grow a VM_GROWSDOWN VMA down to the page holding addr.
 * Returns the grown VMA, or null when the kernel refuses (the access then
 * faults). The anon_vma is prepared before the size limit is checked, so a
 * refused growth can still leave one behind.
 */
export function expandDownwards(w: MmWork, vma: Vma, addr: number): Vma | null {
  const address = addr - (addr % PAGE_SIZE);
  if (address < MMAP_MIN_ADDR) {
    w.note('fault', () => `stack growth to ${hex(address)} refused: below mmap_min_addr ${hex(MMAP_MIN_ADDR)}`);
    return null;
  }
  const prev = w.prevOf(vma);
  if (prev && !hasAny(prev.flags, VM_GROWSDOWN) && isAccessible(prev) && address - prev.end < STACK_GUARD_GAP) {
    w.note('fault', () => `stack growth to ${hex(address)} refused: ${describe(prev)} is closer than the stack guard gap`);
    return null;
  }
  const v = anonVmaPrepare(w, vma);
  const size = v.end - address;
  const grow = (v.start - address) / PAGE_SIZE;
  if (grow > v.pgoff || size > RLIMIT_STACK) {
    w.note('fault', () => `stack growth to ${hex(address)} refused: size ${size} exceeds RLIMIT_STACK`);
    return null;
  }
  const grown: Vma = { ...v, start: address, pgoff: v.pgoff - grow };
  w.update(v, grown);
  w.note('expand', () => `stack ${describe(v)} grew down to ${describe(grown)}`);
  return grown;
}

/**
 * A user-space access to one byte at addr (the `touch` command): find or
 * grow the VMA, check the access, fault the page.
 */
export function userAccess(w: MmWork, addr: number, write: boolean): FaultError | null {
  let vma = w.find(addr);
  if (!vma) {
    const above = w.findFrom(addr);
    if (!above || !hasAny(above.flags, VM_GROWSDOWN)) {
      w.note('fault', () => `SIGSEGV at ${hex(addr)}: no VMA`);
      return 'SIGSEGV';
    }
    const grown = expandDownwards(w, above, addr);
    if (!grown) return 'SIGSEGV';
    vma = grown;
  }
  const allowed = write ? hasAny(vma.flags, VM_WRITE) : isAccessible(vma);
  if (!allowed) {
    w.note('fault', () => `SIGSEGV at ${hex(addr)}: ${write ? 'write' : 'read'} not allowed in ${describe(vma)}`);
    return 'SIGSEGV';
  }
  const page = addr - (addr % PAGE_SIZE);
  return faultRange(w, vma, page, page + PAGE_SIZE, write).error;
}

/** Will GUP use a write fault for this VMA (private and writable)? */
export function populateWrites(v: Vma): boolean {
  return flagsAnd(v.flags, VM_WRITE | VM_MAYSHARE) === VM_WRITE;
}

export function isReadable(v: Vma): boolean {
  return hasAny(v.flags, VM_READ);
}
