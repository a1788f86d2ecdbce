import { fail } from '../errno.js';
import {
  flagsAndNot, flagsOr, hasAny, VM_ACCOUNT, VM_DONTEXPAND, VM_LOCKED, VM_LOCKED_MASK, VM_MAYSHARE, VM_PFNMAP, VM_SEALED, VM_SHARED,
} from '../flags.js';
import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { getUnmappedArea } from '../placement.js';
import { mmPopulate } from '../populate.js';
import { copyVma } from '../vma-api/copy-vma.js';
import { newMergeStruct } from '../vma-api/merge-struct.js';
import { doVmiAlignMunmap } from '../vma-api/munmap-range.js';
import { vmaMergeNewRange } from '../vma-api/vma-merge-new.js';
import { PAGE_SIZE, type Vma } from '../vma.js';
import { chargeOrFail } from './accounting.js';
import { sysMunmap } from './munmap.js';
import { offsetInPage, pageAlign, TASK_SIZE, TASK_SIZE_BIG } from './u64.js';

export interface MremapArgs {
  readonly addr: bigint;
  readonly oldLen: bigint;
  readonly newLen: bigint;
  readonly maymove: boolean;
  readonly dontunmap: boolean;
  readonly newAddr: bigint | null;
}

/** The kernel's struct vma_remap_struct, with lengths already page aligned. */
interface Remap {
  addr: number;
  oldLen: number;
  newLen: number;
  newAddr: number;
  fixed: boolean;
  maymove: boolean;
  dontunmap: boolean;
  vma: Vma | undefined;
  /** A locked VMA grew: populate the new part afterwards. */
  populateExpand: boolean;
}

type RemapType = 'shrink' | 'expand' | 'no-resize';

function remapType(r: Remap): RemapType {
  return r.newLen < r.oldLen ? 'shrink' : r.newLen > r.oldLen ? 'expand' : 'no-resize';
}

function impliesNewAddr(r: Remap): boolean {
  return r.fixed || r.dontunmap;
}

/**
 * mremap(2), as 6.18 dispatches it: a FIXED move of equal lengths is the
 * multi-VMA move; everything else works on the VMA at addr (shrink, grow in
 * place, or move).
 */
export function sysMremap(w: MmWork, a: MremapArgs): number {
  const fixed = a.newAddr !== null;
  if (offsetInPage(a.addr)) fail('EINVAL');
  const oldLenBig = pageAlign(a.oldLen);
  const newLenBig = pageAlign(a.newLen);
  if (newLenBig === 0n) fail('EINVAL');
  if (newLenBig > TASK_SIZE_BIG) fail('EINVAL');
  const newAddrBig = a.newAddr ?? 0n;
  if (fixed || a.dontunmap) {
    if (newAddrBig > TASK_SIZE_BIG - newLenBig) fail('EINVAL');
    if (offsetInPage(newAddrBig)) fail('EINVAL');
    if (!a.maymove) fail('EINVAL');
    if (a.dontunmap && oldLenBig !== newLenBig) fail('EINVAL');
    if (a.addr + oldLenBig > newAddrBig && newAddrBig + newLenBig > a.addr) fail('EINVAL');
    if (w.mapCount + 2 >= w.config.maxMapCount - 3) fail('ENOMEM');
  }
  // Past here every length is below TASK_SIZE or the lookups fail first.
  if (a.addr > TASK_SIZE_BIG) fail('EFAULT');
  const r: Remap = {
    addr: Number(a.addr),
    oldLen: oldLenBig > TASK_SIZE_BIG * 2n ? Number.MAX_SAFE_INTEGER : Number(oldLenBig),
    newLen: Number(newLenBig),
    newAddr: Number(newAddrBig),
    fixed,
    maymove: a.maymove,
    dontunmap: a.dontunmap,
    vma: undefined,
    populateExpand: false,
  };
  let ret: number;
  if (fixed && r.oldLen === r.newLen) {
    ret = remapMove(w, r);
  } else {
    r.vma = w.find(r.addr);
    checkPrepVma(w, r);
    ret = impliesNewAddr(r) ? mremapTo(w, r) : mremapAt(w, r);
  }
  if (r.populateExpand) mmPopulate(w, ret + r.oldLen, ret + r.newLen, true);
  return ret;
}

