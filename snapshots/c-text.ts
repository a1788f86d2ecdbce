/** Pieces of C text shared by the kernel-c and selftest exports. */
import { basename, extname } from 'node:path';
import { flagsToMnemonics, type VmFlags } from '../kernel-sim/flags.js';
import { PAGE_SIZE } from '../kernel-sim/vma.js';

/**
 * The kernel's names for the VmFlags mnemonics. Flags whose macro a test
 * harness may lack are written as their bit, with the name in a comment.
 */
const FLAG_MACROS: Readonly<Record<string, string>> = {
  rd: 'VM_READ', wr: 'VM_WRITE', ex: 'VM_EXEC', sh: 'VM_SHARED', mr: 'VM_MAYREAD', mw: 'VM_MAYWRITE', me: 'VM_MAYEXEC',
  ms: 'VM_MAYSHARE', gd: 'VM_GROWSDOWN', pf: 'VM_PFNMAP', lo: 'VM_LOCKED', io: 'VM_IO', sr: 'VM_SEQ_READ',
  rr: 'VM_RAND_READ', dc: 'VM_DONTCOPY', de: 'VM_DONTEXPAND', lf: 'VM_LOCKONFAULT', ac: 'VM_ACCOUNT', nr: 'VM_NORESERVE',
  ht: 'VM_HUGETLB', sf: 'VM_SYNC', wf: 'VM_WIPEONFORK', dd: 'VM_DONTDUMP', mm: 'VM_MIXEDMAP', hg: 'VM_HUGEPAGE',
  nh: 'VM_NOHUGEPAGE', mg: 'VM_MERGEABLE',
};
const FLAG_BITS: Readonly<Record<string, [number, string]>> = {
  um: [9, 'VM_UFFD_MISSING'], gu: [11, 'VM_MAYBE_GUARD'], uw: [12, 'VM_UFFD_WP'], ar: [24, 'VM_ARCH_1'], sd: [27, 'VM_SOFTDIRTY'],
  ss: [37, 'VM_SHADOW_STACK'], dp: [40, 'VM_DROPPABLE'], ui: [41, 'VM_UFFD_MINOR'], sl: [42, 'VM_SEALED'],
};

/** `VM_READ | VM_MAYREAD` for flags; VM_NONE for none. */
export function cFlags(flags: VmFlags): string {
  const parts = flagsToMnemonics(flags).map((m) => {
    const macro = FLAG_MACROS[m];
    if (macro) return macro;
    const [bit, name] = FLAG_BITS[m]!;
    return `(1UL << ${bit}) /* ${name} */`;
  });
  return parts.length ? parts.join(' | ') : 'VM_NONE';
}

/** An address as the kernel's tests write it: 0, or lower-case hex. */
export function cAddr(n: number | bigint): string {
  return n === 0 || n === 0n ? '0' : `0x${n.toString(16)}`;
}

/** A page offset: decimal while small, hex beyond. */
export function cPgoff(n: number): string {
  return n < 0x1000 ? String(n) : `0x${n.toString(16)}`;
}

/** A C identifier made of a word (`av1` → `av1`, `my-file` → `my_file`). */
export function cIdent(word: string): string {
  const s = word.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** The test's name from the file it is written to (`merge_right.c` → `merge_right`), or a fallback. */
export function testNameFromPath(path: string | undefined, fallback: string): string {
  if (!path) return fallback;
  const base = basename(path, extname(path))
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^test_/, '');
  return base === '' ? fallback : /^[0-9]/.test(base) ? `_${base}` : base;
}

export interface RulerRow {
  /** Page-aligned [start, end) drawn with one character a page. */
  readonly start: number;
  readonly end: number;
  readonly ch: string;
}

/**
 * A page ruler in the style of tools/testing/vma: one column a page, `0123…`
 * over the rows (the ruler's digit is the page number modulo 16).
 */
export function rulerLines(base: number, pages: number, rows: readonly (readonly RulerRow[])[]): string[] {
  let ruler = '';
  for (let i = 0; i < pages; i++) ruler += (i % 16).toString(16);
  const out = [ruler];
  for (const row of rows) {
    const cells = new Array<string>(pages).fill(' ');
    for (const r of row)
      for (let a = r.start; a < r.end; a += PAGE_SIZE) {
        const i = (a - base) / PAGE_SIZE;
        if (i >= 0 && i < pages) cells[i] = r.ch;
      }
    out.push(cells.join('').trimEnd());
  }
  return out;
}

/** A marker line for a range: `*` for one page, `<>`, `<->`, `<-->` for more. */
export function rangeMarker(base: number, start: number, end: number): string {
  const from = Math.floor((start - base) / PAGE_SIZE);
  const n = Math.max(1, Math.ceil((end - start) / PAGE_SIZE));
  const mark = n === 1 ? '*' : `<${'-'.repeat(n - 2)}>`;
  return ' '.repeat(from) + mark;
}

/** Text that may stand inside a C comment. */
export function cCommentText(text: string): string {
  return text.replace(/\*\//g, '* /');
}

/** A C string literal. */
export function cString(text: string): string {
  let out = '"';
  for (const ch of Buffer.from(text, 'utf8')) {
    if (ch === 0x22 || ch === 0x5c) out += `\\${String.fromCharCode(ch)}`;
    else if (ch >= 0x20 && ch < 0x7f) out += String.fromCharCode(ch);
    else out += `\\${ch.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** Lines as a C block comment, indented by `indent`. */
export function cComment(lines: readonly string[], indent = '\t'): string {
  return [`${indent}/*`, ...lines.map((l) => (l === '' ? `${indent} *` : `${indent} * ${cCommentText(l)}`)), `${indent} */`].join('\n');
}
