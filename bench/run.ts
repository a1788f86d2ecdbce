/**
 * `npm run bench`: the simulator against the live kernel, the
 * history, memory, journal replay, start-up and a whole scenario end to end,
 * printed as tables with the targets beside the figures.
 *
 *   npm run bench                  the full run (about 3 minutes)
 *   npm run bench -- --quick       fewer rounds, shorter histories (about 1 minute)
 *   npm run bench -- --profile     also a CPU profile of the recorded path at 60,000 VMAs
 *   npm run bench -- --only ops,history,replay,startup,e2e
 *
 * Builds first when dist/ is older than the sources. Every figure is a median
 * over several rounds; the kernel's rounds run between the simulator's, so
 * that both see the same load. The ratios are what to compare across
 * machines.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { helperBinaryPath, packageRoot } from '../live/paths.js';
import type { RunReport } from '../snapshots/run-report.js';
import { ensureKernelBench } from './native.js';
import { e2eScenario, OP_KINDS, type OpKind } from './ops.js';
import { heapProfileText, profileText, type CpuProfile, type HeapProfile } from './profile.js';
import { bytes, count, duration, max, median, percentile, ratio } from './stats.js';
import type { HistoryParams, HistoryResult, OpsParams, OpsResult, ReplayParams, ReplayResult } from './worker.js';

const SECTIONS = ['ops', 'history', 'replay', 'startup', 'e2e'] as const;
type Section = (typeof SECTIONS)[number];

const SIZES = [10, 1_000, 30_000, 60_000];
/** VMAs of the process behind the long history, and behind the journal. */
const HISTORY_VMAS = 100;
const REPLAY_VMAS = 1_000;
const E2E_VMAS = 30_000;
const E2E_MPROTECTS = 100_000;

interface Plan {
  readonly quick: boolean;
  readonly profile: boolean;
  readonly sections: ReadonlySet<Section>;
  /** Simulator operations (pairs of calls) of each kind per round, and rounds. */
  readonly pairs: number;
  readonly rounds: number;
  readonly kernelPairs: number;
  readonly heapEvents: number;
  readonly historyEvents: number;
  readonly journalEvents: number;
  readonly gotos: number;
  readonly e2eRounds: number;
  readonly promptRuns: number;
}

const root = packageRoot();
const here = fileURLToPath(new URL('.', import.meta.url));
const shown = (p: string) => relative(process.cwd(), p) || p;

function say(text: string): void {
  process.stderr.write(`${text}\n`);
}

// ---------------------------------------------------------------- build

const SOURCE_DIRS = ['kernel-sim', 'store', 'commands', 'snapshots', 'live', 'cli', 'bench'];

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'testing' && e.name !== 'bin') sources(p, out);
    } else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Why dist/ needs `npm run build`, or null when it is up to date. */
function staleness(): string | null {
  let newestSource = 0;
  for (const d of SOURCE_DIRS) {
    for (const src of sources(join(root, d))) {
      const out = join(root, 'dist', relative(root, src).replace(/\.tsx?$/, '.js'));
      const t = statSync(src).mtimeMs;
      newestSource = Math.max(newestSource, t);
      if (!existsSync(out)) return `${shown(out)} is missing`;
      if (statSync(out).mtimeMs < t) return `${shown(out)} is older than ${shown(src)}`;
    }
  }
  const bundle = join(root, 'dist', 'cli', 'repl', 'bundle');
  if (existsSync(bundle) && newestMtime(bundle) < newestSource) return 'the REPL bundle is older than the sources';
  const helperSource = join(root, 'live', 'helper.c');
  const helper = helperBinaryPath();
  if (existsSync(helperSource) && (!existsSync(helper) || statSync(helper).mtimeMs < statSync(helperSource).mtimeMs)) return 'the live-kernel helper is missing or older than live/helper.c';
  return null;
}

/** Build when dist/ is stale, then run the fresh copy of this bench; returns its exit code, or null to go on here. */
function buildIfStale(): number | null {
  if (process.env['VMASIM_BENCH_BUILT'] === '1') return null;
  const why = staleness();
  if (why === null) return null;
  say(`${why}: running npm run build first`);
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (b.error || b.status !== 0) {
    say(`npm run build failed${b.error ? `: ${b.error.message}` : ''}`);
    return 1;
  }
  const again = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, VMASIM_BENCH_BUILT: '1' },
  });
  return again.status ?? 1;
}

