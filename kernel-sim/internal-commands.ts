import type { VmaCommand, VmaSpec } from '../commands/ast.js';
import { CommandError } from './command-error.js';
import { fail } from './errno.js';
import { mnemonicsToFlags, type VmFlags } from './flags.js';
import type { MmWork } from './mm-work.js';
import { describe } from './mm-work.js';
import { copyVma } from './vma-api/copy-vma.js';
import { newMergeStruct } from './vma-api/merge-struct.js';
import { doVmiAlignMunmap } from './vma-api/munmap-range.js';
import { vmaExpand } from './vma-api/vma-expand.js';
import { vmaMergeExistingRange } from './vma-api/vma-merge-existing.js';
import { vmaMergeNewRange } from './vma-api/vma-merge-new.js';
import { vmaModify } from './vma-api/vma-modify.js';
import { vmaShrink } from './vma-api/vma-shrink.js';
import { splitVma } from './vma-api/vma-split.js';
import { anonVmaIdProblem } from './sim-limits.js';
import { PAGE_SIZE, rangeString, type Vma } from './vma.js';

/**
 * The `vma` commands: the internal API driven directly, as the kernel's
 * userland tests do. No system-call checks: address 0 is fine, nothing is
 * accounted or faulted. A refused line changes nothing.
 */

const LIMIT = 2n ** 53n;

function addr(v: bigint): number {
  if (v >= LIMIT || v % 4096n !== 0n) fail('EINVAL');
  return Number(v);
}

function range(start: bigint, end: bigint): [number, number] {
  const s = addr(start);
  const e = addr(end);
  if (s >= e) fail('EINVAL');
  return [s, e];
}

function flagsOf(words: readonly string[]): VmFlags {
  const r = mnemonicsToFlags(words);
  if ('unknown' in r) fail('EINVAL');
  return r.flags;
}

function fileOf(w: MmWork, name: string | null): string | null {
  if (name === null) return null;
  if (!w.files[name]) fail('EBADF');
  return name;
}

function nameAnonVma(w: MmWork, id: string | null): void {
  const bad = id === null ? null : anonVmaIdProblem(id);
  if (bad) throw new CommandError(`av=ID ${bad}`);
  if (id && !w.namedAnonVmas.includes(id)) w.namedAnonVmas = [...w.namedAnonVmas, id];
}

function specToVma(w: MmWork, spec: VmaSpec, hasClose: boolean): Vma {
  const [start, end] = range(spec.start, spec.end);
  if (spec.pgoff >= LIMIT) fail('EINVAL');
  nameAnonVma(w, spec.av);
  return {
    start,
    end,
    pgoff: Number(spec.pgoff),
    flags: flagsOf(spec.flags),
    file: fileOf(w, spec.file),
    anonVma: spec.av,
    anonVmaChain: spec.av ? [spec.av] : [],
    anonName: null,
    hasClose,
  };
}

/** The one VMA that holds all of [start, end), or EINVAL. */
function holding(w: MmWork, start: number, end: number): Vma {
  const v = w.find(start);
  if (!v || end > v.end) fail('EINVAL');
  return v;
}

export function runVmaCommand(w: MmWork, cmd: VmaCommand): string | number {
  switch (cmd.kind) {
    case 'vma-add': {
      const v = specToVma(w, cmd.vma, cmd.close);
      if (w.findIntersection(v.start, v.end)) fail('EEXIST');
      w.insert(v);
      w.note('insert', () => `linked ${describe(v)}`);
      return 0;
    }
    case 'vma-merge-new': {
      const v = specToVma(w, cmd.vma, false);
      if (w.findIntersection(v.start, v.end)) fail('EEXIST');
      if (cmd.failPrealloc) fail('ENOMEM');
      const vmg = newMergeStruct({
        prev: w.prevBefore(v.start),
        next: w.findFrom(v.end),
        start: v.start,
        end: v.end,
        pgoff: v.pgoff,
        flags: v.flags,
        file: v.file,
        anonVma: v.anonVma,
        anonVmaChain: v.anonVmaChain,
        justExpand: cmd.expandOnly,
      });
      const merged = vmaMergeNewRange(w, vmg);
      return merged ? rangeString(merged.start, merged.end) : 'none';
    }
    case 'vma-merge-existing': {
      const [start, end] = range(cmd.start, cmd.end);
      const middle = holding(w, start, end);
      const flags = flagsOf(cmd.flags);
      if (cmd.failPrealloc) fail('ENOMEM');
      const vmg = newMergeStruct({
        prev: start === middle.start ? w.prevOf(middle) : middle,
        middle,
        start,
        end,
        pgoff: middle.pgoff + (start - middle.start) / PAGE_SIZE,
        flags,
        file: middle.file,
        anonVma: middle.anonVma,
        anonVmaChain: middle.anonVmaChain,
        anonName: middle.anonName,
      });
      const merged = vmaMergeExistingRange(w, vmg);
      if (!merged) return 'none';
      // The kernel's caller writes the new flags on the range's new owner.
      return rangeString(merged.start, merged.end);
    }
    case 'vma-modify': {
      const [start, end] = range(cmd.start, cmd.end);
      const vma = holding(w, start, end);
      const prev = start > vma.start ? vma : w.prevOf(vma);
      const flags = flagsOf(cmd.flags);
      // Merge and split both preallocate: either failing refuses the whole line.
      if (cmd.failPrealloc) fail('ENOMEM');
      const done = vmaModify(w, prev, vma, start, end, { flags });
      return rangeString(done.start, done.end);
    }
    case 'vma-expand': {
      const [start, end] = range(cmd.start, cmd.end);
      const vma = w.find(start);
      if (!vma || vma.start !== start || end <= vma.end) fail('EINVAL');
      const next = w.nextOf(vma);
      if (next && next.start < end && next.end !== end) fail('EINVAL');
      if (cmd.failPrealloc) fail('ENOMEM');
      const vmg = newMergeStruct({ prev: vma, next, start, end, pgoff: vma.pgoff, flags: vma.flags, target: vma });
      vmg.next = next && next.start < end ? next : undefined;
      vmaExpand(w, vmg);
      return 0;
    }
    case 'vma-shrink': {
      const [start, end] = range(cmd.start, cmd.end);
      const vma = holding(w, start, end);
      if (start !== vma.start && end !== vma.end) fail('EINVAL');
      vmaShrink(w, vma, start, end);
      return 0;
    }
    case 'vma-split': {
      const at = addr(cmd.addr);
      const vma = w.find(at);
      if (!vma || vma.start === at) fail('EINVAL');
      splitVma(w, vma, at);
      return 0;
    }
    case 'vma-unmap': {
      const [start, end] = range(cmd.start, cmd.end);
      doVmiAlignMunmap(w, start, end);
      return 0;
    }
    case 'vma-copy': {
      const start = addr(cmd.start);
      const newAddr = addr(cmd.newAddr);
      const vma = w.find(start);
      if (!vma || vma.start !== start) fail('EINVAL');
      if (cmd.pgoff >= LIMIT) fail('EINVAL');
      const len = vma.end - vma.start;
      // The copy must end where `vma add` could end one.
      addr(BigInt(newAddr + len));
      if (w.findIntersection(newAddr, newAddr + len)) fail('EEXIST');
      if (cmd.failPrealloc) fail('ENOMEM');
      const r = copyVma(w, vma, newAddr, len, Number(cmd.pgoff));
      if (!r) fail('ENOMEM');
      return rangeString(r.newVma.start, r.newVma.end);
    }
  }
}
