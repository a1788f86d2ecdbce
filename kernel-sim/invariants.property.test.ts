/**
 * The simulator's invariants under random operation sequences, and what
 * `vmasim run --check` says when one breaks.
 *
 * Every operation of thousands of random sequences (system calls, `vma`
 * internal-API lines, `fork` and `process`) is stepped one at a time and
 * followed by validateState (the kernel's validate_mm and the simulator's own
 * bookkeeping) and by rules of the spec that hold whatever the operation:
 *
 * - an operation is pure: the state it started from is unchanged;
 * - it acts on the current process only, and `fork` "changes nothing in the
 *   parent" (scenario-language.md, Processes), nor in any other process;
 * - a refused `vma` line changes nothing (scenario-language.md, internal API);
 * - a page that stays mapped keeps its file, its pgoff and its anon_vma
 *   (§1.3: splits, merges and downward expansion keep pgoff linear; §12.3:
 *   splits share the anon_vma, a merge keeps the single one there is),
 *   outside the range an operation replaces or removes (munmap, MAP_FIXED,
 *   mremap's source and destination, `vma unmap/shrink/expand`); and a page
 *   goes away only there;
 * - `fork` copies the parent as dup_mmap does (scenario-language.md,
 *   Processes): one copy per VMA but `dc` ones, without `lo`/`lf`, a `wf`
 *   copy empty, every other copy with an anon_vma linked after its parent's
 *   chain with a new anon_vma of its own;
 * - with system calls alone (no `vma` line, which is literal and unchecked):
 *   at most max_map_count + 1 VMAs (kernel-vma-semantics.md §4); guard
 *   markers only inside VMAs that carry `gu` (§8.5: install sets `gu` on the
 *   whole VMA, `gu` is never cleared, unmapping takes the page tables with
 *   it); `sh` exactly when `ms`, and only with a file (§2.1, §1.1: shared
 *   anonymous memory has its shmem file); no anon_vma on a shared VMA
 *   (§12.1: no fault in a shared mapping makes one); every VMA between 4096
 *   and TASK_SIZE (§1.2).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { StateCommand } from '../commands/ast.js';
import { isStateCommand } from '../commands/engine.js';
import { parseLine } from '../commands/parse.js';
import { newParseContext, type ParseContext } from '../commands/parse-context.js';
import { runScenario } from '../commands/run-scenario.js';
import { cmdRun } from '../cli/cmd-run.js';
import { generateScenario } from '../live/fuzz-generate.js';
import { flagsAnd, flagsToMnemonics, mnemonicsToFlags } from './flags.js';
import { GuardMarkers, type GuardRange } from './guard-markers.js';
import { initialState, type Mm, type SimState } from './state.js';
import { CommandError, step } from './step.js';
import { TASK_SIZE } from './syscalls/u64.js';
import { HIGH, LOW, scenario, type Arena, type LineMix } from './testing/random-lines.js';
import { validateState } from './validate.js';
import { VmaTree } from './vma-tree.js';
import type { Vma } from './vma.js';

/**
 * A way to hand `vmasim run` a corrupt state: the next step whose command
 * matches `when` has its resulting state passed through `corrupt`.
 */
const injected = vi.hoisted(() => ({
  when: null as null | ((cmd: { kind: string }) => boolean),
  corrupt: null as null | ((s: SimState) => SimState),
}));

vi.mock('./step.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./step.js')>();
  return {
    ...real,
    step: (state: SimState, cmd: StateCommand) => {
      const out = real.step(state, cmd);
      if (injected.when && injected.corrupt && injected.when(cmd)) {
        const corrupt = injected.corrupt;
        injected.when = null;
        injected.corrupt = null;
        return { ...out, state: corrupt(out.state) };
      }
      return out;
    },
  };
});

afterEach(() => {
  injected.when = null;
  injected.corrupt = null;
});

// ---------------------------------------------------------------------------
// Stepping with checks

/** Everything of a state that an operation may change, as text. */
function stateText(s: SimState): string {
  return JSON.stringify({
    config: s.config,
    files: s.files,
    current: s.current,
    nextAnonVma: s.nextAnonVma,
    nextShmem: s.nextShmem,
    named: s.namedAnonVmas,
    processes: s.processes.map((p) => ({ id: p.id, parent: p.parent, mm: mmText(p.mm) })),
  });
}

