/**
 * Soak: long random runs of the simulator near max_map_count, with the
 * kernel's invariants checked after every operation and the heap sampled
 * throughout. The history is off (step() directly), so the heap must stay
 * flat: the state is bounded by max_map_count, and nothing else may grow.
 *
 * Sizes: in CI the runs are bounded (VMASIM_SOAK_OPS operations, default
 * 6,000, and VMASIM_SOAK_SECONDS of wall time, default 8 s per run); set
 * VMASIM_SOAK_OPS=500000 for a long run (the time limit then defaults to an
 * hour).
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { StateCommand } from '../../commands/ast.js';
import { CommandError, step } from '../../kernel-sim/step.js';
import { GuardMarkers } from '../../kernel-sim/guard-markers.js';
import { DEFAULT_CONFIG, initialState, type SimState } from '../../kernel-sim/state.js';
import { validateMm, validateState } from '../../kernel-sim/validate.js';
import { VmaTree } from '../../kernel-sim/vma-tree.js';
import { simHistoryOptions } from '../../cli/repl/session.js';
import { History } from '../../store/history.js';
import { ARENA, soakOps } from './support/soak-ops.js';

const LONG = process.env.VMASIM_SOAK_OPS !== undefined;
const OPS = Number(process.env.VMASIM_SOAK_OPS ?? 6_000);
const SECONDS = Number(process.env.VMASIM_SOAK_SECONDS ?? (LONG ? 3600 : 8));
const SEED = Number(process.env.VMASIM_FUZZ_SEED ?? 20240808);
/** Each run stops at SECONDS; its test may take that long and some. */
const TIMEOUT = (SECONDS + 60) * 1000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const SYSCALLS = new Set(['mmap', 'munmap', 'mprotect', 'madvise', 'mlock', 'munlock', 'mremap', 'mseal', 'name', 'touch']);

/** The address range an operation acts on, for the checks around it. */
function rangeOf(cmd: StateCommand): [number, number][] {
  const n = (b: bigint | null | undefined) => (b === null || b === undefined ? 0 : Number(b > 2n ** 53n ? 2n ** 53n : b));
  switch (cmd.kind) {
    case 'mmap':
      return [[n(cmd.addr), n(cmd.addr) + n(cmd.len)]];
    case 'mremap':
      return [[n(cmd.addr), n(cmd.addr) + n(cmd.oldLen) + n(cmd.newLen)], [n(cmd.newAddr), n(cmd.newAddr) + n(cmd.newLen)]];
    case 'touch':
      return [[n(cmd.addr), n(cmd.addr) + n(cmd.len ?? 4096n)]];
    case 'munmap': case 'mprotect': case 'madvise': case 'mlock': case 'munlock': case 'mseal': case 'name':
      return [[n(cmd.addr), n(cmd.addr) + n(cmd.len)]];
    case 'vma-add': case 'vma-merge-new':
      return [[n(cmd.vma.start), n(cmd.vma.end)]];
    case 'vma-split':
      return [[n(cmd.addr), n(cmd.addr)]];
    case 'vma-copy':
      return [[n(cmd.start), n(cmd.start)], [n(cmd.newAddr), n(cmd.newAddr) + 2 ** 30]];
    case 'vma-merge-existing': case 'vma-modify': case 'vma-expand': case 'vma-shrink': case 'vma-unmap':
      return [[n(cmd.start), n(cmd.end)]];
    default:
      return [];
  }
}

/** The invariants around [lo, hi) and a few VMAs either side, found through the index as the kernel would. */
function localProblems(state: SimState, pid: number, ranges: [number, number][]): string[] {
  const tree = state.processes[pid]!.mm.vmas;
  const out: string[] = [];
  for (const [lo, hi] of ranges) {
    // Four VMAs below the range, then on until a few past it.
    let from = lo;
    let k = 0;
    for (const v of tree.iterateDownFrom(lo)) {
      from = v.start;
      if (++k === 4) break;
    }
    const vmas = [];
    for (const v of tree.iterateFrom(from)) {
      vmas.push(v);
      if (v.start >= hi && vmas.length > 8) break;
    }
    out.push(...validateMm(state, { vmas: VmaTree.fromSorted(vmas), guards: GuardMarkers.EMPTY }, pid));
    for (const v of vmas) if (tree.find(v.start) !== v || tree.findFrom(v.start) !== v || tree.findPrev(v.end) !== v) out.push(`process ${pid}: the index does not find 0x${v.start.toString(16)}`);
  }
  return out;
}

