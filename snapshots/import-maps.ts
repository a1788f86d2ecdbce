/**
 * Reading /proc/PID/maps and /proc/PID/smaps text into an address space to
 * import (kernel-vma-semantics.md §14). The VMAs are kept exactly as given:
 * same ranges, nothing merged. What the text cannot tell is inferred
 * conservatively, and each inference is reported as a note:
 *
 * - anon_vma: maps shows none, so no VMA gets one; smaps gives one of its
 *   own to each VMA whose `Anonymous:` is above 0 kB (VMAs split from one
 *   VMA may in truth share theirs).
 * - pgoff of private anonymous memory: start / 4096, the pgoff a VMA mapped
 *   there and never moved has.
 * - flags: the VmFlags line when there is one; from maps, the permissions
 *   plus what mmap(2) always sets (mr mw me; sh ms when shared; ac when
 *   private and writable).
 * - files: one open file per path (so its VMAs may merge), as large as its
 *   furthest mapping; each shared anonymous VMA a shmem object of its own.
 *
 * Errors name the line and what was expected; nothing is returned on error.
 */
import {
  flagsOr, flagsToMnemonics, hasAny, mnemonicsToFlags, VM_ACCOUNT, VM_EXEC, VM_MAYEXEC, VM_MAYREAD, VM_MAYSHARE, VM_MAYWRITE,
  VM_READ, VM_SHARED, VM_WRITE, type VmFlags,
} from '../kernel-sim/flags.js';
import { hex, PAGE_SIZE } from '../kernel-sim/vma.js';
import { MAX_FILES, anonNameProblem, fileNameProblem } from '../kernel-sim/sim-limits.js';
import { capMessage, shortText } from '../kernel-sim/short-text.js';
import { parseSmaps, SmapsParseError } from '../live/smaps.js';
import type { AddressSpaceImport, ImportSource } from './import-data.js';
import type { SnapshotFile, SnapshotVma } from './snapshot-schema.js';

/** Above this the kernel's user address range ends ([vsyscall] lies there, outside any mm). */
const TASK_SIZE = 0x7ffffffff000n;

export type MapsImportResult =
  | { readonly ok: true; readonly data: AddressSpaceImport; readonly notes: readonly string[] }
  | { readonly ok: false; readonly error: string };

/** One VMA as the text shows it. */
interface Entry {
  readonly line: number;
  readonly start: bigint;
  readonly end: bigint;
  readonly perms: string;
  readonly offset: bigint;
  readonly dev: string;
  readonly inode: bigint;
  readonly pathname: string | null;
  /** Null for maps text. */
  readonly vmflags: readonly string[] | null;
  /** `Anonymous:` in kB; null when the text has no such field. */
  readonly anonymousKb: number | null;
}

const HEADER_SYNTAX = 'START-END PERMS OFFSET MAJ:MIN INODE [PATH]';
const FIELD_NAMES = ['START-END', 'PERMS', 'OFFSET', 'MAJ:MIN', 'INODE'] as const;

class LineError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly reason: string,
  ) {
    super(`line ${lineNumber}: ${capMessage(reason)}`);
  }
}

/**
 * One maps header line, field by field, so that an error says which field is
 * wrong. The kernel separates the fields by one space and pads before PATH.
 */
function parseHeader(text: string, line: number): Omit<Entry, 'vmflags' | 'anonymousKb'> {
  const fail = (reason: string): never => {
    throw new LineError(line, reason);
  };
  const parts = text.split(' ');
  for (let i = 0; i < FIELD_NAMES.length; i++) {
    if (parts[i] === undefined || parts[i] === '')
      fail(`the line ends before ${FIELD_NAMES[i]}: expected ${HEADER_SYNTAX}, got '${shortText(text)}'`);
  }
  const [range, perms, off, dev, ino] = parts as [string, string, string, string, string];
  const rest = parts.slice(5).join(' ');
  const rm = /^([^-]*)-(.*)$/.exec(range);
  if (!rm) fail(`expected START-END in hex (like 100000000000-100000002000), got '${shortText(range)}'`);
  const [, s, e] = rm!;
  for (const [what, h] of [['start', s!], ['end', e!]] as const)
    if (!/^[0-9a-f]+$/.test(h)) fail(`the ${what} address '${shortText(h)}' is not lower-case hex`);
  if (!/^[r-][w-][x-][ps]$/.test(perms)) fail(`expected PERMS like rw-p (r/-, w/-, x/-, then p or s), got '${shortText(perms)}'`);
  if (!/^[0-9a-f]+$/.test(off)) fail(`expected OFFSET in hex, got '${shortText(off)}'`);
  if (!/^[0-9a-f]{2,}:[0-9a-f]{2,}$/.test(dev)) fail(`expected the device as MAJ:MIN in hex (like 00:00), got '${shortText(dev)}'`);
  if (!/^[0-9]+$/.test(ino)) fail(`expected INODE as a decimal number, got '${shortText(ino)}'`);
  const name = rest.replace(/^ +/, '');
  return {
    line,
    start: BigInt(`0x${s}`),
    end: BigInt(`0x${e}`),
    perms,
    offset: BigInt(`0x${off}`),
    dev,
    inode: BigInt(ino),
    pathname: name === '' ? null : name,
  };
}