function mmText(mm: Mm): string {
  return JSON.stringify({ vmas: mm.vmas.toArray(), guards: mm.guards.toArray() });
}

const fl = (m: string) => {
  const r = mnemonicsToFlags([m]);
  if ('unknown' in r) throw new Error(`unknown mnemonic ${m}`);
  return r.flags;
};
const has = (v: Vma, m: string) => flagsAnd(v.flags, fl(m)) !== 0;

const where = (pid: number, v: Vma) => `process ${pid} VMA 0x${v.start.toString(16)}-0x${v.end.toString(16)} (${flagsToMnemonics(v.flags).join(' ')})`;

/** The rules that hold after any sequence of system calls, fork and process lines (see the top of the file). */
function syscallRules(s: SimState): string[] {
  const broken: string[] = [];
  s.processes.forEach((p, pid) => {
    if (p.mm.vmas.size > s.config.maxMapCount + 1) broken.push(`process ${pid}: ${p.mm.vmas.size} VMAs, above max_map_count + 1 (${s.config.maxMapCount + 1})`);
    for (const v of p.mm.vmas) {
      if (v.start < 4096 || v.end > TASK_SIZE) broken.push(`${where(pid, v)}: outside [4096, TASK_SIZE)`);
      if (has(v, 'sh') !== has(v, 'ms')) broken.push(`${where(pid, v)}: sh without ms or ms without sh`);
      if (has(v, 'sh') && v.file === null) broken.push(`${where(pid, v)}: shared without a file`);
      if (has(v, 'sh') && v.anonVma !== null) broken.push(`${where(pid, v)}: a shared VMA with anon_vma ${v.anonVma}`);
    }
    for (const g of p.mm.guards.toArray()) {
      for (let a = g.start; a < g.end; ) {
        const v = p.mm.vmas.find(a);
        if (!v) {
          broken.push(`process ${pid}: guard marker at 0x${a.toString(16)} outside every VMA`);
          break;
        }
        if (!has(v, 'gu')) broken.push(`process ${pid}: guard marker at 0x${a.toString(16)} in ${where(pid, v)}, which has no gu`);
        a = v.end;
      }
    }
  });
  return broken;
}

const PAGE = 4096;
const PAGE_BIG = 4096n;
const LIMIT = 2n ** 53n;

/** [start, end) of ADDR and LEN, widened to whole pages and kept to what a number holds. */
function pagesOf(addr: bigint, len: bigint): [number, number] {
  const s = (addr / PAGE_BIG) * PAGE_BIG;
  const e = ((addr + len + PAGE_BIG - 1n) / PAGE_BIG) * PAGE_BIG;
  return [Number(s < LIMIT ? s : LIMIT), Number(e < LIMIT ? e : LIMIT)];
}

/**
 * Where an operation may remove pages or change what they map: null when the
 * preservation rule does not apply to the command (other processes, setup).
 */
function replacedRanges(cmd: StateCommand, before: Mm): [number, number][] | null {
  switch (cmd.kind) {
    case 'mmap':
      return cmd.flags.fixed || cmd.flags.noreplace ? [pagesOf(cmd.addr ?? 0n, cmd.len)] : [];
    case 'munmap':
      return [pagesOf(cmd.addr, cmd.len)];
    case 'mremap': {
      const out = [pagesOf(cmd.addr, cmd.oldLen)];
      if (cmd.newAddr !== null) out.push(pagesOf(cmd.newAddr, cmd.newLen));
      return out;
    }
    case 'mprotect':
    case 'madvise':
    case 'mlock':
    case 'munlock':
    case 'mseal':
    case 'name':
    case 'touch':
    case 'vma-add':
    case 'vma-merge-new':
    case 'vma-merge-existing':
    case 'vma-modify':
    case 'vma-split':
    case 'vma-copy':
      return [];
    case 'vma-unmap':
    case 'vma-expand':
      return [pagesOf(cmd.start, cmd.end - cmd.start)];
    case 'vma-shrink': {
      const v = before.vmas.find(Number(cmd.start < LIMIT ? cmd.start : 0n));
      return v ? [[v.start, v.end]] : [];
    }
    default:
      return null;
  }
}

