import type { MmapFlags, Prot } from '../../commands/ast.js';
import { fail } from '../errno.js';
import {
  flagsOr, hasAny, VM_ACCOUNT, VM_EXEC, VM_GROWSDOWN, VM_LOCKED, VM_MAYEXEC, VM_MAYREAD, VM_MAYSHARE,
  VM_MAYWRITE, VM_NORESERVE, VM_READ, VM_SHARED, VM_SOFTDIRTY, VM_WRITE, flagsAnd, type VmFlags,
} from '../flags.js';
import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { getUnmappedArea } from '../placement.js';
import { mmPopulate } from '../populate.js';
import { completeMunmap, gatherMunmapVmas } from '../vma-api/munmap-range.js';
import { newMergeStruct } from '../vma-api/merge-struct.js';
import { vmaMergeNewRange } from '../vma-api/vma-merge-new.js';
import { hex, PAGE_SIZE, vmaPages, type Vma } from '../vma.js';
import { MMAP_MIN_ADDR } from '../fault.js';
import { MAX_SAFE_BIG, offsetInPage, pageAlign, TASK_SIZE_BIG, U64_MAX } from './u64.js';
import { chargeOrFail } from './accounting.js';

export interface MmapArgs {
  readonly addr: bigint;
  readonly len: bigint;
  readonly prot: Prot;
  readonly flags: MmapFlags;
  /** Id of the open file (a key of SimState.files), or null for anonymous memory. */
  readonly file: string | null;
  /** The scenario referred to a file that the current state does not have (EBADF). */
  readonly badFile: boolean;
  readonly off: bigint;
}

/** calc_vm_prot_bits */
export function protToFlags(prot: Prot): VmFlags {
  return (prot & 1 ? VM_READ : 0) | (prot & 2 ? VM_WRITE : 0) | (prot & 4 ? VM_EXEC : 0);
}

/** The largest regular-file size the kernel maps (MAX_LFS_FILESIZE). */
const MAX_LFS_FILESIZE = (1n << 63n) - 1n;
const MMAP_MIN_ADDR_BIG = BigInt(MMAP_MIN_ADDR);

/**
 * mmap(2): ksys_mmap_pgoff → do_mmap → mmap_region. Returns the address.
 * Checks run in the kernel's order, since which error wins is visible.
 */
