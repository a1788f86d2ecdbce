/**
 * The fuzzing loop of `vmasim fuzz`: for each seed, a generated scenario runs
 * on the simulator and on the live kernel, and the two reports are compared
 * (live/compare.ts). A divergence is confirmed by running the kernel again,
 * shrunk (live/fuzz-shrink.ts) and saved as `fuzz-divergence-<seed>.vma`, with
 * the seed and the side-by-side difference in comment lines at the top.
 *
 * Several scenarios run at once: the simulator runs in this process while the
 * kernel helpers of other scenarios run in theirs.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { parseScenario } from '../commands/parse.js';
import { formatParseError } from '../commands/parse-error.js';
import { runScenario } from '../commands/run-scenario.js';
import type { RunReport } from '../snapshots/run-report.js';
import { compareReports, type Difference, type Window } from './compare.js';
import { generateScenario } from './fuzz-generate.js';
import { shrinkLines } from './fuzz-shrink.js';
import { LiveHelperError, LiveRefusal, runOnKernel, type ScenarioLine } from './kernel-runner.js';

export type KernelRunner = (lines: readonly ScenarioLine[]) => Promise<RunReport>;
export type Comparator = (sim: RunReport, kernel: RunReport, window: Window) => Difference[];

/** What running one scenario on both sides gave. */
export type Outcome =
  | { readonly kind: 'agree'; readonly results: number }
  | { readonly kind: 'diverge'; readonly diffs: readonly Difference[]; readonly sim: RunReport; readonly kernel: RunReport }
  /** The simulator refused the scenario or threw. */
  | { readonly kind: 'sim-error'; readonly message: string }
  /** The kernel helper failed on it (a scenario process died, a time-out, ...). */
  | { readonly kind: 'kernel-error'; readonly message: string }
  /** It does not parse, or the kernel runner refuses it: not a comparison at all. */
  | { readonly kind: 'invalid'; readonly message: string };

/** The helper cannot run at all: nothing can be compared. */
export class FuzzFatal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FuzzFatal';
  }
}

export interface CheckDeps {
  readonly runKernel?: KernelRunner;
  readonly compare?: Comparator;
  /** Per kernel run (default 60 s). */
  readonly timeoutMs?: number;
  /** Told when the simulator starts and ends a run (a watchdog). */
  readonly simClock?: SimWatchdog;
}

/**
 * The simulator runs synchronously in this thread, so a run that never ends
 * would freeze the loop with no word of why. A watchdog thread sees how long
 * the current run has lasted; past the limit it names the seed on standard
 * error and ends the process.
 */
export class SimWatchdog {
  private readonly cells = new Float64Array(new SharedArrayBuffer(16));
  private worker: Worker | null = null;