/** Pieces of [a, b) outside every range of `cut`. */
function outside(a: number, b: number, cut: readonly [number, number][]): [number, number][] {
  let parts: [number, number][] = [[a, b]];
  for (const [s, e] of cut) {
    parts = parts.flatMap(([x, y]): [number, number][] => {
      if (e <= x || s >= y) return [[x, y]];
      const keep: [number, number][] = [];
      if (x < s) keep.push([x, s]);
      if (e < y) keep.push([e, y]);
      return keep;
    });
  }
  return parts;
}

/** Every page of `before` outside `cut` is still mapped, with the same file, pgoff and (if it had one) anon_vma. */
function preserved(pid: number, before: Mm, after: Mm, cut: readonly [number, number][]): string[] {
  const broken: string[] = [];
  for (const v of before.vmas) {
    for (const [a, b] of outside(v.start, v.end, cut)) {
      let at = a;
      for (const w of after.vmas.range(a, b)) {
        if (w.start > at) break;
        const x = Math.max(at, w.start);
        const pgBefore = v.pgoff + (x - v.start) / PAGE;
        const pgAfter = w.pgoff + (x - w.start) / PAGE;
        if (w.file !== v.file || pgAfter !== pgBefore || (v.anonVma !== null && w.anonVma !== v.anonVma)) {
          broken.push(
            `process ${pid} page 0x${x.toString(16)}: was file ${v.file} pgoff ${pgBefore} anon_vma ${v.anonVma}, ` +
              `now file ${w.file} pgoff ${pgAfter} anon_vma ${w.anonVma}`,
          );
          break;
        }
        at = Math.min(w.end, b);
      }
      if (at < b) broken.push(`process ${pid}: 0x${at.toString(16)}-0x${b.toString(16)} of ${where(pid, v)} was unmapped`);
    }
  }
  return broken;
}

/** The child of a fork, as dup_mmap makes it from the parent. */
function forkRules(before: SimState, after: SimState): string[] {
  const broken: string[] = [];
  const parent = before.processes[before.current]!.mm;
  const child = after.processes.at(-1)!.mm;
  const used = new Set(before.processes.flatMap((p) => p.mm.vmas.toArray().flatMap((v) => v.anonVmaChain)));
  const fresh = new Set<string>();
  const copies = parent.vmas.toArray().filter((v) => !has(v, 'dc'));
  const got = child.vmas.toArray();
  if (got.length !== copies.length) return [`fork: the child has ${got.length} VMAs, the parent ${copies.length} to copy`];
  const guards: GuardRange[] = [];
  copies.forEach((v, i) => {
    const c = got[i]!;
    const wipe = has(v, 'wf');
    const flags = flagsToMnemonics(v.flags).filter((m) => m !== 'lo' && m !== 'lf');
    const same =
      c.start === v.start && c.end === v.end && c.pgoff === v.pgoff && c.file === v.file && c.anonName === v.anonName && c.hasClose === v.hasClose &&
      flagsToMnemonics(c.flags).join(' ') === flags.join(' ');
    if (!same) broken.push(`fork: ${where(after.processes.length - 1, c)} is not a copy of ${where(before.current, v)}`);
    if (wipe || v.anonVma === null) {
      if (c.anonVma !== null || c.anonVmaChain.length) broken.push(`fork: ${where(after.processes.length - 1, c)} has anon_vma ${c.anonVma}, expected none`);
    } else {
      const id = c.anonVma;
      if (id === null || used.has(id) || fresh.has(id)) broken.push(`fork: ${where(after.processes.length - 1, c)} has anon_vma ${id}, expected a new one`);
      else fresh.add(id);
      if (c.anonVmaChain.join('>') !== [...v.anonVmaChain, id].join('>')) broken.push(`fork: chain ${c.anonVmaChain.join('>')}, expected ${v.anonVmaChain.join('>')}>${id}`);
    }
    if (wipe) return;
    for (const g of parent.guards.toArray()) {
      const start = Math.max(g.start, v.start);
      const end = Math.min(g.end, v.end);
      if (start >= end) continue;
      // Pieces cut at a boundary between two copied VMAs join up again.
      const last = guards.at(-1);
      if (last && last.end === start) guards[guards.length - 1] = { start: last.start, end };
      else guards.push({ start, end });
    }
  });
  const text = (rs: readonly GuardRange[]) => rs.map((g) => `0x${g.start.toString(16)}-0x${g.end.toString(16)}`).join(',');
  if (text(child.guards.toArray()) !== text(guards)) broken.push(`fork: the child's guard markers are ${text(child.guards.toArray())}, expected ${text(guards)}`);
  return broken;
}

