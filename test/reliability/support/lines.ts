/**
 * Hostile lines of the command language: real lines (the scenario corpus,
 * plus one of every command) mutated word by word with huge, negative and
 * fractional numbers, overflowing address + length, unicode, control
 * characters, NUL bytes, CR, long repetitions; and plain random text.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** One of every command and most options, for the kinds the corpus lacks. */
const EXTRA_LINES = [
  'file data 64K', 'file data2 0x3000', 'window 0x100000000000 0x100000100000', 'config anon_vma_name on', 'config soft_dirty on',
  'config max_map_count 100', 'config mmap_base 0x7f0000000000',
  'mmap - 8K rw- shared file=data off=4K', 'mmap 0x100000000000 3p r-x fixed noreserve populate locked',
  'mmap 0x100000010000 16K rw- growsdown fixed', 'mmap 0x100000000000 4K rw- noreplace',
  'munmap 0x100000000000 4K', 'mprotect 0x100000000000 8K r--', 'madvise 0x100000000000 4K guard_install',
  'mlock 0x100000000000 4K onfault', 'munlock 0x100000000000 4K', 'mremap 0x100000000000 4K 8K maymove fixed=0x100000100000',
  'mremap 0x100000000000 4K 4K maymove dontunmap', 'mseal 0x100000000000 4K', 'name 0x100000000000 4K heap', 'name 0x100000000000 4K',
  'touch 0x100000000000 8K read', 'touch 0x100000000000', 'fork', 'process 1', 'process 0',
  'vma add 0x1000 0x3000 1 rd,wr,mr,mw av=a close', 'vma merge-new 0x3000 0x4000 3 rd,wr,mr,mw av=a expand-only fail-prealloc',
  'vma merge-existing 0x1000 0x2000 rd,mr,mw', 'vma modify 0x1000 0x2000 rd,mr,mw fail-prealloc', 'vma expand 0x1000 0x5000',
  'vma shrink 0x1000 0x2000', 'vma split 0x2000', 'vma unmap 0x1000 0x2000', 'vma copy 0x1000 0x8000 8',
  'undo', 'undo 3', 'redo', 'redo 2', 'goto 0', 'goto 3',
  'export json out.json', 'export json existing.json', 'export maps out.maps --force', 'export smaps dir', 'export script out.vma',
  'export vitest out.test.ts', 'export kernel-c out.c', 'export selftest out-selftest.c',
  'import json existing.json', 'import json bad.json', 'import json missing.json', 'import maps good.maps', 'import smaps good.maps',
  'import script good.vma', 'import json dir',
  'history', 'branches', 'back', 'forward 2', 'diff 1 2', 'explain', 'vmas', 'help', 'help mmap', 'help vma split', 'show vmas',
];

function corpusLines(): string[] {
  const out = new Set<string>();
  for (const f of readdirSync(SCENARIOS).filter((n) => n.endsWith('.vma')).sort()) {
    for (const l of readFileSync(SCENARIOS + f, 'utf8').split('\n')) if (l.trim() !== '' && !l.startsWith('#')) out.add(l);
  }
  return [...out];
}

export const BASE_LINES: readonly string[] = [...corpusLines(), ...EXTRA_LINES];

export const NASTY_NUMBERS = [
  '18446744073709551615', '18446744073709551616', '0xffffffffffffffff', '0x10000000000000000', '0xfffffffffffff000',
  '0xfffffffffffffffff000', '99999999999999999999999999999', '16777216G', '18014398509481984K', '4503599627370496p', '17179869184G',
  '-1', '-0', '-4096', '-0x1000', '1.5', '0.5K', '4096.0', '.5', '1e3', '1e100', 'Infinity', 'NaN', '0x', '0X1000', '0x-1', '0xg',
  '00', '010', '0b101', '0o17', '+4096', '4_096', '4,096', '\uff14\uff10\uff19\uff16', '\u0664\u0660\u0669\u0666', '4P', '4kk', '3pp',
  '1p', '0p', '0', '9007199254740993', '0x20000000000000', '0x1fffffffffffff', '0x7ffffffff000', '0x800000000000', '0x7fffffffffff',
  '0x100000000000', '0x100000001000', '4095', '4097', '0x1001', '1G', '1024G', '0x10000000000',
] as const;

export const NASTY_WORDS = [
  'rw-', 'RWX', 'none', 'NONE', 'rwz', '---', 'r', 'rw--', 'fixed', 'FIXED', 'shared', 'private', 'file=', 'file==', 'file=data',
  'file=nope', 'off=', 'off=-1', 'off=4K', 'fixed=', 'fixed=0x1000', '=', '==', '-', '--', '--force', '#', '\\', '"', "'", '`',
  '$(id)', '%s%n', '../../escape', '/nonexistent-folder/x', 'av=', 'av=x', 'close', 'onfault', 'read', 'write', 'maymove', 'dontunmap',
  'expand-only', 'fail-prealloc', 'rd,wr', 'rd,,wr', 'rd,rd', ',', 'zz', '\u00e9', '\ufb01le', 'mmap', 'MMAP', 'vma', 'undo', 'help',
  'constructor', '__proto__', 'toString', 'hasOwnProperty', 'split', 'merge-new', 'dontneed', 'guard_install', 'populate_write',
] as const;

