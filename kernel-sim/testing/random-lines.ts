/**
 * Random lines of the command language for property tests: system calls,
 * `vma` internal-API lines, `fork` and `process`, all aimed at a small arena
 * so that operations keep meeting their neighbours (merges, splits, shared
 * anon_vmas, contiguous and broken pgoffs, close hooks, sealed VMAs).
 */
import fc from 'fast-check';

export const PAGE = 4096;
/** Pages in the arena. */
export const ARENA_PAGES = 24;
/** Files every generated scenario declares first. */
export const FILE_LINES: readonly string[] = ['file f 64p', 'file g 16p'];

const hex = (n: bigint): string => `0x${n.toString(16)}`;

export interface Arena {
  /** First byte of the arena. */
  readonly base: bigint;
}

/** The arena at the start of the default window, and one at address 0 (the internal API allows it). */
export const HIGH: Arena = { base: 0x100000000000n };
export const LOW: Arena = { base: 0n };

const page = fc.integer({ min: 0, max: ARENA_PAGES });
const pages = fc.integer({ min: 1, max: 6 });
const prot = fc.constantFrom('rw-', 'rw-', 'rw-', 'r--', 'r--', '---', 'r-x', 'rwx');

/** VmFlags for `vma` lines: a usual set, sometimes with one or two extra flags. */
const baseFlags = fc.constantFrom(
  ['rd', 'wr', 'mr', 'mw', 'me', 'ac'],
  ['rd', 'wr', 'mr', 'mw', 'me', 'ac'],
  ['rd', 'mr', 'mw', 'me'],
  ['rd', 'wr', 'mr', 'mw', 'me'],
  ['rd', 'wr', 'sh', 'mr', 'mw', 'me', 'ms'],
);
const extraFlag = fc.constantFrom('gu', 'lo', 'sl', 'dc', 'dd', 'hg', 'mg', 'wf', 'io', 'pf', 'de');
const flags = fc
  .tuple(baseFlags, fc.oneof({ weight: 5, arbitrary: fc.constant<string[]>([]) }, { weight: 2, arbitrary: fc.array(extraFlag, { minLength: 1, maxLength: 2 }) }))
  .map(([b, x]) => [...new Set([...b, ...x])].join(','));

const advice = fc.constantFrom(
  'dontfork', 'dofork', 'dontdump', 'dodump', 'hugepage', 'nohugepage', 'wipeonfork', 'keeponfork', 'mergeable',
  'unmergeable', 'dontneed', 'free', 'willneed', 'normal', 'random', 'sequential', 'remove', 'cold', 'pageout',
  'populate_read', 'populate_write', 'guard_install', 'guard_remove',
);

function at(a: Arena, p: number): string {
  return hex(a.base + BigInt(p) * BigInt(PAGE));
}

/** A range [p, p + n) of arena pages as START and LEN or START and END. */
const range = fc.tuple(page, pages);

function syscallLine(a: Arena): fc.Arbitrary<string> {
  const A = (p: number) => at(a, p);
  const fileArg = fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('f', 'g'), fc.integer({ min: 0, max: 20 })).map(([f, o]) => ` file=${f} off=${o}p`) },
  );
  const mmapFlags = fc.tuple(
    fc.constantFrom(' fixed', ' fixed', ' fixed', ' noreplace', ''),
    fc.constantFrom('', '', '', '', ' shared', ' private'),
    fc.constantFrom('', '', '', '', '', ' locked', ' populate', ' noreserve', ' growsdown'),
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(range, prot, mmapFlags, fileArg).map(([[p, n], pr, [f1, f2, f3], file]) => `mmap ${A(p)} ${n}p ${pr}${f1}${f2}${f3}${file}`) },
    { weight: 2, arbitrary: range.map(([p, n]) => `munmap ${A(p)} ${n}p`) },
    { weight: 4, arbitrary: fc.tuple(range, prot).map(([[p, n], pr]) => `mprotect ${A(p)} ${n}p ${pr}`) },
    { weight: 3, arbitrary: fc.tuple(range, advice).map(([[p, n], adv]) => `madvise ${A(p)} ${n}p ${adv}`) },
    { weight: 1, arbitrary: fc.tuple(range, fc.boolean()).map(([[p, n], f]) => `mlock ${A(p)} ${n}p${f ? ' onfault' : ''}`) },
    { weight: 1, arbitrary: range.map(([p, n]) => `munlock ${A(p)} ${n}p`) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(range, pages, fc.constantFrom('', ' maymove', ' maymove', ' maymove dontunmap'), fc.option(page, { nil: undefined }))
        .map(([[p, n], m, flagsText, to]) => `mremap ${A(p)} ${n}p ${m}p${flagsText}${to !== undefined && flagsText ? ` fixed=${A(to)}` : ''}`),
    },
    { weight: 1, arbitrary: range.map(([p, n]) => `mseal ${A(p)} ${n}p`) },
    {
      weight: 4,
      arbitrary: fc.tuple(range, fc.constantFrom('', ' write', ' read')).map(([[p, n], how]) => `touch ${A(p)} ${n}p${how}`),
    },
  );
}