  /** `rerun` is the command that makes the scenario again, with SEED in place of the seed. */
  constructor(limitMs: number, rerun: string) {
    const code = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const cells = new Float64Array(workerData.buffer);
let told = 0;
setInterval(() => {
  const since = cells[1];
  if (since > 0 && Date.now() - since > workerData.limitMs) {
    // A launcher (tsx) may catch SIGTERM in JavaScript, which cannot run now: SIGKILL follows.
    if (told) return void (Date.now() - told > 2000 && process.kill(process.pid, 'SIGKILL'));
    told = Date.now();
    const seed = cells[0];
    writeSync(2, '\\nvmasim: fuzz: the simulator has been running one scenario of seed ' + seed + ' for more than ' +
      Math.round(workerData.limitMs / 1000) + ' s (an endless loop?): stopping. The scenario: ' + workerData.rerun.replace('SEED', String(seed)) + '\\n');
    process.kill(process.pid, 'SIGTERM');
  }
}, Math.min(1000, workerData.limitMs));
`;
    this.worker = new Worker(code, { eval: true, workerData: { buffer: this.cells.buffer, limitMs, rerun } });
    this.worker.unref();
  }

  enter(seed: number): void {
    this.cells[0] = seed;
    this.cells[1] = Date.now();
  }

  leave(): void {
    this.cells[1] = 0;
  }

  stop(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}

function isMissingHelper(e: LiveHelperError): boolean {
  return /is missing|cannot start the kernel helper/.test(e.message);
}

/** Runs `text` on both sides and compares. Throws FuzzFatal when the helper is missing. */
export async function checkScenario(text: string, name: string, deps: CheckDeps = {}, seed = -1): Promise<Outcome> {
  const parsed = parseScenario(text, name);
  if ('error' in parsed) return { kind: 'invalid', message: formatParseError(parsed.error) };
  let sim;
  try {
    deps.simClock?.enter(seed);
    sim = runScenario(text, name);
  } catch (e) {
    return { kind: 'sim-error', message: `the simulator threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` };
  } finally {
    deps.simClock?.leave();
  }
  if (!sim.ok) return { kind: 'sim-error', message: sim.message };
  let kernel: RunReport;
  try {
    const run = deps.runKernel ?? ((lines) => runOnKernel(lines, { timeoutMs: deps.timeoutMs ?? 60_000 }));
    kernel = await run(parsed.lines);
  } catch (e) {
    if (e instanceof LiveRefusal) return { kind: 'invalid', message: e.message };
    if (e instanceof LiveHelperError) {
      if (isMissingHelper(e)) throw new FuzzFatal(e.message);
      const last = e.stderr.trim().split('\n').pop();
      return { kind: 'kernel-error', message: e.message + (last ? ` (${last})` : '') };
    }
    throw e;
  }
  const diffs = (deps.compare ?? compareReports)(sim.report, kernel, sim.engine.window);
  return diffs.length ? { kind: 'diverge', diffs, sim: sim.report, kernel } : { kind: 'agree', results: sim.report.results.length };
}

/** The kind of a difference: which command's result, or which VMA list. */
export function differenceKind(d: Difference): string {
  const m = /^line \d+: (\S+)/.exec(d.where);
  if (m) return `result of ${m[1]!.toLowerCase()}`;
  return d.where.replace(/^process \d+ /, 'process ');
}

/** The kinds of an outcome, first difference first. */
export function outcomeKinds(o: Outcome): string[] {
  if (o.kind === 'diverge') return [...new Set(o.diffs.map(differenceKind))];
  return [o.kind];
}

/** "Still the same failure", loosely: the same outcome kind and, for a divergence, still a difference of its first kind. */
export function sameFailure(original: Outcome, candidate: Outcome): boolean {
  if (original.kind !== candidate.kind) return false;
  if (original.kind !== 'diverge') return true;
  return outcomeKinds(candidate).includes(outcomeKinds(original)[0]!);
}

/** The differences side by side, simulator on the left. */
export function sideBySide(diffs: readonly Difference[]): string[] {
  const rows: string[] = [];
  for (const d of diffs) {
    const a = d.sim.split('\n');
    const b = d.kernel.split('\n');
    const width = Math.max(24, ...a.map((l) => l.length));
    if (rows.length) rows.push('');
    rows.push(`${d.where}:`, `  ${'simulator'.padEnd(width)} | kernel`);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const l = a[i] ?? '';
      const r = b[i] ?? '';
      rows.push(`${l === r ? ' ' : '!'} ${l.padEnd(width)} | ${r}`);
    }
  }
  return rows;
}

export type FindingKind = 'divergence' | 'sim-error' | 'kernel-error';

export interface Finding {
  readonly seed: number;
  readonly kind: FindingKind;
  /** The saved scenario. */
  readonly path: string;
  /** The generated lines and the shrunk ones. */
  readonly original: readonly string[];
  readonly shrunk: readonly string[];
  /** Kernel and simulator runs spent shrinking. */
  readonly tests: number;
  /** The differences of the shrunk scenario (divergence), or the failure message. */
  readonly diffs: readonly Difference[];
  readonly message: string | null;
  /** A divergence that did not happen again when the kernel ran a second time. */
  readonly flaky: boolean;
}

export interface FuzzProgress {
  readonly done: number;
  readonly total: number;
  readonly ops: number;
  readonly findings: number;
  readonly elapsedMs: number;
  /** Set while a finding is being shrunk. */
  readonly shrinking: { readonly seed: number; readonly lines: number; readonly tests: number } | null;
}

export interface FuzzOptions extends CheckDeps {
  readonly seed: number;
  readonly count: number;
  readonly ops: number;
  readonly forks?: boolean;
  /** Generate file mappings (default true). */
  readonly files?: boolean;
  /** Where findings are saved (created when the first one is). */
  readonly outDir: string;
  /** Scenarios in flight at once (default twice the CPUs, from 2 to 8). */
  readonly concurrency?: number;
  /** Shrink findings (default true). */
  readonly shrink?: boolean;
  /** Predicate calls per shrink (default 800). */
  readonly maxShrinkTests?: number;
  /** Ends the process when one simulator run takes longer (default 60 s; 0: no limit). */
  readonly simTimeoutMs?: number;
  readonly onProgress?: (p: FuzzProgress) => void;
  /** A finding was saved. */
  readonly onFinding?: (f: Finding) => void;
  /** Stops starting new scenarios once it returns true. */
  readonly shouldStop?: () => boolean;
}

export interface FuzzSummary {
  readonly scenarios: number;
  readonly ops: number;
  readonly seedFirst: number;
  readonly seedLast: number;
  readonly findings: readonly Finding[];
  readonly elapsedMs: number;
  /** Time spent shrinking findings, included in elapsedMs. */
  readonly shrinkMs: number;
  readonly interrupted: boolean;
}

/** Writes `text` to `path` through a temporary file and a rename. */
export function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function findingFileName(kind: FindingKind, seed: number): string {
  return `fuzz-${kind === 'divergence' ? 'divergence' : kind}-${seed}.vma`;
}

function rerunCommand(o: { seed: number | string; ops: number; forks?: boolean }): string {
  return `vmasim fuzz --seed ${o.seed} --count 1 --ops ${o.ops}${o.forks ? ' --forks' : ''}`;
}

/** The comment lines at the top of a saved finding. */
function header(o: FuzzOptions, seed: number, kind: FindingKind, file: string, info: { original: number; shrunk: number; tests: number; flaky: boolean }, body: string[]): string[] {
  const what = kind === 'divergence' ? 'divergence' : kind === 'sim-error' ? 'simulator failure' : 'kernel helper failure';
  const rows = [
    `vmasim fuzz ${what}, seed ${seed} (${o.ops} ops${o.forks ? ', forks' : ''}); the generated scenario: ${rerunCommand({ seed, ops: o.ops, forks: o.forks })}`,
    `shrunk from ${info.original} lines to ${info.shrunk} (${info.tests} runs)${kind === 'divergence' ? `; compare again: vmasim diff ${file}` : ''}`,
  ];
  if (info.flaky) rows.push('FLAKY: the kernel agreed with the simulator when this scenario ran again');
  rows.push('', ...body);
  return rows.map((r) => (r === '' ? '#' : `# ${r}`));
}

async function confirmAndShrink(
  o: FuzzOptions,
  seed: number,
  lines: readonly string[],
  first: Outcome,
  onShrink: (s: { lines: number; tests: number }) => void,
): Promise<Finding> {
  const kind: FindingKind = first.kind === 'diverge' ? 'divergence' : first.kind === 'sim-error' ? 'sim-error' : 'kernel-error';
  const name = (n: number) => `fuzz-seed-${seed}-shrink-${n}.vma`;
  let outcome = first;
  let shrunk = lines;
  let tests = 0;
  let flaky = false;
  // A divergence that the kernel does not repeat is saved as it is, marked flaky.
  if (first.kind === 'diverge') {
    const again = await checkScenario(lines.join('\n') + '\n', `fuzz-seed-${seed}.vma`, o, seed);
    flaky = !sameFailure(first, again);
  }
  const timedOut = first.kind === 'kernel-error' && /did not finish within/.test(first.message);
  if (o.shrink !== false && !flaky && !timedOut) {
    let n = 0;
    const r = await shrinkLines(
      lines,
      // Once asked to stop, every candidate "passes": the shrink ends with what it has.
      async (cand) => !o.shouldStop?.() && sameFailure(first, await checkScenario(cand.join('\n') + '\n', name(++n), o, seed)),
      { maxTests: o.maxShrinkTests ?? 800, onTest: onShrink },
    );
    shrunk = r.lines;
    tests = r.tests;
  }
  const file = findingFileName(kind, seed);
  const path = join(o.outDir, file);
  const body = shrunk.join('\n') + '\n';
  const describe = (out: Outcome): { rows: string[]; diffs: readonly Difference[]; message: string | null } => {
    if (out.kind === 'diverge') return { rows: ['differences (simulator | kernel):', ...sideBySide(out.diffs)], diffs: out.diffs, message: null };
    if (out.kind === 'sim-error' || out.kind === 'kernel-error' || out.kind === 'invalid') {
      const msg = out.message.split('\n').slice(0, 12);
      return { rows: [`${out.kind}:`, ...msg], diffs: [], message: out.message };
    }
    return { rows: ['the simulator and the kernel agree on this scenario now'], diffs: [], message: null };
  };
  // The differences of the shrunk scenario, with line numbers moved past the header of the saved file.
  const info = { original: lines.length, shrunk: shrunk.length, tests, flaky };
  if (!flaky && shrunk !== lines) {
    const last = await checkScenario(body, file, o, seed);
    if (sameFailure(first, last)) outcome = last;
  }
  outcome = shiftLines(outcome, header(o, seed, kind, file, info, describe(outcome).rows).length);
  const text = header(o, seed, kind, file, info, describe(outcome).rows).join('\n') + '\n' + body;
  mkdirSync(o.outDir, { recursive: true });
  writeAtomically(path, text);
  const d = describe(outcome);
  return { seed, kind, path, original: lines, shrunk, tests, diffs: d.diffs, message: d.message, flaky };
}

/** The outcome with every `line N` of its differences moved down by `shift` lines. */
function shiftLines(o: Outcome, shift: number): Outcome {
  if (o.kind !== 'diverge' || shift === 0) return o;
  const move = (w: string) => w.replace(/^line (\d+):/, (_m, n: string) => `line ${Number(n) + shift}:`);
  return { ...o, diffs: o.diffs.map((d) => ({ ...d, where: move(d.where) })) };
}

/** The simulator runs here while kernel helpers run in their own processes: two scenarios a CPU keep both busy. */
export function defaultConcurrency(): number {
  return Math.max(2, Math.min(8, 2 * availableParallelism()));
}

/** Runs `count` scenarios from seed `seed` on. */
export async function runFuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const t0 = Date.now();
  const findings: Finding[] = [];
  let next = 0;
  let done = 0;
  let ops = 0;
  let shrinkMs = 0;
  let interrupted = false;
  let shrinking: FuzzProgress['shrinking'] = null;
  let fatal: unknown = null;
  const progress = () =>
    o.onProgress?.({ done, total: o.count, ops, findings: findings.length, elapsedMs: Date.now() - t0, shrinking });