/** check_prep_vma: the per-VMA checks. */
function checkPrepVma(w: MmWork, r: Remap): void {
  const vma = r.vma;
  if (!vma) fail('EFAULT');
  if (hasAny(vma.flags, VM_SEALED)) {
    w.note('error', () => `${describe(vma)} is sealed`);
    fail('EPERM');
  }
  const type = remapType(r);
  if (!impliesNewAddr(r)) r.newAddr = r.addr;
  if (!(type === 'expand' || impliesNewAddr(r))) return;
  if (r.oldLen === 0 && !hasAny(vma.flags, VM_SHARED | VM_MAYSHARE)) fail('EINVAL');
  if (r.dontunmap && hasAny(vma.flags, VM_DONTEXPAND | VM_PFNMAP)) fail('EINVAL');
  const oldLen = type === 'shrink' ? r.newLen : r.oldLen;
  if (oldLen > vma.end - r.addr) fail('EFAULT');
  if (r.newLen === r.oldLen) return;
  if (hasAny(vma.flags, VM_LOCKED)) r.populateExpand = type === 'expand';
  if (type === 'expand' && hasAny(vma.flags, VM_DONTEXPAND | VM_PFNMAP)) fail('EFAULT');
}

/** mremap_at: no new address given. */
function mremapAt(w: MmWork, r: Remap): number {
  switch (remapType(r)) {
    case 'no-resize':
      return r.addr;
    case 'shrink':
      sysMunmap(w, BigInt(r.addr + r.newLen), BigInt(r.oldLen - r.newLen));
      return r.addr;
    case 'expand':
      return expandVma(w, r);
  }
}

/** vma_expandable: the space after vma is free and inside the user range. */
function expandable(w: MmWork, vma: Vma, delta: number): boolean {
  const end = vma.end + delta;
  if (w.findIntersection(vma.end, end)) return false;
  return end <= TASK_SIZE;
}

function expandVma(w: MmWork, r: Remap): number {
  const vma = r.vma!;
  const delta = r.newLen - r.oldLen;
  if (vma.end - r.addr === r.oldLen && expandable(w, vma, delta)) {
    if (hasAny(vma.flags, VM_ACCOUNT)) chargeOrFail(w, delta / PAGE_SIZE);
    // vma_merge_extend: a new range after vma, with vma itself as prev.
    const vmg = newMergeStruct({
      prev: vma,
      next: w.findFrom(vma.end + delta),
      start: vma.end,
      end: vma.end + delta,
      pgoff: vma.pgoff + (vma.end - vma.start) / PAGE_SIZE,
      flags: vma.flags,
      file: vma.file,
      anonVma: vma.anonVma,
      anonVmaChain: vma.anonVmaChain,
      anonName: vma.anonName,
    });
    const grown = vmaMergeNewRange(w, vmg);
    if (!grown) fail('ENOMEM');
    r.vma = grown;
    return r.addr;
  }
  if (!r.maymove) {
    w.note('error', () => `cannot grow ${describe(vma)} in place and MREMAP_MAYMOVE was not given`);
    fail('ENOMEM');
  }
  setNewAddr(w, r);
  return moveVma(w, r);
}

/** vrm_set_new_addr: the destination, from get_unmapped_area (a hint unless FIXED). */
function setNewAddr(w: MmWork, r: Remap): void {
  const vma = r.vma!;
  const pgoff = vma.pgoff + (r.addr - vma.start) / PAGE_SIZE;
  const file = vma.file ? w.files[vma.file] : undefined;
  const res = getUnmappedArea(w, {
    addr: impliesNewAddr(r) ? r.newAddr : 0,
    len: r.newLen,
    pgoff: file ? pgoff : 0,
    fixed: r.fixed,
    mapping: file ? (file.kind === 'shmem' ? 'shmem-file' : 'regular-file') : hasAny(vma.flags, VM_MAYSHARE) ? 'anon-shared' : 'anon-private',
    vmFlags: 0,
  });
  if (typeof res !== 'number') fail(res);
  r.newAddr = res;
}

/** mremap_to: FIXED and/or DONTUNMAP. */
function mremapTo(w: MmWork, r: Remap): number {
  if (r.fixed) {
    sysMunmap(w, BigInt(r.newAddr), BigInt(r.newLen));
    r.vma = w.find(r.addr);
    if (!r.vma) fail('EFAULT');
  }
  if (remapType(r) === 'shrink') {
    sysMunmap(w, BigInt(r.addr + r.newLen), BigInt(r.oldLen - r.newLen));
    r.oldLen = r.newLen;
    r.vma = w.find(r.addr);
    if (!r.vma) fail('EFAULT');
  }
  setNewAddr(w, r);
  return moveVma(w, r);
}

