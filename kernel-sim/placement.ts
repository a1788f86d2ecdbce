import { hasAny, VM_GROWSDOWN, type VmFlags } from './flags.js';
import { HPAGE_PMD_SIZE, MMAP_MIN_ADDR, STACK_GUARD_GAP } from './fault.js';
import type { MmWork } from './mm-work.js';
import { TASK_SIZE } from './syscalls/u64.js';
import { PAGE_SIZE, type Vma } from './vma.js';
import type { Errno } from './errno.js';

/** TASK_UNMAPPED_BASE with ASLR off: the floor of the bottom-up fallback. */
const LEGACY_MMAP_BASE = Math.ceil(TASK_SIZE / 3 / PAGE_SIZE) * PAGE_SIZE;

/** vm_start_gap: a growsdown VMA keeps the stack guard gap free below it. */
function startGap(v: Vma): number {
  return hasAny(v.flags, VM_GROWSDOWN) ? Math.max(0, v.start - STACK_GUARD_GAP) : v.start;
}

/**
 * The highest free gap inside [low, high) of at least `size` bytes, clipped to
 * the limits: [gapStart, gapEnd), or null.
 */
function highestGap(w: MmWork, low: number, high: number, size: number): [number, number] | null {
  // Gaps from the top down: each lies below `above` and above the next VMA down.
  let above = w.vmas.findFrom(high - 1);
  for (const below of w.vmas.iterateDownFrom(high - 1)) {
    const gapEnd = Math.min(above ? above.start : TASK_SIZE, high);
    const gapStart = Math.max(below.end, low);
    if (gapEnd > gapStart && gapEnd - gapStart >= size) return [gapStart, gapEnd];
    if (below.end <= low) return null;
    above = below;
  }
  const gapEnd = Math.min(above ? above.start : TASK_SIZE, high);
  const gapStart = Math.max(0, low);
  return gapEnd > gapStart && gapEnd - gapStart >= size ? [gapStart, gapEnd] : null;
}

/** The lowest free gap inside [low, high) of at least `size` bytes. */
function lowestGap(w: MmWork, low: number, high: number, size: number): [number, number] | null {
  // Gaps from the bottom up: each lies above `below` and below the next VMA up.
  let below = w.vmas.findPrev(low);
  for (const above of w.vmas.iterateFrom(low)) {
    const gapStart = Math.max(below ? below.end : 0, low);
    const gapEnd = Math.min(above.start, high);
    if (gapEnd > gapStart && gapEnd - gapStart >= size) return [gapStart, gapEnd];
    if (above.start >= high) return null;
    below = above;
  }
  const gapStart = Math.max(below ? below.end : 0, low);
  const gapEnd = Math.min(TASK_SIZE, high);
  return gapEnd > gapStart && gapEnd - gapStart >= size ? [gapStart, gapEnd] : null;
}

interface UnmappedAreaInfo {
  length: number;
  lowLimit: number;
  highLimit: number;
  alignMask: number;
  alignOffset: number;
  startGap: number;
}

/** unmapped_area_topdown: top of the highest gap that fits, skipping gaps a growsdown VMA guards. */
function unmappedAreaTopdown(w: MmWork, info: UnmappedAreaInfo): number | null {
  const length = info.length + info.alignMask + info.startGap;
  const low = Math.max(info.lowLimit, MMAP_MIN_ADDR);
  let high = info.highLimit;
  for (;;) {
    const gap = highestGap(w, low, high, length);
    if (!gap) return null;
    const gapEnd = gap[1];
    let addr = gapEnd - info.length;
    addr -= mod(addr - info.alignOffset, info.alignMask + 1);
    const above = w.findFrom(gapEnd - 1);
    if (above && above.start >= gapEnd && hasAny(above.flags, VM_GROWSDOWN)) {
      if (startGap(above) < gapEnd) {
        high = startGap(above);
        continue;
      }
    }
    return addr;
  }
}