function vmaLine(a: Arena): fc.Arbitrary<string> {
  const A = (p: number) => at(a, p);
  const basePage = a.base / BigInt(PAGE);
  // Mostly the pgoff an anonymous mapping at that page would have, so that neighbours line up.
  const pgoffFor = (p: number) =>
    fc.oneof({ weight: 3, arbitrary: fc.constant((basePage + BigInt(p)).toString()) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }).map(String) });
  const spec = fc
    .tuple(range, fc.option(fc.constantFrom('f', 'g'), { nil: undefined, freq: 3 }), fc.option(fc.constantFrom('X', 'Y', 'Z'), { nil: undefined, freq: 2 }), flags)
    .chain(([[p, n], file, av, fl]) =>
      (file ? fc.integer({ min: 0, max: 40 }).map(String) : pgoffFor(p)).map(
        (pg) => `${A(p)} ${A(p + n)} ${pg} ${fl}${file ? ` file=${file}` : ''}${av ? ` av=${av}` : ''}`,
      ),
    );
  const prealloc = fc.constantFrom('', '', '', '', '', ' fail-prealloc');
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(spec, fc.boolean()).map(([s, close]) => `vma add ${s}${close ? ' close' : ''}`) },
    { weight: 5, arbitrary: fc.tuple(spec, fc.constantFrom('', '', ' expand-only'), prealloc).map(([s, e, f]) => `vma merge-new ${s}${e}${f}`) },
    { weight: 3, arbitrary: fc.tuple(range, flags, prealloc).map(([[p, n], fl, f]) => `vma merge-existing ${A(p)} ${A(p + n)} ${fl}${f}`) },
    { weight: 4, arbitrary: fc.tuple(range, flags, prealloc).map(([[p, n], fl, f]) => `vma modify ${A(p)} ${A(p + n)} ${fl}${f}`) },
    { weight: 2, arbitrary: fc.tuple(range, prealloc).map(([[p, n], f]) => `vma expand ${A(p)} ${A(p + n)}${f}`) },
    { weight: 2, arbitrary: range.map(([p, n]) => `vma shrink ${A(p)} ${A(p + n)}`) },
    { weight: 2, arbitrary: page.map((p) => `vma split ${A(p)}`) },
    { weight: 1, arbitrary: range.map(([p, n]) => `vma unmap ${A(p)} ${A(p + n)}`) },
    {
      weight: 2,
      arbitrary: fc.tuple(page, page, fc.integer({ min: 0, max: 40 }), prealloc).map(([p, q, pg, f]) => `vma copy ${A(p)} ${A(q)} ${pg}${f}`),
    },
  );
}

const processLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constant('fork') },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }).map((n) => `process ${n}`) },
);

export interface LineMix {
  readonly syscalls: number;
  readonly vma: number;
  readonly processes: number;
}

/** One random line in the arena, with the given weights. */
export function line(a: Arena, mix: LineMix): fc.Arbitrary<string> {
  const parts: { weight: number; arbitrary: fc.Arbitrary<string> }[] = [];
  if (mix.syscalls) parts.push({ weight: mix.syscalls, arbitrary: syscallLine(a) });
  if (mix.vma) parts.push({ weight: mix.vma, arbitrary: vmaLine(a) });
  if (mix.processes) parts.push({ weight: mix.processes, arbitrary: processLine });
  return fc.oneof(...parts);
}

/** A scenario: the file lines, then up to maxOps random lines. */
export function scenario(a: Arena, mix: LineMix, maxOps: number): fc.Arbitrary<string[]> {
  return fc.array(line(a, mix), { minLength: 1, maxLength: maxOps, size: 'max' }).map((ops) => [...FILE_LINES, ...ops]);
}