/**
 * move_vma: copy the VMA (merging at the destination where possible), move
 * the page tables, then unmap the source range, or with DONTUNMAP leave it
 * in place unlocked (and without its anon_vma when all of it moved).
 */
function moveVma(w: MmWork, r: Remap): number {
  if (w.mapCount >= w.config.maxMapCount - 3) {
    w.note('error', () => `map_count ${w.mapCount} is within 3 of max_map_count`);
    fail('ENOMEM');
  }
  let vma = r.vma!;
  if (hasAny(vma.flags, VM_ACCOUNT)) chargeOrFail(w, (r.dontunmap ? r.newLen : r.newLen - r.oldLen) / PAGE_SIZE);
  const newPgoff = vma.pgoff + (r.addr - vma.start) / PAGE_SIZE;
  const copied = copyVma(w, vma, r.newAddr, r.newLen, newPgoff);
  if (!copied) fail('ENOMEM');
  vma = copied.source;
  w.moveGuards(r.addr, r.addr + r.oldLen, r.newAddr - r.addr);
  const newVma = w.find(r.newAddr)!;

  if (r.dontunmap) {
    const src = w.find(r.addr)!;
    let changed: Vma = { ...src, flags: flagsAndNot(src.flags, VM_LOCKED_MASK) };
    if (newVma !== src && r.addr === src.start && r.addr + r.oldLen === src.end) {
      changed = { ...changed, anonVma: null, anonVmaChain: [] };
      w.note('anon_vma', () => `${describe(src)} moved whole with MREMAP_DONTUNMAP: it loses its anon_vma`);
    }
    if (changed.flags !== src.flags || changed.anonVma !== src.anonVma) w.update(src, changed);
    return r.newAddr;
  }
  unmapSource(w, r, vma);
  return r.newAddr;
}

/**
 * unmap_source_vma: unmap the moved range without unaccounting it: VM_ACCOUNT
 * is cleared on the source first and given back to the pieces left on either side.
 */
function unmapSource(w: MmWork, r: Remap, vma: Vma): void {
  const src = w.find(r.addr) ?? vma;
  const accountable = hasAny(src.flags, VM_ACCOUNT);
  const vmStart = src.start;
  const vmEnd = src.end;
  if (accountable) w.update(src, { ...src, flags: flagsAndNot(src.flags, VM_ACCOUNT) });
  const end = r.addr + r.oldLen;
  doVmiAlignMunmap(w, r.addr, end);
  if (accountable) {
    if (vmStart < r.addr) {
      const prev = w.prevBefore(r.addr)!;
      w.update(prev, { ...prev, flags: flagsOr(prev.flags, VM_ACCOUNT) });
    }
    if (vmEnd > end) {
      const next = w.findFrom(end)!;
      w.update(next, { ...next, flags: flagsOr(next.flags, VM_ACCOUNT) });
    }
  }
}

/**
 * remap_move (6.17+): MREMAP_FIXED with equal lengths moves every VMA piece in
 * [addr, addr+len), keeping the gaps between them, each with the single-VMA
 * procedure. A failure part-way leaves the pieces already moved where they are.
 */
function remapMove(w: MmWork, r: Remap): number {
  const start = r.addr;
  const end = r.addr + r.oldLen;
  let targetAddr = r.newAddr;
  let res: number | null = null;
  let lastEnd = 0;
  let seen = false;
  let from = start;
  while (from < end) {
    const vma = w.findIntersection(from, end);
    if (!vma) break;
    // A VMA reaching below `from` was already handled (a merge at the destination grew it).
    if (seen && vma.start < from) {
      from = vma.end;
      continue;
    }
    if (!seen && start < vma.start) fail('EFAULT');
    const addr = Math.max(vma.start, start);
    const len = Math.min(end, vma.end) - addr;
    const offset = seen ? vma.start - lastEnd : 0;
    lastEnd = vma.end;
    const piece: Remap = { ...r, vma, addr, oldLen: len, newLen: len, newAddr: targetAddr + offset, populateExpand: false };
    checkPrepVma(w, piece);
    const got = mremapTo(w, piece);
    if (!seen) res = got;
    seen = true;
    targetAddr = got + len;
    from = lastEnd;
  }
  if (res === null) fail('EFAULT');
  return res;
}
