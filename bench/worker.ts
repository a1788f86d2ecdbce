/**
 * The measurements of `npm run bench` that run inside Node, one task per
 * process (bench/run.ts starts them with --expose-gc, so that one task's
 * garbage and JIT state do not leak into the next):
 *
 *   node --expose-gc dist/bench/worker.js ops PARAMS_JSON
 *   node --expose-gc dist/bench/worker.js replay PARAMS_JSON
 *   node --expose-gc dist/bench/worker.js history PARAMS_JSON
 *
 * Progress goes to stderr; the result is the last stdout line, as JSON.
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { Session as InspectorSession } from 'node:inspector/promises';
import { once } from 'node:events';
import type { StateCommand } from '../commands/ast.js';
import { appendEvent, execute, isStateCommand, newEngine, type Engine } from '../commands/engine.js';
import { parseLine } from '../commands/parse.js';
import { newParseContext, type ParseContext } from '../commands/parse-context.js';
import { step, type StepOutcome } from '../kernel-sim/step.js';
import type { SimState } from '../kernel-sim/state.js';
import type { Vma } from '../kernel-sim/vma.js';
import { diffEvents } from '../store/diff.js';
import { encodeRecord, JOURNAL_FORMAT, JOURNAL_VERSION } from '../store/journal-format.js';
import { openSession } from '../cli/repl/open-session.js';
import { runKernelBench, type KernelRound } from './native.js';
import { buildLines, expectedResult, OP_KINDS, opSequence, type OpKind } from './ops.js';
import { median, seededRandom } from './stats.js';

interface Line {
  readonly cmd: StateCommand;
  readonly canonical: string;
}

function parseAll(lines: readonly string[], ctx: ParseContext = newParseContext()): Line[] {
  return lines.map((text, k) => {
    const p = parseLine(text, ctx, { file: '<bench>', line: k + 1 });
    if (p.kind !== 'command' || !isStateCommand(p.cmd)) throw new Error(`bench line does not parse as an event: ${text}`);
    return { cmd: p.cmd, canonical: p.canonical };
  });
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with --expose-gc');
  g();
  g();
}

function progress(text: string): void {
  process.stderr.write(`  … ${text}\n`);
}

/** Append every line as an event; a refused line or a failed system call is a bug in the bench. */
function appendAll(engine: Engine, lines: readonly Line[]): Engine {
  for (const l of lines) {
    const out = appendEvent(engine, l.cmd, l.canonical);
    if (out.kind !== 'event') throw new Error(`${l.canonical}: ${out.kind}`);
    if (out.outcome.errno !== null) throw new Error(`${l.canonical}: ${out.outcome.errno}`);
    engine = out.engine;
  }
  return engine;
}

function stepAll(state: SimState, lines: readonly Line[]): SimState {
  for (const l of lines) {
    const o = step(state, l.cmd);
    if (o.errno !== null) throw new Error(`${l.canonical}: ${o.errno}`);
    state = o.state;
  }
  return state;
}

const vmasOf = (s: SimState): readonly Vma[] => s.processes[s.current]!.mm.vmas.toArray();
const vmaCount = (s: SimState): number => s.processes[s.current]!.mm.vmas.size;

// ---------------------------------------------------------------- ops

export interface OpsParams {
  readonly n: number;
  /** Operations (pairs of lines) of each kind per round, in the simulator. */
  readonly pairs: number;
  readonly rounds: number;
  /** The native bench, run before each round so that both see the same load. */
  readonly kernel: { readonly binary: string; readonly pairs: number } | null;
  /** Events to append for the heap figure (0: none). */
  readonly heapEvents: number;
  /** Time `diff` between distant events of this history. */
  readonly diff: boolean;
  /** Write a CPU profile of the recorded path (both kinds) to this file (NAME.cpuprofile), and a sampling heap profile to NAME.heapprofile. */
  readonly profile: string | null;
}

export interface OpsRound {
  readonly kernel: KernelRound | null;
  /** Milliseconds per system call. */
  readonly engine: Record<OpKind, number>;
  readonly step: Record<OpKind, number>;
}

export interface OpsResult {
  readonly n: number;
  readonly buildMs: number;
  readonly rounds: readonly OpsRound[];
  readonly heap: {
    readonly events: number;
    /** Bytes each event keeps reachable in the history. */
    readonly bytesPerEvent: number;
    /** Of which: the states alone, and the step outcomes (states and traces). */
    readonly states: number;
    readonly outcomes: number;
  } | null;
  readonly diffs: readonly { readonly label: string; readonly ms: number; readonly summary: string }[];
  readonly events: number;
  /** Events appended while the heap profile sampled (0: no profile). */
  readonly allocEvents: number;
}