export function sysMmap(w: MmWork, a: MmapArgs): number {
  if (offsetInPage(a.off)) fail('EINVAL');
  if (a.badFile) fail('EBADF');
  if (a.len === 0n) fail('EINVAL');
  const fixed = a.flags.fixed || a.flags.noreplace;
  let hint = a.addr;
  if (!fixed) {
    hint &= ~4095n & U64_MAX;
    if (hint !== 0n && hint < MMAP_MIN_ADDR_BIG) hint = MMAP_MIN_ADDR_BIG;
  }
  const lenBig = pageAlign(a.len);
  if (lenBig === 0n) fail('ENOMEM');
  const pgoffBig = a.off >> 12n;
  if (w.mapCount > w.config.maxMapCount) {
    if (w.tracing) w.note('error', `map_count ${w.mapCount} is above max_map_count`);
    fail('ENOMEM');
  }

  const file = a.file ? w.files[a.file]! : null;
  let vmFlags = flagsOr(protToFlags(a.prot), VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC);
  if (a.flags.growsdown) vmFlags = flagsOr(vmFlags, VM_GROWSDOWN);
  if (a.flags.locked) vmFlags = flagsOr(vmFlags, VM_LOCKED);

  if (lenBig > TASK_SIZE_BIG) fail('ENOMEM');
  const len = Number(lenBig);
  // Addresses beyond the user range never fit; keep them as an impossible number.
  const hintNum = hint > MAX_SAFE_BIG ? Number.MAX_SAFE_INTEGER : Number(hint);
  if (fixed && hint > TASK_SIZE_BIG - lenBig) fail('ENOMEM');
  const placed = getUnmappedArea(w, {
    addr: hintNum,
    len,
    pgoff: file ? Number(pgoffBig) : 0,
    fixed,
    mapping: file ? 'regular-file' : a.flags.shared ? 'anon-shared' : 'anon-private',
    vmFlags,
  });
  if (typeof placed !== 'number') fail(placed);
  const addr = placed;
  if (a.flags.noreplace && w.findIntersection(addr, addr + len)) {
    if (w.tracing) w.note('error', `${hex(addr)}-${hex(addr + len)} is already mapped (MAP_FIXED_NOREPLACE)`);
    fail('EEXIST');
  }

  let pgoff: number;
  if (file) {
    if (lenBig > MAX_LFS_FILESIZE || pgoffBig > (MAX_LFS_FILESIZE - lenBig) >> 12n) fail('EOVERFLOW');
    if (a.flags.shared) vmFlags = flagsOr(vmFlags, VM_SHARED | VM_MAYSHARE);
    if (a.flags.growsdown) fail('EINVAL');
    pgoff = Number(pgoffBig);
  } else if (a.flags.shared) {
    if (a.flags.growsdown) fail('EINVAL');
    pgoff = 0;
    vmFlags = flagsOr(vmFlags, VM_SHARED | VM_MAYSHARE);
  } else {
    pgoff = addr / PAGE_SIZE;
  }
  if (a.flags.noreserve) vmFlags = flagsOr(vmFlags, VM_NORESERVE);

  mmapRegion(w, {
    addr,
    len,
    flags: vmFlags,
    pgoff,
    file: a.file,
    shmem: !file && a.flags.shared,
  });
  if (hasAny(vmFlags, VM_LOCKED) || a.flags.populate) mmPopulate(w, addr, addr + len, true);
  return addr;
}

export interface MapRequest {
  readonly addr: number;
  readonly len: number;
  readonly flags: VmFlags;
  readonly pgoff: number;
  readonly file: string | null;
  /** Shared anonymous memory: gets a shmem object of its own if not merged. */
  readonly shmem: boolean;
}

/** accountable_mapping: private and writable, not NORESERVE. */
function accountable(flags: VmFlags): boolean {
  return flagsAnd(flags, VM_NORESERVE | VM_SHARED | VM_WRITE) === VM_WRITE;
}

/**
 * __mmap_region: unmap what is in the way, charge the memory, merge with a
 * neighbour or create the VMA. A failure after the gather leaves the boundary
 * splits it made.
 */
export function mmapRegion(w: MmWork, m: MapRequest): Vma {
  const end = m.addr + m.len;
  const old = gatherMunmapVmas(w, m.addr, end);
  let flags = m.flags;
  if (accountable(flags)) {
    let alreadyCharged = 0;
    for (const v of old) if (hasAny(v.flags, VM_ACCOUNT)) alreadyCharged += vmaPages(v);
    chargeOrFail(w, m.len / PAGE_SIZE - alreadyCharged);
    flags = flagsOr(flags, VM_ACCOUNT);
  }
  if (w.config.softDirty) flags = flagsOr(flags, VM_SOFTDIRTY);
  completeMunmap(w, old, m.addr, end);

  const prev = w.prevBefore(m.addr);
  const next = w.findFrom(end);
  let vma: Vma | undefined;
  if (prev || next) {
    const vmg = newMergeStruct({ prev, next, start: m.addr, end, pgoff: m.pgoff, flags, file: m.file });
    vma = vmaMergeNewRange(w, vmg);
  }
  if (!vma) {
    const file = m.shmem ? w.newShmem(m.len) : m.file;
    vma = {
      start: m.addr,
      end,
      pgoff: m.pgoff,
      flags,
      file,
      anonVma: null,
      anonVmaChain: [],
      anonName: null,
      hasClose: false,
    };
    w.insert(vma);
    if (w.tracing) w.note('insert', `new VMA ${describe(vma)}`);
  }
  return vma;
}