interface Failure {
  readonly line: number;
  readonly text: string;
  readonly broken: readonly string[];
}

/** Step through `lines` from the empty start; the first line after which a rule is broken, or null. */
function firstBreak(lines: readonly string[], opts: { readonly syscallRules: boolean }): Failure | null {
  const ctx: ParseContext = newParseContext();
  let state = initialState();
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const parsed = parseLine(text, ctx, { file: '<random>', line: i + 1 });
    if (parsed.kind !== 'command' || !isStateCommand(parsed.cmd)) throw new Error(`line ${i + 1} '${text}' is not a state command: ${JSON.stringify(parsed)}`);
    const cmd = parsed.cmd;
    const before = stateText(state);
    const mmsBefore = state.processes.map((p) => mmText(p.mm));
    let out;
    try {
      out = step(state, cmd);
    } catch (e) {
      if (e instanceof CommandError) continue;
      return { line: i + 1, text, broken: [`threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`] };
    }
    const next = out.state;
    const broken = [...validateState(next)];
    if (stateText(state) !== before) broken.push('the state the operation started from was modified');
    const acting = cmd.kind === 'fork' || cmd.kind === 'process' ? -1 : state.current;
    mmsBefore.forEach((text, pid) => {
      if (pid !== acting && (next.processes[pid] === undefined || mmText(next.processes[pid]!.mm) !== text))
        broken.push(`process ${pid} changed, but ${cmd.kind} acted on ${acting < 0 ? 'no address space' : `process ${acting}`}`);
    });
    if (cmd.kind === 'fork') {
      if (next.processes.length !== state.processes.length + 1) broken.push(`fork made ${next.processes.length - state.processes.length} processes`);
      else if (out.ret !== state.processes.length || next.processes.at(-1)!.parent !== state.current) broken.push(`fork returned ${out.ret} / parent ${next.processes.at(-1)!.parent}`);
      else broken.push(...forkRules(state, next));
    } else if (next.processes.length !== state.processes.length) broken.push(`${cmd.kind} changed the number of processes`);
    const cut = replacedRanges(cmd, state.processes[state.current]!.mm);
    if (cut !== null && next.processes.length === state.processes.length)
      broken.push(...preserved(state.current, state.processes[state.current]!.mm, next.processes[state.current]!.mm, cut));
    if (cmd.kind.startsWith('vma-') && out.errno !== null && stateText(next) !== before) broken.push(`refused with ${out.errno}, but the state changed`);
    if (opts.syscallRules) broken.push(...syscallRules(next));
    if (broken.length) return { line: i + 1, text, broken };
    state = next;
  }
  return null;
}

function assertNoBreak(lines: readonly string[], opts: { readonly syscallRules: boolean }): void {
  const f = firstBreak(lines, opts);
  if (f) {
    throw new Error(
      `line ${f.line} '${f.text}' broke:\n  ${f.broken.join('\n  ')}\nscenario up to it:\n${lines.slice(0, f.line).join('\n')}`,
    );
  }
}

// ---------------------------------------------------------------------------

const counted = { sequences: 0, ops: 0 };

function property(arena: Arena, mix: LineMix, maxOps: number, numRuns: number, seed: number, rules: { syscallRules: boolean }): void {
  fc.assert(
    fc.property(scenario(arena, mix, maxOps), (lines) => {
      counted.sequences++;
      counted.ops += lines.length;
      assertNoBreak(lines, rules);
    }),
    { numRuns, seed },
  );
}