export const NASTY_CHARS = [
  '\u0000', '\u0001', '\u0007', '\u0008', '\u001b[2J', '\u001b]0;title\u0007', '\r', '\u2028', '\u2029', '\u00a0', '\u3000', '\ufeff',
  '\u200b', '\u202e', '\ud83d\ude00', 'e\u0301', '\ud800', '\udc00', '\uffff', '\u0085', '\t', '\u000b', '\u000c', '\u007f', '\u009b',
] as const;

type Mutation =
  | { readonly op: 'replace'; readonly at: number; readonly word: string }
  | { readonly op: 'insert'; readonly at: number; readonly word: string }
  | { readonly op: 'inject'; readonly at: number; readonly text: string }
  | { readonly op: 'delete'; readonly at: number }
  | { readonly op: 'duplicate'; readonly at: number }
  | { readonly op: 'swap'; readonly at: number }
  | { readonly op: 'repeat'; readonly at: number; readonly times: number }
  | { readonly op: 'case'; readonly upper: boolean }
  | { readonly op: 'end'; readonly text: string }
  | { readonly op: 'start'; readonly text: string };

const nastyWord = fc.oneof(
  fc.constantFrom(...NASTY_NUMBERS),
  fc.constantFrom(...NASTY_WORDS),
  fc.constantFrom(...NASTY_CHARS),
  fc.bigInt({ min: 0n, max: (1n << 70n) - 1n }).map((n) => (n % 2n ? `0x${n.toString(16)}` : n.toString())),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(8), word: nastyWord }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(8), word: nastyWord }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('inject' as const), at: fc.nat(80), text: fc.constantFrom(...NASTY_CHARS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(8) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(8) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swap' as const), at: fc.nat(8) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), at: fc.nat(8), times: fc.integer({ min: 2, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('case' as const), upper: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('end' as const), text: fc.constantFrom('\r', '\r\r', ' \r', '\t', ' # comment \u0000', '#', ' ', '\u0000', '\r# x') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('start' as const), text: fc.constantFrom(' ', '\t\t', '\ufeff', '#', '\u00a0', '\r') }) },
);

function apply(line: string, m: Mutation): string {
  const words = line.split(' ');
  const i = 'at' in m ? m.at % Math.max(1, words.length) : 0;
  switch (m.op) {
    case 'replace':
      words[i] = m.word;
      return words.join(' ');
    case 'insert':
      words.splice(i, 0, m.word);
      return words.join(' ');
    case 'inject': {
      const at = m.at % (line.length + 1);
      return line.slice(0, at) + m.text + line.slice(at);
    }
    case 'delete':
      words.splice(i, 1);
      return words.join(' ');
    case 'duplicate':
      words.splice(i, 0, words[i] ?? '');
      return words.join(' ');
    case 'swap':
      if (i + 1 < words.length) [words[i], words[i + 1]] = [words[i + 1]!, words[i]!];
      return words.join(' ');
    case 'repeat':
      words[i] = (words[i] ?? 'x').repeat(m.times);
      return words.join(' ');
    case 'case':
      return m.upper ? line.toUpperCase() : line.toLowerCase();
    case 'end':
      return line + m.text;
    case 'start':
      return m.text + line;
  }
}

/** A real line with zero to four mutations. */
export const mutatedLine: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...BASE_LINES), fc.array(mutation, { maxLength: 4 }))
  .map(([line, ms]) => ms.reduce(apply, line));

/** Words of the language and nasty words in any order. */
export const wordSoup: fc.Arbitrary<string> = fc
  .array(fc.oneof(nastyWord, fc.constantFrom(...BASE_LINES.flatMap((l) => l.split(' ')).slice(0, 400))), { maxLength: 10 })
  .map((ws) => ws.join(' '));

/** Any text at all: random code points (lone surrogates included), or random bytes read as UTF-8. */
export const randomText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.uint8Array({ maxLength: 160 }).map((b) => Buffer.from(b).toString('utf8')),
  fc.uint8Array({ maxLength: 160 }).map((b) => Buffer.from(b).toString('latin1')),
);

/** What a line may be, in the proportions the fuzz tests use. */
export const anyLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: mutatedLine },
  { weight: 2, arbitrary: wordSoup },
  { weight: 2, arbitrary: randomText },
);

/** Line ends a file may use, mixed within one file. */
export const lineEnd = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r', '\n\n', '\u0000\n');

/** A scenario file: hostile lines with mixed line ends. */
export const scenarioText: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...BASE_LINES) }, { weight: 3, arbitrary: anyLine }), lineEnd), { maxLength: 12 })
  .map((rows) => rows.map(([l, e]) => l + e).join(''));