interface Run {
  readonly ops: number;
  readonly ms: number;
  readonly errnos: Record<string, number>;
  readonly peakVmas: number;
  readonly heap: number[];
}

/**
 * Run operations on `state`; after each one, `check` sees the states before
 * and after. Stops after `ops` operations or `seconds` of wall time.
 */
function soak(
  start: SimState,
  ops: number,
  seconds: number,
  seed: number,
  opts: { pages: number; maxProcesses: number; samples: number },
  check: (before: SimState, after: SimState, cmd: StateCommand, i: number, failed: boolean) => void,
): Run {
  const src = soakOps(seed, opts);
  const deadline = performance.now() + seconds * 1000;
  const every = Math.max(1, Math.floor(ops / opts.samples));
  const errnos: Record<string, number> = {};
  const heap: number[] = [];
  let s = start;
  let peakVmas = 0;
  const t0 = performance.now();
  let i = 0;
  for (; i < ops && performance.now() < deadline; i++) {
    const cmd = src.next(s.processes.length);
    let next: SimState;
    let failed = true;
    try {
      const o = step(s, cmd);
      errnos[o.errno ?? 'ok'] = (errnos[o.errno ?? 'ok'] ?? 0) + 1;
      next = o.state;
      failed = o.errno !== null;
    } catch (e) {
      if (!(e instanceof CommandError)) throw new Error(`operation ${i} (${JSON.stringify(cmd, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}) threw: ${(e as Error).stack}`);
      errnos.refused = (errnos.refused ?? 0) + 1;
      next = s;
    }
    check(s, next, cmd, i, failed);
    for (const p of next.processes) peakVmas = Math.max(peakVmas, p.mm.vmas.size);
    s = next;
    if (i % every === 0) heap.push(heapMiB());
  }
  heap.push(heapMiB());
  return { ops: i, ms: performance.now() - t0, errnos, peakVmas, heap };
}

/** Heap growth: the highest sample of the second half against the highest of the first (after warm-up). */
function growth(heap: readonly number[]): number {
  const warm = heap.slice(Math.floor(heap.length / 10));
  const half = Math.floor(warm.length / 2);
  return Math.max(...warm.slice(half)) - Math.max(...warm.slice(0, half));
}

function report(name: string, r: Run, extra: string): void {
  const errs = Object.entries(r.errnos).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  const h = r.heap;
  console.log(
    `${name}: ${r.ops} operations in ${(r.ms / 1000).toFixed(1)} s (${Math.round(r.ops / (r.ms / 1000))}/s), 0 invariants broken, ${extra}; ` +
      `peak ${r.peakVmas} VMAs in a process; heap ${Math.min(...h).toFixed(1)}–${Math.max(...h).toFixed(1)} MiB over ${h.length} samples, growth ${growth(h).toFixed(1)} MiB; results: ${errs}`,
  );
}