async function ops(p: OpsParams): Promise<OpsResult> {
  const build = parseAll(buildLines(p.n));
  let engine = newEngine();
  const t0 = performance.now();
  engine = appendAll(engine, build);
  const buildMs = performance.now() - t0;
  const seqs: Record<OpKind, Line[]> = {
    mprotect: parseAll(opSequence('mprotect', p.n, p.pairs)),
    munmap: parseAll(opSequence('munmap', p.n, p.pairs)),
  };
  // One untimed round, and the build's garbage collected, before anything is timed.
  for (const kind of OP_KINDS) {
    engine = appendAll(engine, seqs[kind]);
    stepAll(engine.history.current.state, seqs[kind]);
  }
  gc();

  const rounds: OpsRound[] = [];
  for (let r = 0; r < p.rounds; r++) {
    const kernel = p.kernel ? (runKernelBench(p.kernel.binary, p.n, p.kernel.pairs, 1)?.[0] ?? null) : null;
    const eng = {} as Record<OpKind, number>;
    const stp = {} as Record<OpKind, number>;
    for (const kind of OP_KINDS) {
      const lines = seqs[kind];
      let t = performance.now();
      engine = appendAll(engine, lines);
      eng[kind] = (performance.now() - t) / lines.length;
      t = performance.now();
      const after = stepAll(engine.history.current.state, lines);
      stp[kind] = (performance.now() - t) / lines.length;
      if (vmaCount(after) !== p.n || vmaCount(engine.history.current.state) !== p.n) throw new Error(`${kind} at ${p.n}: the VMA count changed`);
    }
    rounds.push({ kernel, engine: eng, step: stp });
    progress(`${p.n} VMAs, round ${r + 1}/${p.rounds}: recorded ${(eng.mprotect * 1000).toFixed(1)} / ${(eng.munmap * 1000).toFixed(1)} µs` +
      (kernel ? `, kernel ${(kernel.mprotectNs / 1000).toFixed(2)} / ${(kernel.munmapNs / 1000).toFixed(2)} µs` : ''));
  }

  let heap: OpsResult['heap'] = null;
  if (p.heapEvents > 0) {
    const lines = seqs.mprotect;
    const k = Math.max(2, p.heapEvents - (p.heapEvents % 2));
    const batches = (f: (batch: readonly Line[]) => void) => {
      for (let done = 0; done < k; done += lines.length) f(lines.slice(0, Math.min(lines.length, k - done)));
    };
    /** Bytes per event that `f` leaves reachable. */
    const retained = (f: () => unknown): number => {
      gc();
      const before = process.memoryUsage().heapUsed;
      const kept = f();
      gc();
      const after = process.memoryUsage().heapUsed;
      if (kept === undefined) throw new Error('nothing kept');
      return (after - before) / k;
    };
    // The same events three ways: only the states kept, the step outcomes kept (states and
    // traces), and everything the history keeps.
    const states = retained(() => {
      const kept: SimState[] = [];
      let s = engine.history.current.state;
      batches((b) => {
        for (const l of b) kept.push((s = step(s, l.cmd).state));
      });
      return kept;
    });
    const outcomes = retained(() => {
      const kept: StepOutcome[] = [];
      let s = engine.history.current.state;
      batches((b) => {
        for (const l of b) {
          const o = step(s, l.cmd);
          kept.push(o);
          s = o.state;
        }
      });
      return kept;
    });
    const events = retained(() => {
      // Each event with a command of its own, as parsed lines give them.
      batches((b) => void (engine = appendAll(engine, parseAll(b.map((l) => l.canonical)))));
      return engine;
    });
    heap = { events: k, bytesPerEvent: events, states, outcomes };
  }

  const diffs: { label: string; ms: number; summary: string }[] = [];
  if (p.diff) {
    const h = engine.history;
    const pairs: [string, number, number][] = [
      [`events ${p.n / 2} and ${h.newest} (${p.n / 2} VMAs added)`, p.n / 2, h.newest],
      [`events ${p.n} and ${h.newest} (the same VMAs, ${h.newest - p.n} events apart)`, p.n, h.newest],
    ];
    for (const [label, a, b] of pairs) {
      const times: number[] = [];
      let summary = '';
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        const d = diffEvents(h, a, b, vmasOf);
        times.push(performance.now() - t);
        if (!d.ok) throw new Error(d.error.message);
        summary = `${d.diff.added.length} added, ${d.diff.removed.length} removed, ${d.diff.changed.length} changed, ${d.diff.unchanged} the same`;
      }
      diffs.push({ label, ms: median(times), summary });
    }
  }

  let allocEvents = 0;
  if (p.profile !== null) {
    const session = new InspectorSession();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    for (let r = 0; r < 8; r++) for (const kind of OP_KINDS) engine = appendAll(engine, seqs[kind]);
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(p.profile, JSON.stringify(profile));
    // Where the bytes are allocated (garbage included): a sampling heap profile of the same path.
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    const before = engine.history.size;
    for (let r = 0; r < 4; r++) for (const kind of OP_KINDS) engine = appendAll(engine, seqs[kind]);
    allocEvents = engine.history.size - before;
    const { profile: heapProfile } = await session.post('HeapProfiler.stopSampling');
    session.disconnect();
    writeFileSync(p.profile.replace(/\.cpuprofile$/, '') + '.heapprofile', JSON.stringify(heapProfile));
  }

  return { n: p.n, buildMs, rounds, heap, diffs, events: engine.history.size, allocEvents };
}

