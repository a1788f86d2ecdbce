import type { Advice } from '../../commands/ast.js';
import { fail, SysError } from '../errno.js';
import { anonNameProblem } from '../sim-limits.js';
import {
  flagsAndNot, flagsOr, hasAny, VM_DONTCOPY, VM_DONTDUMP, VM_DROPPABLE, VM_HUGEPAGE, VM_HUGETLB, VM_IO, VM_LOCKED,
  VM_MAYBE_GUARD, VM_MAYSHARE, VM_MERGEABLE, VM_MIXEDMAP, VM_NOHUGEPAGE, VM_PFNMAP, VM_DONTEXPAND, VM_RAND_READ,
  VM_SEALED, VM_SEQ_READ, VM_SHARED, VM_SPECIAL, VM_WIPEONFORK, VM_WRITE, VM_MAYWRITE, type VmFlags,
} from '../flags.js';
import { isPrivateAnon } from '../fault.js';
import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { madvisePopulate } from '../populate.js';
import { anonVmaPrepare } from '../vma-api/anon-vma.js';
import { vmaModify } from '../vma-api/vma-modify.js';
import type { Vma } from '../vma.js';
import { offsetInPage, pageAlign, U64 } from './u64.js';

/** Advices that discard data: refused on sealed read-only private anonymous memory. */
const DISCARD: ReadonlySet<Advice> = new Set(['free', 'dontneed', 'remove', 'dontfork', 'wipeonfork', 'guard_install']);

/** is_ro_anon: private anonymous (no file, not shared) and not writable. */
function isRoAnon(v: Vma): boolean {
  if (v.file !== null || hasAny(v.flags, VM_SHARED)) return false;
  return !hasAny(v.flags, VM_WRITE);
}

type Visit = (w: MmWork, vma: Vma, prev: Vma | undefined, start: number, end: number) => Vma;

/**
 * madvise_walk_vmas: visit every VMA meeting [start, end) with the clipped
 * range. Holes do not stop the walk: they are remembered and reported as
 * ENOMEM at the end. An error from a visit stops it at once.
 */
export function madviseWalk(w: MmWork, start: number, end: number, visit: Visit): void {
  let vma = w.findFrom(start);
  let prev: Vma | undefined = vma && start > vma.start ? vma : vma ? w.prevOf(vma) : w.prevBefore(start);
  let unmapped = false;
  for (;;) {
    if (!vma) fail('ENOMEM');
    if (start < vma.start) {
      unmapped = true;
      start = vma.start;
      if (start >= end) break;
    }
    const tmp = Math.min(vma.end, end);
    prev = visit(w, vma, prev, start, tmp);
    start = tmp;
    if (prev && start < prev.end) start = prev.end;
    if (start >= end) break;
    vma = w.findFrom(prev ? prev.end : start);
  }
  if (unmapped) fail('ENOMEM');
}

/** madvise_update_vma: a no-op leaves everything alone; otherwise vma_modify. */
function updateVma(w: MmWork, vma: Vma, prev: Vma | undefined, start: number, end: number, newFlags: VmFlags, anonName: string | null): Vma {
  if (newFlags === vma.flags && anonName === vma.anonName) return vma;
  return vmaModify(w, prev, vma, start, end, { flags: newFlags, anonName });
}

function ksmCompatible(v: Vma): boolean {
  return !hasAny(v.flags, VM_SHARED | VM_MAYSHARE | VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_HUGETLB | VM_MIXEDMAP | VM_DROPPABLE);
}

/** The new vm_flags for a flag-changing advice, or an errno. */
function adviceFlags(advice: Advice, vma: Vma): VmFlags | 'EINVAL' | null {
  const f = vma.flags;
  switch (advice) {
    case 'normal': return flagsAndNot(f, VM_RAND_READ | VM_SEQ_READ);
    case 'sequential': return flagsOr(flagsAndNot(f, VM_RAND_READ), VM_SEQ_READ);
    case 'random': return flagsOr(flagsAndNot(f, VM_SEQ_READ), VM_RAND_READ);
    case 'dontfork': return flagsOr(f, VM_DONTCOPY);
    case 'dofork': return hasAny(f, VM_IO) ? 'EINVAL' : flagsAndNot(f, VM_DONTCOPY);
    case 'wipeonfork': return vma.file !== null || hasAny(f, VM_SHARED) ? 'EINVAL' : flagsOr(f, VM_WIPEONFORK);
    case 'keeponfork': return hasAny(f, VM_DROPPABLE) ? 'EINVAL' : flagsAndNot(f, VM_WIPEONFORK);
    case 'dontdump': return flagsOr(f, VM_DONTDUMP);
    case 'dodump':
      return (!hasAny(f, VM_HUGETLB) && hasAny(f, VM_SPECIAL)) || hasAny(f, VM_DROPPABLE) ? 'EINVAL' : flagsAndNot(f, VM_DONTDUMP);
    case 'mergeable':
      if (hasAny(f, VM_MERGEABLE) || !ksmCompatible(vma)) return f;
      return flagsOr(f, VM_MERGEABLE);
    case 'unmergeable': return flagsAndNot(f, VM_MERGEABLE);
    case 'hugepage': return flagsOr(flagsAndNot(f, VM_NOHUGEPAGE), VM_HUGEPAGE);
    case 'nohugepage': return flagsOr(flagsAndNot(f, VM_HUGEPAGE), VM_NOHUGEPAGE);
    default: return null;
  }
}