  const worker = async () => {
    while (next < o.count && fatal === null) {
      if (o.shouldStop?.()) {
        interrupted = true;
        return;
      }
      const seed = o.seed + next++;
      const g = generateScenario(seed, { ops: o.ops, forks: o.forks, files: o.files });
      const name = `fuzz-seed-${seed}.vma`;
      let outcome: Outcome;
      try {
        outcome = await checkScenario(g.text, name, o, seed);
      } catch (e) {
        fatal ??= e;
        return;
      }
      if (o.shouldStop?.()) {
        // The helper may have been interrupted with us: this run does not count.
        interrupted = true;
        return;
      }
      if (outcome.kind === 'invalid') {
        fatal ??= new Error(`the generator made a scenario that cannot run (seed ${seed}): ${outcome.message}`);
        return;
      }
      if (outcome.kind !== 'agree') {
        const s0 = Date.now();
        shrinking = { seed, lines: g.lines.length, tests: 0 };
        progress();
        try {
          const f = await confirmAndShrink(o, seed, g.lines, outcome, (s) => {
            shrinking = { seed, ...s };
            progress();
          });
          findings.push(f);
          o.onFinding?.(f);
        } catch (e) {
          fatal ??= e;
          return;
        } finally {
          shrinking = null;
          shrinkMs += Date.now() - s0;
        }
      }
      done++;
      ops += g.lines.filter((l) => !l.startsWith('file ')).length;
      progress();
    }
  };
  const limit = o.simTimeoutMs ?? 60_000;
  const watchdog = o.simClock === undefined && limit > 0 ? new SimWatchdog(limit, rerunCommand({ seed: 'SEED', ops: o.ops, forks: o.forks })) : null;
  if (watchdog) o = { ...o, simClock: watchdog };
  const n = Math.max(1, Math.min(o.concurrency ?? defaultConcurrency(), o.count));
  try {
    await Promise.all(Array.from({ length: n }, worker));
  } finally {
    watchdog?.stop();
  }
  if (fatal !== null) throw fatal;
  findings.sort((a, b) => a.seed - b.seed);
  return {
    scenarios: done,
    ops,
    seedFirst: o.seed,
    seedLast: o.seed + Math.max(0, next - 1),
    findings,
    elapsedMs: Date.now() - t0,
    shrinkMs,
    interrupted,
  };
}
