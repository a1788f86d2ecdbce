/**
 * The VMA table's rows and columns, as plain strings: the Ink table and the
 * plain-text output share them. Columns follow pwndbg's `vmmap` (start, end,
 * size, perms, offset, file) plus what the simulator knows and the kernel
 * hides: the anon_vma and the VmFlags.
 *
 * VmFlags leave out rd, wr and ex: the perms column says them already, and
 * at 80 columns the room is needed for the rest.
 */
import { printable } from '../../commands/printable.js';
import { flagsToMnemonics, permsString } from '../../kernel-sim/flags.js';
import type { SimState } from '../../kernel-sim/state.js';
import { hex, PAGE_SIZE, type Vma } from '../../kernel-sim/vma.js';
import type { Changes } from './changes.js';
import { vmaKind, type VmaKind } from './vma-kind.js';

export type Mark = '+' | '~' | '-' | ' ';

export interface TableEntry {
  readonly vma: Vma;
  readonly mark: Mark;
  /** A VMA the last command removed: shown where it was, struck out. */
  readonly removed: boolean;
  readonly kind: VmaKind;
}

/** The current process's VMAs with the removed ones in between, in address order. */
export function tableEntries(state: SimState, changes: Changes): TableEntry[] {
  const out: TableEntry[] = [];
  const removed = changes.removed;
  let r = 0;
  for (const v of state.processes[state.current]!.mm.vmas) {
    while (r < removed.length && removed[r]!.start <= v.start) out.push(removedEntry(removed[r++]!));
    const mark: Mark = changes.added.has(v) ? '+' : changes.changed.has(v) ? '~' : ' ';
    out.push({ vma: v, mark, removed: false, kind: vmaKind(v.flags) });
  }
  while (r < removed.length) out.push(removedEntry(removed[r++]!));
  return out;
}

function removedEntry(v: Vma): TableEntry {
  return { vma: v, mark: '-', removed: true, kind: vmaKind(v.flags) };
}

export function formatSize(bytes: number): string {
  const K = 1024;
  const M = K * K;
  const G = M * K;
  if (bytes >= G && bytes % G === 0) return `${bytes / G}G`;
  if (bytes >= M && bytes % M === 0) return `${bytes / M}M`;
  if (bytes < 100_000 * K) return `${Math.round(bytes / K)}K`;
  if (bytes < 100_000 * M) return `${(bytes / M).toFixed(1)}M`;
  return `${(bytes / G).toFixed(1)}G`;
}

/**
 * The file NAME, `[anon:NAME]`, or nothing for anonymous memory, as maps
 * names them; a NAME may hold control characters, shown escaped.
 */
export function vmaName(state: SimState, v: Vma): string {
  const file = v.file ? state.files[v.file] : undefined;
  if (file && file.kind === 'regular') return printable(file.name ?? '');
  return v.anonName !== null ? `[anon:${v.anonName}]` : '';
}

export function vmaOffset(state: SimState, v: Vma): number {
  return v.file && state.files[v.file] ? v.pgoff * PAGE_SIZE : 0;
}

const SHOWN_BY_PERMS = new Set(['rd', 'wr', 'ex']);

export function extraFlags(v: Vma): string {
  return flagsToMnemonics(v.flags)
    .filter((m) => !SHOWN_BY_PERMS.has(m))
    .join(' ');
}

export interface Cells {
  readonly start: string;
  readonly end: string;
  readonly size: string;
  readonly perms: string;
  readonly offset: string;
  readonly anonVma: string;
  readonly name: string;
  readonly flags: string;
}

export function cellsOf(state: SimState, v: Vma): Cells {
  return {
    start: hex(v.start),
    end: hex(v.end),
    size: formatSize(v.end - v.start),
    perms: permsString(v.flags),
    offset: hex(vmaOffset(state, v)),
    // A fork child's chain is longer than one: `av5<av2` reads as "av5, linked to av2's".
    anonVma: v.anonVma === null ? '' : v.anonVmaChain.length > 1 ? `${v.anonVma}<${v.anonVmaChain[0]}` : v.anonVma,
    name: vmaName(state, v),
    flags: extraFlags(v),
  };
}

export interface Columns {
  readonly start: number;
  readonly end: number;
  readonly size: number;
  readonly offset: number;
  readonly anonVma: number;
  readonly name: number;
  readonly flags: number;
}

const HEADERS = { start: 'Start', end: 'End', size: 'Size', perms: 'Perm', offset: 'Offset', anonVma: 'anon_vma', name: 'File', flags: 'VmFlags' };

/** Column widths for the terminal's width, from every row's cells. */
export function fitColumns(all: readonly Cells[], width: number): Columns {
  const widest = (f: keyof Cells, min: number) => all.reduce((w, c) => Math.max(w, c[f].length), min);
  const start = widest('start', HEADERS.start.length);
  const end = widest('end', HEADERS.end.length);
  const size = widest('size', HEADERS.size.length);
  const offset = widest('offset', HEADERS.offset.length);
  // "anon_vma" is long for a column of `av1`: the header shortens to fit.
  const anonVma = widest('anonVma', 3);
  const nameWant = widest('name', HEADERS.name.length);
  const flagsWant = widest('flags', HEADERS.flags.length);
  const fixed = 2 + start + 1 + end + 1 + size + 1 + 4 + 1 + offset + 1 + anonVma + 1;
  const rest = Math.max(0, width - fixed);
  let name = Math.min(nameWant, Math.max(8, rest - flagsWant - 1));
  name = Math.min(name, rest);
  const flags = Math.max(0, rest - name - 1);
  return { start, end, size, offset, anonVma, name, flags };
}

function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text.padEnd(width);
  return text.slice(0, width - 1) + '…';
}

/** One line of the table without the mark: padded to the columns, cut to fit. */
export function rowText(c: Cells, cols: Columns): string {
  return [
    c.start.padEnd(cols.start),
    c.end.padEnd(cols.end),
    c.size.padStart(cols.size),
    c.perms,
    c.offset.padStart(cols.offset),
    fit(c.anonVma, cols.anonVma),
    fit(c.name, cols.name),
    fit(c.flags, cols.flags),
  ]
    .join(' ')
    .trimEnd();
}

export function headerText(cols: Columns): string {
  return rowText(
    {
      start: HEADERS.start,
      end: HEADERS.end,
      size: HEADERS.size,
      perms: HEADERS.perms,
      offset: HEADERS.offset,
      anonVma: cols.anonVma >= HEADERS.anonVma.length ? HEADERS.anonVma : 'av',
      name: HEADERS.name,
      flags: HEADERS.flags,
    },
    cols,
  );
}

/** The whole table as plain text, marks included: for `vmas` and for pipes. */
export function tableText(state: SimState, entries: readonly TableEntry[], width = 200): string {
  const cells = entries.map((e) => cellsOf(state, e.vma));
  const cols = fitColumns(cells, width);
  return ['  ' + headerText(cols), ...entries.map((e, i) => `${e.mark} ${rowText(cells[i]!, cols)}`)].join('\n');
}