// ---------------------------------------------------------------- workers

function heapLimitMb(): number {
  return Math.max(2048, Math.min(16_384, Math.floor((totalmem() / 2 ** 20) * 0.6)));
}

function worker<R>(task: 'ops' | 'replay' | 'history', params: OpsParams | ReplayParams | HistoryParams): R {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', `--max-old-space-size=${heapLimitMb()}`, join(here, 'worker.js'), task, JSON.stringify(params)],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`the ${task} worker failed (exit ${r.status ?? r.signal})`);
  const last = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(last) as R;
}

// ---------------------------------------------------------------- sections

interface OpsFigures {
  readonly n: number;
  readonly result: OpsResult;
  /** Medians, milliseconds per call. */
  readonly engine: Record<OpKind, number>;
  readonly step: Record<OpKind, number>;
  readonly kernel: Record<OpKind, number> | null;
}

function runOps(plan: Plan, kernelBinary: string | null, profileFile: string | null): OpsFigures[] {
  const out: OpsFigures[] = [];
  for (const n of SIZES) {
    say(`per operation at ${count(n)} VMAs`);
    const biggest = n === SIZES[SIZES.length - 1];
    const result = worker<OpsResult>('ops', {
      n,
      pairs: plan.pairs,
      rounds: plan.rounds,
      kernel: kernelBinary ? { binary: kernelBinary, pairs: plan.kernelPairs } : null,
      heapEvents: biggest ? plan.heapEvents : 0,
      diff: biggest,
      profile: biggest && profileFile ? profileFile : null,
    });
    const med = (f: (r: OpsResult['rounds'][number]) => number) => median(result.rounds.map(f));
    const per = (f: (kind: OpKind) => number) => Object.fromEntries(OP_KINDS.map((k) => [k, f(k)])) as Record<OpKind, number>;
    out.push({
      n,
      result,
      engine: per((k) => med((r) => r.engine[k])),
      step: per((k) => med((r) => r.step[k])),
      kernel: kernelFigures(result),
    });
  }
  return out;
}

/** Medians of the kernel's rounds, milliseconds per call; null when it did not run at this size. */
function kernelFigures(result: OpsResult): Record<OpKind, number> | null {
  const rounds = result.rounds.flatMap((r) => (r.kernel ? [r.kernel] : []));
  if (rounds.length === 0) return null;
  return {
    mprotect: median(rounds.map((k) => k.mprotectNs)) / 1e6,
    munmap: median(rounds.map((k) => k.munmapNs)) / 1e6,
  };
}

function runHistory(plan: Plan): HistoryResult {
  say(`a history of ${count(plan.historyEvents)} events (${count(HISTORY_VMAS)} VMAs): goto, undo, diff`);
  return worker<HistoryResult>('history', { events: plan.historyEvents, vmas: HISTORY_VMAS, gotos: plan.gotos, undos: plan.gotos });
}