// ---------------------------------------------------------------- replay

export interface ReplayParams {
  /** Events in the journal, the build included. */
  readonly events: number;
  /** VMAs the journal builds before its mprotect pairs. */
  readonly vmas: number;
  /** The journal file to write and resume (its folder is the caller's to remove). */
  readonly journal: string;
}

export interface ReplayResult {
  readonly events: number;
  readonly journalBytes: number;
  readonly replayMs: number;
  readonly heapBytes: number;
}

/** A journal of `events` events as a session would have written it (without an fsync per line). */
async function writeJournal(file: string, events: number, vmas: number): Promise<number> {
  const build = buildLines(vmas);
  // The same pairs over and over: a long session going back and forth.
  const cycle = opSequence('mprotect', vmas, Math.min(Math.ceil((events - build.length) / 2), 50_000));
  const out = createWriteStream(file);
  const start = Date.now() - events;
  let bytes = 0;
  const write = async (b: Buffer) => {
    bytes += b.length;
    if (!out.write(b)) await once(out, 'drain');
  };
  await write(encodeRecord({ kind: 'header', format: JOURNAL_FORMAT, version: JOURNAL_VERSION, time: start }));
  let chunk: Buffer[] = [];
  for (let seq = 1; seq <= events; seq++) {
    const line = seq <= build.length ? build[seq - 1]! : cycle[(seq - build.length - 1) % cycle.length]!;
    chunk.push(encodeRecord({ kind: 'event', seq, parent: seq - 1, command: line, result: expectedResult(line), time: start + seq }));
    if (chunk.length === 10_000) {
      await write(Buffer.concat(chunk));
      chunk = [];
    }
  }
  if (chunk.length) await write(Buffer.concat(chunk));
  out.end();
  await once(out, 'finish');
  return bytes;
}

async function replay(p: ReplayParams): Promise<ReplayResult> {
  const journalBytes = await writeJournal(p.journal, p.events, p.vmas);
  progress(`wrote a journal of ${p.events} events (${(journalBytes / 1e6).toFixed(0)} MB); resuming it`);
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  // What `vmasim --session FILE` does with a journal that exists.
  const t = performance.now();
  const opened = await openSession(null, { kind: 'empty' }, p.journal, newParseContext());
  const replayMs = performance.now() - t;
  if ('error' in opened) throw new Error(opened.error);
  opened.session.close();
  const message = opened.notes[0] ?? '';
  const h = opened.session.engine.history;
  // Every event replayed, none with a result other than the one recorded.
  if (h.newest !== p.events || !/^Resumed [^:]+: \d+ events and 0 moves replayed; position \d+\.$/.test(message))
    throw new Error(`the journal did not replay cleanly: ${message}`);
  gc();
  return { events: h.newest, journalBytes, replayMs, heapBytes: process.memoryUsage().heapUsed - heap0 };
}

// ---------------------------------------------------------------- history