/** madvise_vma_behavior for one VMA piece. Returns the VMA to use as prev. */
function behaviour(advice: Advice): Visit {
  return (w, vma, prev, start, end) => {
    if (hasAny(vma.flags, VM_SEALED) && DISCARD.has(advice) && isRoAnon(vma)) {
      w.note('error', () => `${describe(vma)} is sealed read-only anonymous memory: ${advice} refused`);
      fail('EPERM');
    }
    switch (advice) {
      case 'remove':
        if (hasAny(vma.flags, VM_LOCKED) || vma.file === null) fail('EINVAL');
        if (!(hasAny(vma.flags, VM_SHARED) && hasAny(vma.flags, VM_MAYWRITE))) fail('EACCES');
        return vma;
      case 'willneed':
        return vma;
      case 'cold':
      case 'pageout':
        if (hasAny(vma.flags, VM_LOCKED | VM_PFNMAP | VM_HUGETLB)) fail('EINVAL');
        return vma;
      case 'dontneed':
      case 'free':
        if (hasAny(vma.flags, VM_PFNMAP | VM_LOCKED)) fail('EINVAL');
        if (advice === 'free' && !isPrivateAnon(vma)) fail('EINVAL');
        return vma;
      case 'guard_install': {
        if (hasAny(vma.flags, VM_SPECIAL | VM_HUGETLB | VM_LOCKED)) fail('EINVAL');
        let v = vma;
        if (!hasAny(v.flags, VM_MAYBE_GUARD)) {
          v = w.update(v, { ...v, flags: flagsOr(v.flags, VM_MAYBE_GUARD) });
          w.note('flags', () => `${describe(v)} marked gu (VM_MAYBE_GUARD), no split`);
        }
        if (isPrivateAnon(v)) v = anonVmaPrepare(w, v);
        w.addGuards(start, end);
        return v;
      }
      case 'guard_remove':
        if (hasAny(vma.flags, VM_SPECIAL | VM_HUGETLB)) fail('EINVAL');
        w.clearGuards(start, end);
        return vma;
      default: {
        const nf = adviceFlags(advice, vma);
        if (nf === 'EINVAL') fail('EINVAL');
        if (nf === null) return vma;
        try {
          return updateVma(w, vma, prev, start, end, nf, vma.anonName);
        } catch (e) {
          // madvise reports a failed split (ENOMEM) as EAGAIN.
          if (e instanceof SysError && e.errno === 'ENOMEM') fail('EAGAIN');
          throw e;
        }
      }
    }
  };
}

/** madvise(2). */
export function sysMadvise(w: MmWork, addrBig: bigint, lenBig: bigint, advice: Advice): number {
  if (offsetInPage(addrBig)) fail('EINVAL');
  const alen = pageAlign(lenBig);
  if (lenBig !== 0n && alen === 0n) fail('EINVAL');
  const endBig = addrBig + alen;
  if (endBig >= U64) fail('EINVAL');
  if (endBig === addrBig) return 0;
  const start = Number(addrBig);
  const end = Number(endBig);
  if (advice === 'populate_read' || advice === 'populate_write') {
    madvisePopulate(w, start, end, advice === 'populate_write');
    return 0;
  }
  madviseWalk(w, start, end, behaviour(advice));
  return 0;
}

/** prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME): name (or unname) anonymous memory. */
export function sysSetAnonName(w: MmWork, addrBig: bigint, lenBig: bigint, name: string | null): number {
  if (!w.config.anonVmaName) fail('EINVAL');
  if (name !== null && anonNameProblem(name) !== null) fail('EINVAL');
  if (offsetInPage(addrBig)) fail('EINVAL');
  const alen = pageAlign(lenBig);
  if (lenBig !== 0n && alen === 0n) fail('EINVAL');
  const endBig = addrBig + alen;
  if (endBig >= U64) fail('EINVAL');
  if (endBig === addrBig) return 0;
  madviseWalk(w, Number(addrBig), Number(endBig), (w2, vma, prev, start, end) => {
    const anonShmem = vma.file !== null && w2.files[vma.file]?.kind === 'shmem';
    if (vma.file !== null && !anonShmem) fail('EBADF');
    try {
      return updateVma(w2, vma, prev, start, end, vma.flags, name);
    } catch (e) {
      if (e instanceof SysError && e.errno === 'ENOMEM') fail('EAGAIN');
      throw e;
    }
  });
  return 0;
}