describe('random operation sequences keep every invariant', () => {
  afterAll(() => {
    // One line in the log, so that the amount of work is visible.
    console.info(`invariants: ${counted.sequences} sequences, ${counted.ops} operations checked`);
  });

  it('system calls, vma lines, fork and process, mixed', () => {
    property(HIGH, { syscalls: 5, vma: 5, processes: 1 }, 60, 400, 0x5eed01, { syscallRules: false });
  });

  it('vma lines alone, at address 0 (the internal API has no mmap_min_addr)', () => {
    property(LOW, { syscalls: 0, vma: 1, processes: 0 }, 60, 200, 0x5eed02, { syscallRules: false });
  });

  it('system calls, fork and process: also the rules that only system calls keep', () => {
    property(HIGH, { syscalls: 8, vma: 0, processes: 1 }, 60, 400, 0x5eed03, { syscallRules: true });
  });

  it('the fuzz generator’s scenarios (errors, huge pages, forks), some at a low max_map_count', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const g = generateScenario(seed, { ops: 60, forks: true });
      const limit = seed % 3 === 0 ? [`config max_map_count ${4 + (seed % 11)}`] : [];
      const lines = [...limit, ...g.lines];
      counted.sequences++;
      counted.ops += lines.length;
      const f = firstBreak(lines, { syscallRules: true });
      expect(f, f ? `seed ${seed}: line ${f.line} '${f.text}': ${f.broken.join('; ')}` : '').toBeNull();
    }
  });
});

// ---------------------------------------------------------------------------
// validateState itself, on states made corrupt by hand

const P = 4096;
const B = 0x100000000000;

function vma(start: number, end: number, extra: Partial<Vma> = {}): Vma {
  return { start, end, pgoff: start / P, flags: fl('rd') + fl('wr'), file: null, anonVma: null, anonVmaChain: [], anonName: null, hasClose: false, ...extra };
}

function stateWith(vmas: readonly Vma[], extra: { guards?: GuardRange[]; files?: SimState['files'] } = {}): SimState {
  const s = initialState();
  return {
    ...s,
    files: extra.files ?? s.files,
    processes: [{ id: 0, parent: null, mm: { vmas: VmaTree.fromSorted(vmas), guards: extra.guards ? lyingGuards(extra.guards) : GuardMarkers.EMPTY } }],
  };
}

/** Guard markers that list the given ranges as they are, sound or not. */
function lyingGuards(ranges: readonly GuardRange[]): GuardMarkers {
  return { toArray: () => [...ranges] } as unknown as GuardMarkers;
}

/** A tree that lies: it iterates over `listed`, claims `size`, and finds by address in `index`. */
function lyingTree(listed: readonly Vma[], size: number, index: readonly Vma[]): VmaTree {
  const real = VmaTree.fromSorted(index);
  return {
    get size() {
      return size;
    },
    [Symbol.iterator]: () => listed[Symbol.iterator](),
    find: (a: number) => real.find(a),
  } as unknown as VmaTree;
}