function runReplay(plan: Plan): ReplayResult {
  say(`journal replay: ${count(plan.journalEvents)} events (${count(REPLAY_VMAS)} VMAs)`);
  const dir = mkdtempSync(join(tmpdir(), 'vmasim-bench-'));
  try {
    return worker<ReplayResult>('replay', { events: plan.journalEvents, vmas: REPLAY_VMAS, journal: join(dir, 'session.jsonl') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface E2eFigures {
  readonly run: number[];
  readonly kernel: number[] | null;
  readonly note: string;
}

function timeCli(args: string[]): { ms: number; report: RunReport } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli', 'main.js'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`vmasim ${args.join(' ')} failed (${r.status}): ${r.stderr.trim().split('\n').pop()}`);
  return { ms, report: JSON.parse(r.stdout) as RunReport };
}

function checkReport(what: string, report: RunReport): void {
  const results = report.results.length;
  const failed = report.results.filter((x) => x.errno !== null).length;
  if (report.vmas.length !== E2E_VMAS || results !== E2E_VMAS + E2E_MPROTECTS || failed)
    throw new Error(`${what}: ${report.vmas.length} VMAs, ${results} results, ${failed} failed; expected ${E2E_VMAS} VMAs and ${E2E_VMAS + E2E_MPROTECTS} results`);
}

function runE2e(plan: Plan): E2eFigures {
  say(`end to end: vmasim run and vmasim kernel on ${count(E2E_VMAS)} mmaps + ${count(E2E_MPROTECTS)} mprotects`);
  const dir = mkdtempSync(join(tmpdir(), 'vmasim-bench-'));
  const file = join(dir, 'bench.vma');
  writeFileSync(file, e2eScenario(E2E_VMAS, E2E_MPROTECTS));
  const withKernel = existsSync(helperBinaryPath());
  const run: number[] = [];
  const kernel: number[] = [];
  try {
    for (let r = 0; r < plan.e2eRounds; r++) {
      const k = withKernel ? timeCli(['kernel', file, '--json']) : null;
      const s = timeCli(['run', file, '--json']);
      checkReport('vmasim run', s.report);
      run.push(s.ms);
      if (k) {
        checkReport('vmasim kernel', k.report);
        const same = k.report.vmas.every((v, i) => v.start === s.report.vmas[i]!.start && v.end === s.report.vmas[i]!.end && v.perms === s.report.vmas[i]!.perms);
        if (!same) throw new Error('vmasim run and vmasim kernel end with different VMAs');
        kernel.push(k.ms);
      }
      say(`  … round ${r + 1}/${plan.e2eRounds}: run ${duration(s.ms)}${k ? `, kernel ${duration(k.ms)}` : ''}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { run, kernel: withKernel ? kernel : null, note: withKernel ? '' : 'the live-kernel helper is not built' };
}

function runStartup(plan: Plan): { median: number; min: number; max: number; runs: number } | { error: string } {
  say(`start-up to the first prompt: ${plan.promptRuns} runs`);
  // test/e2e/first-prompt.ts drives the REPL in a pseudo-terminal; tsx runs it from the sources.
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'e2e', 'first-prompt.ts'), String(plan.promptRuns)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const m = /median (\d+) ms, min (\d+) ms, max (\d+) ms over (\d+) runs/.exec(r.stdout ?? '');
  if (r.error || r.status !== 0 || !m) return { error: (r.error?.message ?? r.stderr.trim().split('\n').pop()) || 'first-prompt.ts printed nothing' };
  return { median: Number(m[1]), min: Number(m[2]), max: Number(m[3]), runs: Number(m[4]) };
}

// ---------------------------------------------------------------- output

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const width = head.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const fmt = (cells: readonly string[]) => `| ${cells.map((c, i) => c + ' '.repeat(width[i]! - [...c].length)).join(' | ')} |`;
  return [fmt(head), `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(fmt)].join('\n');
}

const mark = (ok: boolean) => (ok ? '✓' : '✗');
const hasBiggest = (ops: readonly OpsFigures[] | null) => ops?.some((f) => f.n === SIZES[SIZES.length - 1]) ?? false;

function machine(): string {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1]!.trim();
  } catch {
    /* not Linux */
  }
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  return `Machine: ${availableParallelism()} CPUs (nproc), ${cpu}, ${bytes(totalmem())} RAM; Node ${process.version}; Linux ${release()}; load average ${load} at the start`;
}

function opsTable(ops: readonly OpsFigures[], plan: Plan): string {
  const rows: string[][] = [];
  const us = (ms: number) => `${(ms * 1000).toFixed(ms < 0.01 ? 2 : 1)} µs`;
  for (const f of ops) {
    for (const kind of OP_KINDS) {
      const k = f.kernel?.[kind];
      const r = k ? f.engine[kind] / k : NaN;
      const target = f.n === SIZES[SIZES.length - 1] ? (k ? `≤ 2× ${mark(r <= 2)}` : '≤ 2×') : '';
      rows.push([
        count(f.n),
        kind === 'mprotect' ? 'mprotect split + merge back' : 'munmap + refill (merge back)',
        us(f.engine[kind]),
        us(f.step[kind]),
        k ? us(k) : 'n/a',
        k ? ratio(r) : 'n/a',
        k ? ratio(f.step[kind] / k) : 'n/a',
        target,
      ]);
    }
  }
  return [
    `Time per system call (median of ${plan.rounds} rounds of ${count(2 * plan.pairs)} calls in the simulator, ${count(2 * plan.kernelPairs)} in the kernel):`,
    '',
    table(['VMAs', 'operation', 'simulator, recorded', 'bare step()', 'kernel', 'recorded / kernel', 'step / kernel', 'target'], rows),
  ].join('\n');
}

interface Figures {
  readonly ops: readonly OpsFigures[] | null;
  readonly hist: HistoryResult | null;
  readonly replay: ReplayResult | null;
  readonly startup: ReturnType<typeof runStartup> | null;
  readonly e2e: E2eFigures | null;
}

function otherTable({ ops, hist, replay, startup, e2e }: Figures): string {
  const rows: string[][] = [];
  if (hist) {
    const gm = median(hist.goto);
    const gx = max(hist.goto);
    const of = `a ${count(hist.events)}-event history (${count(hist.vmas)} VMAs)`;
    rows.push([
      `goto a random event of ${of}, ${count(hist.goto.length)} times`,
      `median ${duration(gm)}, p99 ${duration(percentile(hist.goto, 99))}, max ${duration(gx)}`,
      `≤ 20 ms: median ${mark(gm <= 20)}, max ${mark(gx <= 20)}`,
    ]);
    rows.push([`undo 1 from a random event of that history, ${count(hist.undo.length)} times`, `median ${duration(median(hist.undo))}, max ${duration(max(hist.undo))}`, '']);
    rows.push([`diff of distant events of that history (${hist.diff.label})`, `${duration(hist.diff.ms)} (${hist.diff.summary})`, '']);
  }
  const big = ops?.find((f) => f.n === SIZES[SIZES.length - 1]);
  if (big) {
    for (const d of big.result.diffs) rows.push([`diff at ${count(big.n)} VMAs, ${d.label}`, `${duration(d.ms)} (${d.summary})`, '']);
    if (big.result.heap) {
      const h = big.result.heap;
      rows.push([`heap per event at ${count(big.n)} VMAs (${count(h.events)} events, after gc)`, bytes(h.bytesPerEvent), `≤ 1 KiB ${mark(h.bytesPerEvent <= 1024)}`]);
      rows.push([
        '  for comparison: every state kept; every step outcome kept (states and traces)',
        `${bytes(h.states)}; ${bytes(h.outcomes)}`,
        '',
      ]);
    }
  }
  if (hist) {
    rows.push([`heap per event in that ${count(hist.events)}-event history`, `${bytes(hist.heapBytes / hist.events)} (${bytes(hist.heapBytes)} in all)`, '']);
    rows.push([`appending its events through the engine (no parsing)`, `${duration(hist.buildMs)}, ${count(Math.round(hist.events / (hist.buildMs / 1000)))} events/s`, '']);
  }
  if (replay) {
    const rate = replay.events / (replay.replayMs / 1000);
    const perMillion = (1_000_000 / rate) * 1000;
    const measured = replay.events >= 1_000_000;
    rows.push([
      `journal replay: vmasim --session resuming ${count(replay.events)} events (${count(REPLAY_VMAS)} VMAs, ${bytes(replay.journalBytes)})`,
      `${duration(replay.replayMs)}, ${count(Math.round(rate))} events/s` + (measured ? '' : `; 1,000,000 events ≈ ${duration(perMillion)} (extrapolated)`),
      `1,000,000 in ≤ 10 s ${mark(perMillion <= 10_000)}`,
    ]);
    rows.push([`heap per event after that replay`, bytes(replay.heapBytes / replay.events), '']);
  }
  if (startup) {
    rows.push(
      'error' in startup
        ? ['start-up to the first prompt', `n/a: ${startup.error}`, '≤ 400 ms']
        : [`start-up to the first prompt (median of ${startup.runs})`, `${startup.median} ms (min ${startup.min}, max ${startup.max})`, `≤ 400 ms ${mark(startup.median <= 400)}`],
    );
  }
  if (e2e) {
    const run = median(e2e.run);
    rows.push([`vmasim run FILE --json (${count(E2E_VMAS)} mmaps + ${count(E2E_MPROTECTS)} mprotects; median of ${e2e.run.length})`, duration(run), '']);
    if (e2e.kernel) {
      const k = median(e2e.kernel);
      rows.push([`vmasim kernel FILE --json (the same file)`, duration(k), '']);
      rows.push(['end to end, run / kernel', ratio(run / k), `≤ 2× ${mark(run / k <= 2)}`]);
      // What the kernel itself spends on those system calls, from kernel-bench.c at the same size.
      const native = ops?.find((f) => f.n === E2E_VMAS);
      const build = native?.result.rounds.map((r) => r.kernel?.buildMs ?? NaN).filter(Number.isFinite) ?? [];
      if (native?.kernel && build.length) {
        const own = median(build) + E2E_MPROTECTS * native.kernel.mprotect;
        rows.push([`  the kernel's own time for those calls (kernel-bench.c at ${count(E2E_VMAS)} VMAs)`, `≈ ${duration(own)}; run / that ≈ ${ratio(run / own)}`, '']);
      }
    } else rows.push(['vmasim kernel FILE --json', `n/a: ${e2e.note}`, '']);
  }
  return table(['figure', 'value', 'target'], rows);
}

// ---------------------------------------------------------------- main

function main(): number {
  const rebuilt = buildIfStale();
  if (rebuilt !== null) return rebuilt;
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { quick: { type: 'boolean' }, profile: { type: 'boolean' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`usage: npm run bench -- [--quick] [--profile] [--only ${SECTIONS.join(',')}]\n`);
    return 0;
  }
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS];
  for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: no section '${s}' (${SECTIONS.join(', ')})`);
  const quick = !!values.quick;
  const plan: Plan = {
    quick,
    profile: !!values.profile,
    sections: new Set(only as Section[]),
    pairs: quick ? 250 : 1_000,
    rounds: quick ? 3 : 5,
    kernelPairs: quick ? 5_000 : 20_000,
    heapEvents: quick ? 4_000 : 10_000,
    historyEvents: quick ? 200_000 : 1_000_000,
    journalEvents: quick ? 50_000 : 1_000_000,
    gotos: quick ? 300 : 1_000,
    e2eRounds: quick ? 1 : 3,
    promptRuns: quick ? 3 : 7,
  };
  const t0 = performance.now();
  const header = machine();
  say(header);

  let kernelBinary: string | null = null;
  if (plan.sections.has('ops')) {
    const k = ensureKernelBench();
    if ('error' in k) say(`no kernel figures: ${k.error}`);
    else kernelBinary = k.binary;
  }
  const profileFile = plan.profile ? join(root, 'bench', 'bin', 'recorded-60000.cpuprofile') : null;
  const ops = plan.sections.has('ops') ? runOps(plan, kernelBinary, profileFile) : null;
  const hist = plan.sections.has('history') ? runHistory(plan) : null;
  const replay = plan.sections.has('replay') ? runReplay(plan) : null;
  const startup = plan.sections.has('startup') ? runStartup(plan) : null;
  const e2e = plan.sections.has('e2e') ? runE2e(plan) : null;
  const elapsed = performance.now() - t0;

  const out: string[] = [header, ''];
  if (ops) out.push(opsTable(ops, plan), '');
  if (hist || replay || hasBiggest(ops) || e2e || startup) out.push(otherTable({ ops, hist, replay, startup, e2e }), '');
  out.push(`${quick ? 'Quick run' : 'Full run'}, ${duration(elapsed)}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end.`);
  if (profileFile && existsSync(profileFile)) {
    out.push('', `Recorded path at ${count(SIZES[SIZES.length - 1]!)} VMAs (${shown(profileFile)}):`, profileText(JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile, 20));
    const heapFile = profileFile.replace(/\.cpuprofile$/, '.heapprofile');
    const allocEvents = ops?.find((f) => f.n === SIZES[SIZES.length - 1])?.result.allocEvents ?? 0;
    if (existsSync(heapFile) && allocEvents > 0) {
      out.push('', `${shown(heapFile)}:`, heapProfileText(JSON.parse(readFileSync(heapFile, 'utf8')) as HeapProfile, allocEvents, 15));
    }
  }
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

process.exitCode = main();