describe('soak', () => {
  it('near a small max_map_count: every invariant after every operation, the heap flat', () => {
    const MAX = 256;
    const start = initialState({ ...DEFAULT_CONFIG, maxMapCount: MAX });
    let fullChecks = 0;
    let overLimit = 0;
    let keptSplits = 0;
    const r = soak(start, OPS, SECONDS, SEED, { pages: 3 * MAX, maxProcesses: 3, samples: 40 }, (before, after, cmd, i, failed) => {
      const pid = before.current;
      // The operation acts on the current process (a fork adds one); every other process is the very same object.
      after.processes.forEach((p, k) => {
        if (k !== pid && k < before.processes.length && p !== before.processes[k]) throw new Error(`operation ${i} (${cmd.kind}) changed process ${k}`);
      });
      const broken = [...validateMm(after, after.processes[pid]!.mm, pid)];
      if (after.processes.length > before.processes.length) broken.push(...validateMm(after, after.processes[after.processes.length - 1]!.mm, after.processes.length - 1));
      if (after.current < 0 || after.current >= after.processes.length) broken.push(`current process ${after.current}`);
      if (i % 1000 === 0) {
        broken.push(...validateState(after));
        fullChecks++;
      }
      if (broken.length) throw new Error(`operation ${i} (${cmd.kind}) broke: ${broken.join('; ')}`);
      // A system call that succeeds honours max_map_count: one VMA above it at most (mmap checks
      // map_count > max). One that fails may keep a split it made, as the kernel does (a munmap
      // refused with EPERM at a sealed VMA keeps its first split, whatever map_count is).
      const n = after.processes[pid]!.mm.vmas.size;
      if (SYSCALLS.has(cmd.kind) && n > MAX + 1 && n > before.processes[pid]!.mm.vmas.size) {
        if (failed) keptSplits++;
        else overLimit++;
      }
    });
    const errs = r.errnos;
    report(`soak at max_map_count ${MAX}`, r, `${fullChecks} full checks of every process, ${overLimit} successful system calls past max_map_count + 1 (${keptSplits} failed ones kept a split there)`);
    expect(r.ops).toBeGreaterThanOrEqual(Math.min(OPS, 3_000));
    expect(overLimit).toBe(0);
    // Near the limit: operations are refused for it, and most still succeed.
    expect(errs.ENOMEM ?? 0).toBeGreaterThan(r.ops / 50);
    expect(errs.ok ?? 0).toBeGreaterThan(r.ops / 5);
    expect(r.peakVmas).toBeGreaterThanOrEqual(MAX);
    expect(growth(r.heap)).toBeLessThan(8);
  }, TIMEOUT);

  it('at 65,529 VMAs, one below the default max_map_count: operations refused at the limit, the index intact', () => {
    const COUNT = 65_529;
    let s = initialState();
    const t0 = performance.now();
    for (let i = 0; i < COUNT; i++) {
      s = step(s, {
        kind: 'mmap', addr: ARENA + BigInt(i) * 4096n, len: 4096n, prot: i % 2 ? 3 : 1,
        flags: { shared: false, fixed: true, noreplace: false, growsdown: false, locked: false, populate: false, noreserve: false }, file: null, off: 0n,
      }).state;
    }
    const built = performance.now() - t0;
    expect(s.processes[0]!.mm.vmas.size).toBe(COUNT);
    expect(validateState(s)).toEqual([]);
    let full = 1;
    let overLimit = 0;
    const ops = LONG ? Math.ceil(OPS / 10) : 1_000;
    const r = soak(s, ops, SECONDS, SEED + 1, { pages: COUNT + 64, maxProcesses: 1, samples: 10 }, (before, after, cmd, i, failed) => {
      const broken = localProblems(after, 0, rangeOf(cmd));
      if (i % 1000 === 999) {
        broken.push(...validateState(after));
        full++;
      }
      if (broken.length) throw new Error(`operation ${i} (${cmd.kind}) broke: ${broken.join('; ')}`);
      const n = after.processes[0]!.mm.vmas.size;
      if (SYSCALLS.has(cmd.kind) && !failed && n > 65_531 && n > before.processes[0]!.mm.vmas.size) overLimit++;
    });
    report(`soak at ${COUNT} VMAs`, r, `built by ${COUNT} mmaps in ${(built / 1000).toFixed(1)} s, the neighbourhood checked after every operation and every VMA ${full} times, ${overLimit} successful system calls past max_map_count + 1`);
    expect(overLimit).toBe(0);
    expect(r.errnos.ENOMEM ?? 0).toBeGreaterThan(0);
    expect(r.peakVmas).toBeLessThanOrEqual(65_531 + 64);
  }, TIMEOUT);

  it('the history is what grows: its cost per event, measured', () => {
    const make = simHistoryOptions();
    let h = History.create({ ...make.options, initial: initialState({ ...DEFAULT_CONFIG, maxMapCount: 256 }) });
    const src = soakOps(SEED + 2, { pages: 768, maxProcesses: 2 });
    const EVENTS = LONG ? 50_000 : 3_000;
    const before = heapMiB();
    const t0 = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      try {
        h = h.append(src.next(h.current.state.processes.length)).history;
      } catch (e) {
        if (!(e instanceof CommandError)) throw e;
      }
    }
    const ms = performance.now() - t0;
    const perEvent = ((heapMiB() - before) * 2 ** 20) / h.newest;
    console.log(`history soak: ${h.newest} events kept in ${(ms / 1000).toFixed(1)} s, ${(perEvent / 1024).toFixed(1)} KiB of heap per event, goto any of them: ${h.goto(1).ok}`);
    // Each event keeps its record, and a checkpoint state now and then that shares structure with the
    // last: a few hundred bytes, not a copy of the address space.
    expect(perEvent).toBeLessThan(64 * 1024);
  }, TIMEOUT);
});