function unmappedAreaBottomup(w: MmWork, info: UnmappedAreaInfo): number | null {
  const length = info.length + info.alignMask + info.startGap;
  const gap = lowestGap(w, Math.max(info.lowLimit, MMAP_MIN_ADDR), info.highLimit, length);
  if (!gap) return null;
  let addr = gap[0] + info.startGap;
  addr += mod(info.alignOffset - addr, info.alignMask + 1);
  return addr;
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

export interface PlacementRequest {
  /** Hint (already rounded and raised to mmap_min_addr), or 0. */
  readonly addr: number;
  readonly len: number;
  readonly pgoff: number;
  readonly fixed: boolean;
  /** The kind of mapping: decides which search the kernel uses. */
  readonly mapping: 'anon-private' | 'anon-shared' | 'regular-file' | 'shmem-file';
  readonly vmFlags: VmFlags;
}

/** arch_get_unmapped_area_topdown (x86-64) with a hint, a search, and a bottom-up fallback. */
function archGetUnmappedAreaTopdown(w: MmWork, addr: number, len: number, fixed: boolean, vmFlags: VmFlags): number | Errno {
  if (len > TASK_SIZE) return 'ENOMEM';
  if (fixed) return addr;
  if (addr) {
    addr -= addr % PAGE_SIZE;
    if (TASK_SIZE - len >= addr) {
      const vma = w.findFrom(addr);
      if (!vma || addr + len <= startGap(vma)) return addr;
    }
  }
  const info: UnmappedAreaInfo = {
    length: len,
    lowLimit: PAGE_SIZE,
    highLimit: w.config.mmapBase,
    alignMask: 0,
    alignOffset: 0,
    startGap: hasAny(vmFlags, VM_GROWSDOWN) ? STACK_GUARD_GAP : 0,
  };
  const top = unmappedAreaTopdown(w, info);
  if (top !== null) return top;
  const bottom = unmappedAreaBottomup(w, { ...info, lowLimit: LEGACY_MMAP_BASE, highLimit: TASK_SIZE, startGap: 0 });
  return bottom ?? 'ENOMEM';
}

/** __thp_get_unmapped_area: pad the request by 2 MiB and align inside it. */
function thpGetUnmappedArea(w: MmWork, addr: number, len: number, off: number, fixed: boolean, vmFlags: VmFlags): number | Errno {
  const size = HPAGE_PMD_SIZE;
  const offEnd = off + len;
  const offAlign = Math.ceil(off / size) * size;
  if (!(offEnd <= offAlign || offEnd - offAlign < size)) {
    const ret = archGetUnmappedAreaTopdown(w, addr, len + size, fixed, vmFlags);
    if (typeof ret === 'number') {
      if (ret === addr) return addr;
      const offSub = mod(off - ret, size);
      if (offSub === 0) return ret + size;
      return ret + offSub;
    }
  }
  return archGetUnmappedAreaTopdown(w, addr, len, fixed, vmFlags);
}

/** __get_unmapped_area: pick the search the kernel would for this kind of mapping, then check the result. */
export function getUnmappedArea(w: MmWork, req: PlacementRequest): number | Errno {
  if (req.len > TASK_SIZE) return 'ENOMEM';
  let addr: number | Errno;
  if (req.mapping === 'regular-file') {
    addr = thpGetUnmappedArea(w, req.addr, req.len, req.pgoff * PAGE_SIZE, req.fixed, req.vmFlags);
  } else if (req.mapping === 'anon-private' && req.addr === 0 && req.len % HPAGE_PMD_SIZE === 0) {
    addr = thpGetUnmappedArea(w, 0, req.len, 0, req.fixed, req.vmFlags);
  } else {
    addr = archGetUnmappedAreaTopdown(w, req.addr, req.len, req.fixed, req.vmFlags);
  }
  if (typeof addr !== 'number') return addr;
  if (addr > TASK_SIZE - req.len) return 'ENOMEM';
  if (addr % PAGE_SIZE !== 0) return 'EINVAL';
  return addr;
}
