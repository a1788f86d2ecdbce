/**
 * `vmasim run --explain` gives the right reason for each refused merge.
 *
 * For the corpus scenarios written to show a merge being refused, the reason
 * expected on the line that shows it comes from the scenario's purpose (its
 * comment) and the spec (kernel-vma-semantics.md §2, §3, §6.4; the
 * "Processes" part of scenario-language.md), worked out by hand: which
 * neighbour does not merge, and every reason it does not. Flags are compared
 * as the set of mnemonics that differ (§2.1, §2.3 for `ac`).
 *
 * Beyond the corpus: the merge refusals that only the internal API can show
 * (special mappings), and a sweep over the corpus and random scenarios that
 * every refusal that names a neighbour gives at least one reason, in words
 * `--explain` knows.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cmdRun } from '../cli/cmd-run.js';
import { runScenario, type LineRecord } from '../commands/run-scenario.js';
import { HIGH, scenario } from '../kernel-sim/testing/random-lines.js';
import type { TraceStep } from '../kernel-sim/trace.js';
import { generateScenario } from '../live/fuzz-generate.js';

const DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'vmasim-explain-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What `vmasim run FILE --explain` prints. */
function explainOutput(path: string): string {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
  try {
    const code = cmdRun(path, { json: false, check: false, explain: true });
    if (code !== 0) throw new Error(`vmasim run ${path} --explain: exit ${code}: ${err.join('')}`);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return out.join('');
}

interface Explained {
  readonly lines: readonly LineRecord[];
  /** The `--explain` text. */
  readonly output: string;
}

const cache = new Map<string, Explained>();

function explainFile(path: string): Explained {
  let r = cache.get(path);
  if (!r) {
    const out = runScenario(readFileSync(path, 'utf8'), path, { explain: true });
    if (!out.ok) throw new Error(out.message);
    r = { lines: out.lines, output: explainOutput(path) };
    cache.set(path, r);
  }
  return r;
}

function explainText(name: string, text: string): Explained {
  const path = join(tmp, `${name}.vma`);
  writeFileSync(path, text);
  return explainFile(path);
}

/** `--explain`'s rendering of one step, as cli/cmd-run.ts prints it under its line. */
const rendered = (t: TraceStep) => `      ${t.text}${t.reasons ? `: ${t.reasons.join('; ')}` : ''}`;

// ---------------------------------------------------------------------------
// Expected reasons

type Reason =
  /** `flags differ: ...` naming exactly these mnemonics. */
  | { readonly flags: readonly string[] }
  | RegExp;

const ANON_VMA_DIFFERS = /^anon_vma differs\b/;
const PGOFF = /^pgoff not contiguous\b/;
const DIFFERENT_FILE = /^different file$/;
const FILE_AND_ANON = /^file and anonymous memory$/;
const NEIGHBOUR_FORK_CHILD = /^the neighbour is a fork child\b/;
const MOVED_FORK_CHILD = /^the moved VMA is a fork child\b/;
const PREV_NEXT_ANON = /^prev and next have different anon_vmas\b/;
const NEXT_CLOSE = /^next has vm_ops->close$/;
const MIDDLE_CLOSE = /^the modified VMA has vm_ops->close$/;

interface Refusal {
  /** 1-based line of the scenario. */
  readonly line: number;
  /** The neighbour that does not merge, and its range; null for a refusal that is not about one neighbour. */
  readonly side: 'prev' | 'next' | null;
  readonly range: string;
  /** Every reason, and nothing else. */
  readonly reasons: readonly Reason[];
  /** Where the expectation comes from. */
  readonly why: string;
}

function matches(r: Reason, text: string): boolean {
  if (r instanceof RegExp) return r.test(text);
  const m = /^flags differ: (.*)$/.exec(text);
  return m !== null && m[1]!.split(' ').sort().join(' ') === [...r.flags].sort().join(' ');
}

const describeReason = (r: Reason) => (r instanceof RegExp ? r.source : `flags differ: ${r.flags.join(' ')}`);

/** The no-merge step of `line` about `side` `range` (or mentioning `range`), with its rendering checked. */
function refusalStep(ex: Explained, want: Refusal): TraceStep {
  const rec = ex.lines.find((l) => l.line === want.line);
  if (!rec) throw new Error(`no result for line ${want.line}`);
  const steps = rec.trace.filter((t) => t.kind === 'no-merge');
  const step = steps.find((t) => (want.side ? t.text.startsWith(`${want.side} ${want.range} `) : t.text.includes(want.range)));
  expect(step, `line ${want.line} '${rec.command}': no no-merge step for ${want.side ?? ''} ${want.range}; steps: ${rec.trace.map(rendered).join(' | ')}`).toBeDefined();
  // The step is what `--explain` prints under that line.
  const block = ex.output.split('\n');
  const at = block.findIndex((l) => l.startsWith(`${want.line}: ${rec.command}  =>  `));
  expect(at, `line ${want.line} in the --explain output`).toBeGreaterThanOrEqual(0);
  const under: string[] = [];
  for (let i = at + 1; i < block.length && block[i]!.startsWith('      '); i++) under.push(block[i]!);
  expect(under).toContain(rendered(step!));
  return step!;
}

function expectReasons(step: TraceStep, want: Refusal): void {
  const got = [...(step.reasons ?? [])];
  const unmatched = want.reasons.filter((r) => {
    const i = got.findIndex((g) => matches(r, g));
    if (i < 0) return true;
    got.splice(i, 1);
    return false;
  });
  expect(
    { missing: unmatched.map(describeReason), unexpected: got },
    `line ${want.line}: ${step.text}: ${(step.reasons ?? []).join('; ')} (${want.why})`,
  ).toEqual({ missing: [], unexpected: [] });
}

const B = (off: number) => `0x${(0x100000000000 + off).toString(16)}`;
const R = (a: number, b: number) => `${B(a)}-${B(b)}`;
const P = 0x1000;

const CORPUS: Readonly<Record<string, readonly Refusal[]>> = {
  'merge-new-none-flags-differ': [
    { line: 4, side: 'prev', range: R(0, P), reasons: [{ flags: ['wr', 'ex', 'ac'] }], why: 'rw-p has wr and ac (§2.3), r-xp has ex and no ac' },
    { line: 4, side: 'next', range: R(2 * P, 3 * P), reasons: [{ flags: ['wr', 'ex', 'ac'] }], why: 'the same on the right' },
    { line: 6, side: 'prev', range: R(0x10000, 0x11000), reasons: [{ flags: ['lo'] }], why: 'MAP_LOCKED sets lo' },
    { line: 8, side: 'prev', range: R(0x20000, 0x21000), reasons: [{ flags: ['ac', 'nr'] }], why: 'MAP_NORESERVE: nr instead of ac' },
    { line: 11, side: 'prev', range: R(0x30000, 0x31000), reasons: [{ flags: ['sl'] }], why: 'a sealed neighbour: sl (§2.4: not ignored)' },
  ],
  'merge-new-file-incompatible': [
    { line: 5, side: 'prev', range: R(0, P), reasons: [PGOFF], why: 'offset 2p after a page at offset 0 (§3.1 rule 9)' },
    { line: 7, side: 'prev', range: R(0x10000, 0x11000), reasons: [{ flags: ['sh', 'ms'] }], why: 'private next to shared (the file is open read-write: sh and ms)' },
    { line: 9, side: 'prev', range: R(0x20000, 0x21000), reasons: [{ flags: ['wr', 'ac'] }], why: 'rw-p next to r--p: wr, and ac for a private writable mapping' },
    { line: 13, side: 'prev', range: R(0x30000, 0x31000), reasons: [{ flags: ['ac'] }], why: 'a file mapping once made writable keeps ac (§2.3)' },
    { line: 15, side: 'prev', range: R(0x40000, 0x41000), reasons: [DIFFERENT_FILE], why: 'two open files (§3.1 rule 5)' },
    { line: 17, side: 'prev', range: R(0x50000, 0x51000), reasons: [FILE_AND_ANON, PGOFF], why: 'a file next to anonymous memory, whose pgoff is its address' },
  ],
  'merge-new-shared-anon-never': [
    {
      line: 3,
      side: 'prev',
      range: R(0, P),
      reasons: [FILE_AND_ANON, PGOFF],
      why: '§6.4 step 5: the new range has no file at merge time, the neighbour its shmem file; both have pgoff 0',
    },
  ],
  'merge-new-none-pgoff-discontiguous': [
    { line: 5, side: 'prev', range: R(0x10000, 0x11000), reasons: [PGOFF], why: 'the moved touched VMA keeps its old pgoff (§1.3)' },
    { line: 6, side: 'next', range: R(0x10000, 0x11000), reasons: [PGOFF], why: 'the same below it' },
  ],
  'merge-new-none-anon-vma-differs': [
    { line: 7, side: 'prev', range: R(0, P), reasons: [ANON_VMA_DIFFERS], why: 'the moved VMA carries Y, prev X (§3.2 row X/Y); pgoff and flags match' },
  ],
  'merge-existing-right-part-anon-vma-conflict': [
    { line: 7, side: 'prev', range: R(0, 3 * P), reasons: [{ flags: ['ex'] }, ANON_VMA_DIFFERS], why: 'rwx next to rw-, and two anon_vmas' },
    { line: 8, side: 'next', range: R(3 * P, 4 * P), reasons: [ANON_VMA_DIFFERS], why: 'the right part made rw- matches next but for its anon_vma (§3.4 step 1)' },
  ],
  'merge-existing-whole-anon-vma-conflict': [
    { line: 7, side: 'next', range: R(2 * P, 3 * P), reasons: [PREV_NEXT_ANON], why: '§3.4: M merges into prev only; prev and next carry different anon_vmas' },
  ],
  'merge-new-both-anon-vma-conflict': [
    { line: 6, side: 'next', range: R(2 * P, 3 * P), reasons: [PREV_NEXT_ANON], why: '§3.1 last paragraph, §3.3 step 3' },
  ],
  'vma-merge-new-anon-conflict': [{ line: 6, side: 'next', range: '0x3000-0x4000', reasons: [PREV_NEXT_ANON], why: '§3.3 step 3' }],
  'merge-new-fork-child-neighbour': [
    { line: 6, side: 'prev', range: R(0, P), reasons: [NEIGHBOUR_FORK_CHILD], why: '§3.2 row X/none: the neighbour is a fork child' },
  ],
  'fork-child-no-merge': [
    { line: 10, side: 'prev', range: R(0, P), reasons: [NEIGHBOUR_FORK_CHILD], why: 'an unfaulted VMA mprotected to match a copied VMA with an anon_vma' },
    {
      line: 12,
      side: 'prev',
      range: R(0x10000, 0x11000),
      reasons: [ANON_VMA_DIFFERS],
      why: 'the first fault did not adopt the fork child’s anon_vma, so the two anon_vmas differ',
    },
  ],
  'fork-child-mremap-no-merge': [
    { line: 9, side: 'next', range: R(P, 2 * P), reasons: [MOVED_FORK_CHILD], why: '§3.2: for the copy mremap makes, the moved VMA is a fork child' },
  ],
  'fault-no-reuse-not-adjacent': [
    { line: 6, side: 'next', range: R(2 * P, 3 * P), reasons: [{ flags: ['ex'] }], why: 'rw- next to rwx: both private writable, so both have ac' },
    { line: 7, side: 'prev', range: R(0, 2 * P), reasons: [ANON_VMA_DIFFERS], why: 'written while apart: two anon_vmas (§12.2)' },
  ],
  'fault-reuse-flag-rules': [
    { line: 5, side: 'prev', range: R(0, P), reasons: [{ flags: ['ex', 'dd'] }], why: 'rwx next to rw- with dontdump' },
    { line: 7, side: 'prev', range: R(0, P), reasons: [{ flags: ['ex'] }, ANON_VMA_DIFFERS], why: 'dd kept the fault from reusing prev’s anon_vma' },
    { line: 8, side: 'prev', range: R(0, P), reasons: [ANON_VMA_DIFFERS], why: 'the flags are equal now; the anon_vmas still differ' },
    { line: 11, side: 'prev', range: R(0x10000, 0x11000), reasons: [{ flags: ['ex'] }], why: 'gu is ignored for merging (§2.4): only ex differs' },
  ],
  'guard-no-anon-vma-reuse-ac-differs': [
    { line: 4, side: 'prev', range: R(0, P), reasons: [{ flags: ['wr', 'ac'] }], why: 'r--p has neither wr nor ac' },
    { line: 6, side: 'prev', range: R(0, P), reasons: [ANON_VMA_DIFFERS], why: 'the guard gave the r-- VMA an anon_vma of its own (§12.2: ac differs)' },
  ],
  'merge-existing-ac': [
    { line: 9, side: 'prev', range: R(0x10000, 0x11000), reasons: [{ flags: ['ac'] }], why: 'a touched VMA made r-- keeps ac (§2.3)' },
    { line: 12, side: 'prev', range: R(0x20000, 0x21000), reasons: [{ flags: ['ac'] }], why: 'a private file piece once made writable keeps ac' },
    { line: 12, side: 'next', range: R(0x22000, 0x23000), reasons: [{ flags: ['ac'] }], why: 'the same on the right' },
  ],
  'madvise-sealed-allowed': [
    { line: 13, side: 'prev', range: R(0x11000, 0x12000), reasons: [{ flags: ['dd', 'hg'] }], why: 'both sealed; prev has dd, the range gets hg' },
  ],
  'merge-existing-walk-collapses': [
    { line: 5, side: 'next', range: R(P, 2 * P), reasons: [{ flags: ['wr', 'ex', 'ac'] }], why: 'r-- made rw- gains ac (§2.3); next is r-x' },
    { line: 5, side: 'next', range: R(2 * P, 3 * P), reasons: [{ flags: ['rd', 'wr', 'ac'] }], why: 'then the rw- VMA next to ---' },
  ],
  'vma-merge-new-both-next-close': [{ line: 6, side: 'next', range: '0x3000-0x4000', reasons: [NEXT_CLOSE], why: '§3.3 table: next has close, degrade to prev only' }],
  'vma-modify-both-next-close-left-only': [
    { line: 7, side: 'next', range: '0x3000-0x4000', reasons: [NEXT_CLOSE], why: '§3.4 step 1: only the left merge is done' },
  ],
  'vma-modify-whole-close-no-merge': [
    { line: 6, side: null, range: '0x2000-0x3000', reasons: [MIDDLE_CLOSE], why: '§3.4 step 1: the whole of M with a close hook does not merge' },
  ],
};

describe('--explain names the reason of each refused merge in the corpus', () => {
  for (const [name, refusals] of Object.entries(CORPUS)) {
    it(name, () => {
      const ex = explainFile(join(DIR, `${name}.vma`));
      for (const want of refusals) expectReasons(refusalStep(ex, want), want);
    });
  }

  it('where the same case merges, nothing is refused', () => {
    const merging = [
      // The parent merges what its fork child refuses (lines run in process 0).
      ['fork-child-no-merge', [14, 16]],
      ['merge-new-fork-child-neighbour', [8]],
      // A gu difference does not stop anon_vma reuse, so the VMAs merge (§12.2).
      ['fault-reuse-flag-rules', [13]],
      // An untouched VMA made r-- loses ac; a shared file piece has none (§2.3).
      ['merge-existing-ac', [5, 15]],
    ] as const;
    for (const [name, lines] of merging) {
      const ex = explainFile(join(DIR, `${name}.vma`));
      for (const n of lines) {
        const rec = ex.lines.find((l) => l.line === n)!;
        expect(rec.trace.filter((t) => t.kind === 'no-merge').map(rendered), `${name}:${n}`).toEqual([]);
        expect(rec.trace.some((t) => t.kind === 'merge'), `${name}:${n}`).toBe(true);
      }
    }
  });

  it('a close hook on next still lets prev merge; on the whole modified VMA nothing merges', () => {
    const both = explainFile(join(DIR, 'vma-merge-new-both-next-close.vma')).lines.find((l) => l.line === 6)!;
    expect(both.result?.ret).toBe('0x1000-0x3000');
    expect(both.trace.some((t) => t.kind === 'merge' && /prev/.test(t.text))).toBe(true);
    const whole = explainFile(join(DIR, 'vma-modify-whole-close-no-merge.vma')).lines.find((l) => l.line === 6)!;
    expect(whole.result?.ret).toBe('0x2000-0x3000');
    expect(whole.trace.some((t) => t.kind === 'merge')).toBe(false);
  });
});

describe('--explain on refusals the corpus cannot show', () => {
  it('a special mapping (VM_SPECIAL) never merges, and a special neighbour differs in its flag', () => {
    const text = [
      'window 0x0 0x100000',
      'vma add 0x1000 0x2000 1 rd,wr,mr,mw',
      // §3.3 step 1: R.flags has VM_SPECIAL -> no merge, whatever the neighbours.
      'vma merge-new 0x2000 0x3000 2 rd,wr,mr,mw,io',
      'vma add 0x5000 0x6000 5 rd,wr,mr,mw,pf',
      // The proposal is ordinary; the neighbour's pf is a flag that differs (§3.1 rule 4).
      'vma merge-new 0x6000 0x7000 6 rd,wr,mr,mw',
      'vma add 0x9000 0xa000 9 rd,wr,mr,mw',
      'vma add 0xa000 0xb000 10 rd,mr,mw',
      // §3.4 step 1: new flags with VM_SPECIAL -> no merge; the range is changed in place.
      'vma modify 0xa000 0xb000 rd,wr,mr,mw,de',
      'vma modify 0xa000 0xb000 rd,wr,mr,mw,mm',
    ].join('\n');
    const ex = explainText('special', text + '\n');
    const stepOf = (line: number) => ex.lines.find((l) => l.line === line)!;
    for (const [line, range] of [
      [3, '0x2000-0x3000'],
      [8, '0xa000-0xb000'],
      [9, '0xa000-0xb000'],
    ] as const) {
      const rec = stepOf(line);
      const refused = rec.trace.filter((t) => t.kind === 'no-merge');
      expect(refused.map(rendered), `line ${line}`).toHaveLength(1);
      expect(refused[0]!.text, `line ${line}`).toContain(range);
      expect(refused[0]!.text, `line ${line}`).toMatch(/special.*VM_SPECIAL.*never merged/);
      expect(rec.trace.some((t) => t.kind === 'merge'), `line ${line}`).toBe(false);
      expect(ex.output).toContain(rendered(refused[0]!));
    }
    expect(stepOf(3).result?.ret).toBe('none');
    const neighbour: Refusal = { line: 5, side: 'prev', range: '0x5000-0x6000', reasons: [{ flags: ['pf'] }], why: 'pf differs' };
    expectReasons(refusalStep(ex, neighbour), neighbour);
  });

  it('every reason at once: flags, file, anon_vma and pgoff', () => {
    const text = [
      'window 0x0 0x100000',
      'file f 16p',
      'vma add 0x1000 0x2000 7 rd,wr,mr,mw,lo file=f av=X',
      'vma merge-new 0x2000 0x3000 1 rd,mr,mw,dd av=Y',
    ].join('\n');
    const ex = explainText('everything', text + '\n');
    const want: Refusal = {
      line: 4,
      side: 'prev',
      range: '0x1000-0x2000',
      reasons: [{ flags: ['wr', 'lo', 'dd'] }, FILE_AND_ANON, ANON_VMA_DIFFERS, PGOFF],
      why: '§3.1 rules 4, 5, 8 and 9 all fail',
    };
    expectReasons(refusalStep(ex, want), want);
  });
});

// ---------------------------------------------------------------------------
// Every refusal gives a reason

/** The words every reason starts with. */
const VOCABULARY: readonly RegExp[] = [
  /^flags differ: [a-z]{2}( [a-z]{2})*$/,
  ANON_VMA_DIFFERS,
  PGOFF,
  DIFFERENT_FILE,
  FILE_AND_ANON,
  /^anon names differ$/,
  NEIGHBOUR_FORK_CHILD,
  MOVED_FORK_CHILD,
  /^the modified VMA is a fork child\b/,
  PREV_NEXT_ANON,
  NEXT_CLOSE,
  MIDDLE_CLOSE,
  /^special mapping \(VM_SPECIAL\b/,
  /^the range touches neither edge of the VMA$/,
];

/** Problems with the no-merge steps of one run: a neighbour refused without a reason, or a reason in no known words. */
function unexplained(lines: readonly LineRecord[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    for (const t of l.trace) {
      if (t.kind !== 'no-merge') continue;
      const aboutNeighbour = /^(prev|next) 0x/.test(t.text);
      const reasons = t.reasons ?? [];
      if (aboutNeighbour && reasons.length === 0) out.push(`line ${l.line} '${l.command}': ${t.text} (no reason)`);
      if (!aboutNeighbour && reasons.length === 0 && !/VM_SPECIAL|touches neither edge/.test(t.text)) out.push(`line ${l.line} '${l.command}': ${t.text} (no reason)`);
      for (const r of reasons) if (!VOCABULARY.some((v) => v.test(r))) out.push(`line ${l.line} '${l.command}': unknown reason '${r}'`);
    }
  }
  return out;
}

describe('every refused merge is explained', () => {
  it('in every corpus scenario', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.vma'));
    let refusals = 0;
    for (const f of files) {
      const out = runScenario(readFileSync(join(DIR, f), 'utf8'), f, { explain: true });
      if (!out.ok) throw new Error(out.message);
      refusals += out.lines.flatMap((l) => l.trace).filter((t) => t.kind === 'no-merge').length;
      expect(unexplained(out.lines), f).toEqual([]);
    }
    expect(refusals).toBeGreaterThan(100);
  });

  it('in random scenarios: system calls, vma lines and forks', () => {
    const check = (text: string) => {
      const out = runScenario(text, '<random>', { explain: true });
      if (!out.ok) throw new Error(out.message);
      const bad = unexplained(out.lines);
      if (bad.length) throw new Error(`${bad.join('\n')}\n--- scenario:\n${text}`);
    };
    fc.assert(
      fc.property(scenario(HIGH, { syscalls: 5, vma: 5, processes: 1 }, 50), (lines) => check(lines.join('\n'))),
      { numRuns: 150, seed: 0xe4a1 },
    );
    for (let seed = 1000; seed < 1100; seed++) check(generateScenario(seed, { ops: 50, forks: true }).text);
  });
});