describe('validateState names each broken rule', () => {
  const ok = [vma(B, B + 2 * P), vma(B + 4 * P, B + 5 * P)];

  it('finds nothing wrong with a sound state', () => {
    expect(validateState(stateWith(ok))).toEqual([]);
    expect(validateState(initialState())).toEqual([]);
  });

  const cases: [string, SimState, RegExp][] = [
    ['unaligned start', stateWith([vma(B + 1, B + P)]), /VMA 0x100000000001-0x100000001000: not page aligned/],
    ['unaligned end', stateWith([vma(B, B + P + 8)]), /not page aligned/],
    ['empty VMA', stateWith([vma(B, B)]), /0x100000000000-0x100000000000: empty or inverted/],
    ['inverted VMA', stateWith([vma(B + P, B)]), /empty or inverted/],
    ['overlap', stateWith([vma(B, B + 3 * P), vma(B + 2 * P, B + 4 * P)]), /VMA 0x100000002000-0x100000004000: overlaps or is out of order/],
    ['out of order', stateWith([vma(B + 4 * P, B + 5 * P), vma(B, B + P)]), /overlaps or is out of order/],
    ['negative pgoff', stateWith([vma(B, B + P, { pgoff: -1 })]), /pgoff -1 is not a page number/],
    ['fractional pgoff', stateWith([vma(B, B + P, { pgoff: 1.5 })]), /pgoff 1.5 is not a page number/],
    ['unknown file', stateWith([vma(B, B + P, { file: 'nosuch', pgoff: 0 })]), /refers to a file that does not exist \(nosuch\)/],
    ['chain without anon_vma', stateWith([vma(B, B + P, { anonVmaChain: ['av1'] })]), /anon_vma chain without an anon_vma/],
    ['anon_vma not last of its chain', stateWith([vma(B, B + P, { anonVma: 'av2', anonVmaChain: ['av2', 'av1'] })]), /its anon_vma av2 is not the last of its chain/],
    ['anon_vma with an empty chain', stateWith([vma(B, B + P, { anonVma: 'av1', anonVmaChain: [] })]), /its anon_vma av1 is not the last of its chain/],
    ['guard ranges out of order', stateWith(ok, { guards: [{ start: B + P, end: B + 2 * P }, { start: B, end: B + P }] }), /guard markers 0x100000000000-0x100000001000: overlap, touch or are out of order/],
    ['guard ranges that touch', stateWith(ok, { guards: [{ start: B, end: B + P }, { start: B + P, end: B + 2 * P }] }), /guard markers 0x100000001000-0x100000002000: overlap, touch/],
    ['empty guard range', stateWith(ok, { guards: [{ start: B, end: B }] }), /guard markers 0x100000000000-0x100000000000: empty or inverted/],
    ['unaligned guard range', stateWith(ok, { guards: [{ start: B, end: B + 8 }] }), /guard markers 0x100000000000-0x100000000008: not page aligned/],
    ['current process missing', { ...stateWith(ok), current: 1 }, /current process 1 does not exist/],
    [
      'process numbering',
      { ...stateWith(ok), processes: [{ id: 3, parent: null, mm: { vmas: VmaTree.fromSorted(ok), guards: GuardMarkers.EMPTY } }] },
      /process 0 carries the number 3/,
    ],
    [
      'map_count disagrees with the VMAs',
      { ...stateWith(ok), processes: [{ id: 0, parent: null, mm: { vmas: lyingTree(ok, 5, ok), guards: GuardMarkers.EMPTY } }] },
      /process 0: map_count 5 but 2 VMAs/,
    ],
    [
      'the index does not find a VMA',
      { ...stateWith(ok), processes: [{ id: 0, parent: null, mm: { vmas: lyingTree(ok, 2, [ok[0]!]), guards: GuardMarkers.EMPTY } }] },
      /the index does not find process 0 VMA 0x100000004000-0x100000005000/,
    ],
  ];

  it.each(cases)('%s', (_name, state, rule) => {
    const broken = validateState(state);
    expect(broken.some((b) => rule.test(b)), broken.join('; ')).toBe(true);
  });

  it('reports every broken rule, in every process', () => {
    // Process 0: an unaligned start, then a VMA out of order with a negative pgoff.
    const s = stateWith([vma(B + P + 1, B + 2 * P, { pgoff: 0 }), vma(B, B + 2 * P, { pgoff: -3 })]);
    const two: SimState = { ...s, processes: [...s.processes, { id: 1, parent: 0, mm: { vmas: VmaTree.fromSorted([vma(B, B)]), guards: GuardMarkers.EMPTY } }] };
    const broken = validateState(two);
    const p0 = broken.filter((b) => b.startsWith('process 0'));
    expect(p0.some((b) => /0x100000001001-0x100000002000: not page aligned/.test(b)), p0.join('; ')).toBe(true);
    expect(p0.some((b) => /0x100000000000-0x100000002000: overlaps or is out of order/.test(b)), p0.join('; ')).toBe(true);
    expect(p0.some((b) => /0x100000000000-0x100000002000: pgoff -3 is not a page number/.test(b)), p0.join('; ')).toBe(true);
    expect(broken.filter((b) => b.startsWith('process 1'))).toContain('process 1 VMA 0x100000000000-0x100000000000: empty or inverted');
  });
});

// ---------------------------------------------------------------------------
// `vmasim run --check`

/** Corruptions of the current process's VMAs, and the rule each breaks. */
function editVmas(edit: (vmas: Vma[]) => Vma[]): (s: SimState) => SimState {
  return (s) => {
    const processes = s.processes.slice();
    const p = processes[s.current]!;
    processes[s.current] = { ...p, mm: { ...p.mm, vmas: VmaTree.fromSorted(edit(p.mm.vmas.toArray())) } };
    return { ...s, processes };
  };
}

