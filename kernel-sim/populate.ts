import { fail, type Errno } from './errno.js';
import { hasAny, VM_IO, VM_LOCKONFAULT, VM_PFNMAP, VM_READ, VM_WRITE } from './flags.js';
import type { MmWork } from './mm-work.js';
import { faultRange, isAccessible, populateWrites } from './fault.js';
import type { Vma } from './vma.js';

/**
 * populate_vma_page_range: fault in [start, end) of one VMA as GUP does for
 * mlock and MAP_POPULATE: write faults for private writable memory, read
 * faults otherwise (forced where the VMA is accessible at all). Returns
 * EFAULT when a page could not be faulted (PROT_NONE, guard, past EOF).
 * Lock-on-fault VMAs are skipped.
 */
export function populateVmaPageRange(w: MmWork, vma: Vma, start: number, end: number): Errno | null {
  if (hasAny(vma.flags, VM_LOCKONFAULT)) return null;
  if (!isAccessible(vma)) return 'EFAULT';
  const r = faultRange(w, vma, start, end, populateWrites(vma));
  return r.error ? 'EFAULT' : null;
}

/**
 * __mm_populate: populate every VMA meeting [start, end) in order. With
 * ignoreErrors (mmap) a failing VMA is skipped; without (mlock) the first
 * failure ends the walk and is returned.
 */
export function mmPopulate(w: MmWork, start: number, end: number, ignoreErrors: boolean): Errno | null {
  let nstart = start;
  while (nstart < end) {
    const vma = w.findIntersection(nstart, end);
    if (!vma) break;
    const nend = Math.min(end, vma.end);
    if (!hasAny(vma.flags, VM_IO | VM_PFNMAP)) {
      const from = Math.max(nstart, vma.start);
      const err = populateVmaPageRange(w, vma, from, nend);
      if (err && !ignoreErrors) return err;
    }
    nstart = nend;
  }
  return null;
}

/**
 * MADV_POPULATE_READ / MADV_POPULATE_WRITE: fault [start, end) in from the
 * start, without FOLL_FORCE, stopping at the first problem: a hole (ENOMEM),
 * a VMA that does not allow the access (EINVAL), a page that faults (EFAULT).
 */
export function madvisePopulate(w: MmWork, start: number, end: number, write: boolean): void {
  let addr = start;
  while (addr < end) {
    const vma = w.find(addr);
    if (!vma) fail('ENOMEM');
    if (hasAny(vma.flags, VM_IO | VM_PFNMAP)) fail('EINVAL');
    if (write ? !hasAny(vma.flags, VM_WRITE) : !hasAny(vma.flags, VM_READ)) fail('EINVAL');
    const to = Math.min(end, vma.end);
    const r = faultRange(w, vma, addr, to, write);
    if (r.error) fail('EFAULT');
    addr = to;
  }
}