export interface HistoryParams {
  /** Events in the history, the build included. */
  readonly events: number;
  /** VMAs built before the mprotect pairs. */
  readonly vmas: number;
  readonly gotos: number;
  readonly undos: number;
}

export interface HistoryResult {
  readonly events: number;
  readonly vmas: number;
  readonly buildMs: number;
  readonly heapBytes: number;
  /** Milliseconds. */
  readonly goto: readonly number[];
  readonly undo: readonly number[];
  readonly diff: { readonly label: string; readonly ms: number; readonly summary: string };
}

/**
 * Collect the build's garbage before timing navigation, so that its
 * collection is not charged to a goto: a full collection, time for the
 * concurrent sweeping that follows it, and a few untimed moves (the first
 * allocations after a collection of a large heap wait for sweeping to finish).
 */
async function settle(engine: Engine, pick: () => number): Promise<void> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (let i = 0; i < 20; i++) {
    const seq = pick();
    engine = execute(engine, { kind: 'goto', n: BigInt(seq) }, `goto ${seq}`).engine;
  }
}

async function history(p: HistoryParams): Promise<HistoryResult> {
  const build = parseAll(buildLines(p.vmas));
  const cycle = parseAll(opSequence('mprotect', p.vmas, Math.min(Math.ceil((p.events - build.length) / 2), 50_000)));
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const t = performance.now();
  let engine = appendAll(newEngine(), build);
  for (let done = build.length; done < p.events; ) {
    const k = Math.min(cycle.length, p.events - done);
    engine = appendAll(engine, k === cycle.length ? cycle : cycle.slice(0, k));
    done += k;
    if (Math.floor(done / 200_000) !== Math.floor((done - k) / 200_000)) progress(`${done} events appended`);
  }
  const buildMs = performance.now() - t;
  gc();
  const heapBytes = process.memoryUsage().heapUsed - heap0;
  const h = engine.history;
  if (h.newest !== p.events) throw new Error(`the history has ${h.newest} events, not ${p.events}`);

  const rand = seededRandom(7);
  const pick = () => Math.floor(rand() * (h.newest + 1));
  await settle(engine, pick);
  const goto: number[] = [];
  for (let i = 0; i < p.gotos; i++) {
    const seq = pick();
    const t1 = performance.now();
    const out = execute(engine, { kind: 'goto', n: BigInt(seq) }, `goto ${seq}`);
    goto.push(performance.now() - t1);
    if (out.kind !== 'moved' || out.engine.history.position !== seq) throw new Error(`goto ${seq}: ${out.kind}`);
    engine = out.engine;
  }
  await settle(engine, pick);
  const undo: number[] = [];
  for (let i = 0; i < p.undos; i++) {
    const seq = Math.max(1, pick());
    engine = execute(engine, { kind: 'goto', n: BigInt(seq) }, `goto ${seq}`).engine;
    const t1 = performance.now();
    const out = execute(engine, { kind: 'undo', n: 1n }, 'undo');
    undo.push(performance.now() - t1);
    if (out.kind !== 'moved' || out.engine.history.position !== seq - 1) throw new Error(`undo from ${seq} went to ${out.engine.history.position}`);
    engine = out.engine;
  }
  // The end of the build and the last event: as far apart as this history goes.
  const a = p.vmas;
  const b = h.newest;
  const times: number[] = [];
  let summary = '';
  for (let i = 0; i < 7; i++) {
    const t1 = performance.now();
    const d = diffEvents(h, a, b, vmasOf);
    times.push(performance.now() - t1);
    if (!d.ok) throw new Error(d.error.message);
    summary = `${d.diff.added.length} added, ${d.diff.removed.length} removed, ${d.diff.changed.length} changed, ${d.diff.unchanged} the same`;
  }
  return { events: h.newest, vmas: p.vmas, buildMs, heapBytes, goto, undo, diff: { label: `events ${a} and ${b}`, ms: median(times), summary } };
}

// ---------------------------------------------------------------- main

const [task, json] = process.argv.slice(2);
const params: unknown = JSON.parse(json ?? '{}');
let result: unknown;
switch (task) {
  case 'ops':
    result = await ops(params as OpsParams);
    break;
  case 'replay':
    result = await replay(params as ReplayParams);
    break;
  case 'history':
    result = await history(params as HistoryParams);
    break;
  default:
    process.stderr.write('usage: worker.js ops|replay|history PARAMS_JSON\n');
    process.exit(2);
}
process.stdout.write(JSON.stringify(result) + '\n');