function parseMapsText(text: string): Entry[] {
  const out: Entry[] = [];
  const rows = text.split('\n');
  let last = rows.length;
  while (last > 0 && rows[last - 1]!.replace(/\r$/, '') === '') last--;
  for (let i = 0; i < last; i++) {
    const l = rows[i]!.replace(/\r$/, '');
    if (l === '') throw new LineError(i + 1, 'blank line inside maps text');
    if (/^[A-Za-z_][A-Za-z0-9_]*:/.test(l))
      throw new LineError(i + 1, `expected a maps line ${HEADER_SYNTAX}, got '${shortText(l)}' (this looks like smaps text: import it as smaps)`);
    out.push({ ...parseHeader(l, i + 1), vmflags: null, anonymousKb: null });
  }
  return out;
}

function parseSmapsText(text: string): Entry[] {
  try {
    return parseSmaps(text).map((v) => ({
      line: v.line,
      start: v.start,
      end: v.end,
      perms: v.perms,
      offset: v.offset,
      dev: v.dev,
      inode: v.inode,
      pathname: v.pathname,
      vmflags: v.vmflags,
      anonymousKb: v.fields.Anonymous ?? null,
    }));
  } catch (e) {
    if (!(e instanceof SmapsParseError)) throw e;
    // The shared parser says a header is malformed; say which field.
    if (e.reason.startsWith('malformed VMA header line')) {
      const row = text.split('\n')[e.lineNumber - 1]!.replace(/\r$/, '');
      parseHeader(row, e.lineNumber);
    }
    if (e.reason.startsWith('the VMA that starts here has no VmFlags line'))
      throw new LineError(e.lineNumber, `${e.reason} (a maps file? import it as maps)`);
    throw new LineError(e.lineNumber, e.reason);
  }
}

/** Ranges in order, aligned, not overlapping; offsets page aligned. */
function checkEntries(entries: readonly Entry[]): void {
  let prev: Entry | null = null;
  for (const v of entries) {
    const r = `${v.start.toString(16)}-${v.end.toString(16)}`;
    if (v.start >= v.end) throw new LineError(v.line, `the range ${r} is empty or inverted: START must be below END`);
    if (v.start % 4096n !== 0n || v.end % 4096n !== 0n) throw new LineError(v.line, `the range ${r} is not page aligned (4096)`);
    if (v.offset % 4096n !== 0n) throw new LineError(v.line, `the offset ${v.offset.toString(16)} is not page aligned (4096)`);
    if (prev && v.start < prev.end) {
      const what = v.start < prev.start ? 'comes before' : 'overlaps';
      throw new LineError(v.line, `the range ${r} ${what} the VMA on line ${prev.line} (${prev.start.toString(16)}-${prev.end.toString(16)}): VMAs must be in address order without overlap`);
    }
    prev = v;
  }
}

function flagsFromPerms(perms: string): VmFlags {
  let f = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
  if (perms[0] === 'r') f = flagsOr(f, VM_READ);
  if (perms[1] === 'w') f = flagsOr(f, VM_WRITE);
  if (perms[2] === 'x') f = flagsOr(f, VM_EXEC);
  if (perms[3] === 's') f = flagsOr(f, VM_SHARED | VM_MAYSHARE);
  else if (perms[1] === 'w') f = flagsOr(f, VM_ACCOUNT);
  return f;
}

function flagsOf(v: Entry): VmFlags {
  if (v.vmflags === null) return flagsFromPerms(v.perms);
  const r = mnemonicsToFlags(v.vmflags);
  if ('unknown' in r) throw new LineError(v.line, `VmFlags '${r.unknown}' is not a flag vmasim knows`);
  const f = r.flags;
  const want: [string, boolean, string][] = [
    ['r', hasAny(f, VM_READ), 'rd'],
    ['w', hasAny(f, VM_WRITE), 'wr'],
    ['x', hasAny(f, VM_EXEC), 'ex'],
    ['s', hasAny(f, VM_MAYSHARE), 'ms'],
  ];
  want.forEach(([letter, has, m], i) => {
    const shown = i === 3 ? v.perms[3] === 's' : v.perms[i] === letter;
    if (shown !== has)
      throw new LineError(v.line, `the permissions ${v.perms} disagree with the VmFlags line (${has ? 'it has' : 'it lacks'} ${m})`);
  });
  return f;
}

/**
 * Where a file or shmem mapping ends in its file: the size the file is taken
 * to have. Sizes are held exactly below 2^53 (as `file` SIZE is), so an
 * OFFSET near 2^64 is refused rather than rounded.
 */
function fileEnd(v: Entry): number {
  const end = v.offset + (v.end - v.start);
  if (end > BigInt(Number.MAX_SAFE_INTEGER))
    throw new LineError(v.line, `OFFSET ${shortText(v.offset.toString(16))} is too large: the mapping would end 0x${end.toString(16)} bytes into its file, above the 2^53 - 1 bytes a file may have`);
  return Number(end);
}