const SCENARIO = [
  '# three anonymous VMAs, then operations that keep them apart',
  'file f 8p',
  'mmap 0x100000000000 2p rw- fixed',
  'mmap 0x100000004000 2p r-- fixed',
  'mprotect 0x100000004000 1p rw-',
  'vma split 0x100000001000',
  'fork',
  'process 1',
  'munmap 0x100000005000 1p',
].join('\n');

const CORRUPTIONS: [string, string, (s: SimState) => SimState, RegExp][] = [
  ['mprotect', 'mprotect 0x100000004000 1p rw-', editVmas((v) => [{ ...v[0]!, end: v[1]!.start + P }, ...v.slice(1)]), /overlaps or is out of order/],
  ['vma-split', 'vma split 0x100000001000', editVmas((v) => [{ ...v[0]!, start: v[0]!.start + 12 }, ...v.slice(1)]), /not page aligned/],
  ['mmap', 'mmap 0x100000004000 2p r-- fixed', editVmas((v) => [...v.slice(0, -1), { ...v.at(-1)!, file: 'gone', pgoff: 0 }]), /refers to a file that does not exist \(gone\)/],
  ['munmap', 'munmap 0x100000005000 1p', editVmas((v) => [{ ...v[0]!, anonVma: 'av7', anonVmaChain: ['av7', 'av9'] }, ...v.slice(1)]), /anon_vma av7 is not the last of its chain/],
  ['fork', 'fork', (s) => ({ ...s, processes: s.processes.map((p, i) => (i === 1 ? { ...p, id: 7 } : p)) }), /process 1 carries the number 7/],
  ['process', 'process 1', (s) => ({ ...s, current: 4 }), /current process 4 does not exist/],
];

describe('vmasim run --check', () => {
  it('passes the sound scenario, and every scenario of the corpus', () => {
    expect(runScenario(SCENARIO, 'ok.vma', { check: true }).ok).toBe(true);
    const dir = fileURLToPath(new URL('../test/scenarios/', import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.vma'));
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const out = runScenario(readFileSync(join(dir, f), 'utf8'), join(dir, f), { check: true });
      expect(out.ok ? '' : out.message, f).toBe('');
    }
  });

  it.each(CORRUPTIONS)('names the %s line that broke the state, and the rule', (kind, text, corrupt, rule) => {
    // The scenario's second mmap is the one meant.
    injected.when = (cmd) => cmd.kind === kind && (kind !== 'mmap' || (cmd as { addr?: bigint }).addr === 0x100000004000n);
    injected.corrupt = corrupt;
    const out = runScenario(SCENARIO, 'corrupt.vma', { check: true });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    const lineNo = SCENARIO.split('\n').indexOf(text) + 1;
    expect(out.message.startsWith(`corrupt.vma:${lineNo}: '${text}' broke an invariant: `), out.message).toBe(true);
    expect(out.message).toMatch(rule);
  });

  it('without --check the same corruption goes unnoticed', () => {
    injected.when = (cmd) => cmd.kind === 'mprotect';
    injected.corrupt = CORRUPTIONS[0]![2];
    expect(runScenario(SCENARIO, 'corrupt.vma').ok).toBe(true);
  });

  it('the command line: exit 1 and the message on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmasim-check-'));
    const file = join(dir, 's.vma');
    writeFileSync(file, SCENARIO + '\n');
    const err: string[] = [];
    const out: string[] = [];
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
    try {
      expect(cmdRun(file, { json: false, check: true, explain: false })).toBe(0);
      injected.when = (cmd) => cmd.kind === 'vma-split';
      injected.corrupt = CORRUPTIONS[1]![2];
      out.length = 0;
      expect(cmdRun(file, { json: true, check: true, explain: false })).toBe(1);
    } finally {
      e.mockRestore();
      o.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(out.join('')).toBe('');
    expect(err.join('')).toMatch(new RegExp(`^vmasim: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6: 'vma split 0x100000001000' broke an invariant: .*not page aligned`));
  });
});