/** Names the kernel gives to memory without a file ([heap], [stack], [vdso], ...). */
const KERNEL_NAME = /^\[[^\]]*\]$/;

export function importMapsText(text: string, format: 'maps' | 'smaps', source: ImportSource): MapsImportResult {
  let entries: Entry[];
  try {
    entries = format === 'maps' ? parseMapsText(text) : parseSmapsText(text);
    checkEntries(entries);
  } catch (e) {
    if (e instanceof LineError) return { ok: false, error: e.message };
    throw e;
  }

  const notes: string[] = [];
  const files = new Map<string, { size: number; vmas: number }>();
  const shmem: SnapshotFile[] = [];
  const vmas: SnapshotVma[] = [];
  let anonCount = 0;
  let anonVmas = 0;
  const droppedNames = new Set<string>();
  let devices = false;
  try {
    for (const v of entries) {
      if (v.end > TASK_SIZE) {
        notes.push(`line ${v.line}: ${v.pathname ?? 'a VMA'} at ${v.start.toString(16)} lies above the user address range (not a VMA of the process): left out`);
        continue;
      }
      const flags = flagsOf(v);
      const shared = v.perms[3] === 's';
      const start = Number(v.start);
      const end = Number(v.end);
      const offsetPages = Number(v.offset / 4096n);
      if (v.dev !== '00:00' || v.inode !== 0n) devices = true;
      let file: string | null = null;
      let name: string | null = null;
      let pgoff = start / PAGE_SIZE;
      const p = v.pathname;
      const anonName = p ? /^\[anon:(.*)\]$/.exec(p) : null;
      const shmemName = p ? /^\[anon_shmem:(.*)\]$/.exec(p) : null;
      const badName = anonName || shmemName ? anonNameProblem((anonName ?? shmemName)![1]!) : null;
      if (badName) throw new LineError(v.line, `the anonymous name ${badName}`);
      if (shmemName || (shared && (p === null || p === '/dev/zero (deleted)'))) {
        file = `shmem:${shmem.length + 1}`;
        shmem.push({ id: file, kind: 'shmem', name: null, size: fileEnd(v) });
        name = shmemName ? shmemName[1]! : null;
        pgoff = offsetPages;
      } else if (anonName) {
        name = anonName[1]!;
      } else if (p !== null && KERNEL_NAME.test(p)) {
        droppedNames.add(p);
      } else if (p !== null) {
        const badPath = fileNameProblem(p);
        if (badPath) throw new LineError(v.line, `the path ${badPath}`);
        file = p;
        pgoff = offsetPages;
        const f = files.get(p) ?? { size: 0, vmas: 0 };
        if (f.vmas === 0 && files.size >= MAX_FILES) throw new LineError(v.line, `a path beyond the ${MAX_FILES.toLocaleString('en-US')} files vmasim holds`);
        files.set(p, { size: Math.max(f.size, fileEnd(v)), vmas: f.vmas + 1 });
      }
      if (file === null) anonCount++;
      let anon: string | null = null;
      if (v.anonymousKb !== null && v.anonymousKb > 0) anon = `a${++anonVmas}`;
      vmas.push({
        start: hex(start),
        end: hex(end),
        pgoff,
        vmflags: flagsToMnemonics(flags),
        file,
        anon_vma: anon,
        anon_vma_chain: anon ? [anon] : [],
        name,
        close: false,
      });
    }
  } catch (e) {
    if (e instanceof LineError) return { ok: false, error: e.message };
    throw e;
  }

  if (format === 'maps') {
    notes.push('maps does not show anon_vmas: every VMA is imported without one');
    notes.push('maps has no VmFlags line: flags come from the permissions (rd wr ex), plus mr mw me, sh ms for shared and ac for private writable VMAs; locked, dontfork and other flags cannot be seen');
  } else {
    notes.push(
      `smaps does not show anon_vmas: each VMA whose Anonymous is above 0 kB got one of its own (${anonVmas}), the others none; VMAs split from one VMA may in truth share one`,
    );
  }
  if (anonCount > 0) notes.push('private anonymous VMAs get pgoff = start / 4096, the pgoff of memory mapped there and never moved');
  if (files.size > 0) notes.push(`file sizes are not shown: each of the ${files.size} file${files.size === 1 ? '' : 's'} is taken to end where its furthest mapping ends`);
  if ([...files.values()].some((f) => f.vmas > 1)) notes.push('VMAs of one path are taken to be one open file, so they may merge with each other');
  if (shmem.length > 0) notes.push('shared anonymous VMAs each get a shmem object of their own');
  if (droppedNames.size > 0) notes.push(`kernel-named VMAs (${[...droppedNames].join(', ')}) are imported as anonymous memory without their names`);
  if (devices) notes.push('device and inode numbers are not kept');

  const fileList: SnapshotFile[] = [...files.entries()].map(([path, f]) => ({ id: path, kind: 'regular', name: path, size: f.size }));
  return { ok: true, data: { kind: 'address-space', format, source, files: [...fileList, ...shmem], vmas }, notes };
}
