/**
 * `vmasim fuzz [--seed S] [--count N] [--ops K] [--out DIR] [--forks]`:
 * random scenarios on the simulator and the live kernel (live/fuzz-run.ts).
 * Progress goes to standard error (a bar on a terminal, plain lines
 * otherwise); the summary goes to standard output. Exit 0 when every scenario
 * agreed, 1 when something diverged or failed, 2 for bad arguments or when
 * the kernel helper cannot run.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { FuzzFatal, runFuzz, type Finding, type FuzzProgress, type FuzzSummary } from './fuzz-run.js';
import { helperBinaryPath, packageRoot } from './paths.js';

export interface FuzzCliValues {
  seed?: string;
  count?: string;
  ops?: string;
  out?: string;
  forks?: boolean;
}

export interface FuzzCliIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  /** Options passed on to runFuzz (tests inject a kernel runner here). */
  readonly run?: Partial<Parameters<typeof runFuzz>[0]>;
  /** The helper binary to check for (default live/bin/vmasim-helper). */
  readonly helperPath?: string | null;
}

const MAX_SEED = 2 ** 48;

/** A non-negative integer option, or an error message. */
export function parseCount(name: string, text: string | undefined, dflt: number, min: number, max: number): number | string {
  if (text === undefined) return dflt;
  const t = text.trim();
  if (!/^(\d+|0[xX][0-9a-fA-F]+)$/.test(t)) return `--${name} must be a whole number, got '${text}'`;
  const v = Number(t);
  if (!Number.isSafeInteger(v) || v < min || v > max) return `--${name} must be between ${min} and ${max}, got '${text}'`;
  return v;
}

function fmtTime(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

function fmtClock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function shown(path: string): string {
  const r = relative(process.cwd(), path);
  return r === '' || r.startsWith('..') ? path : r;
}

class ProgressView {
  private lastDraw = 0;
  private lastLine = 0;
  private lastTenth = 0;
  private drawn = false;

  constructor(
    private readonly err: FuzzCliIo['stderr'],
    private readonly tty: boolean,
  ) {}

  update(p: FuzzProgress, force = false): void {
    const now = Date.now();
    if (this.tty) {
      if (!force && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.draw(p);
      return;
    }
    const tenth = Math.floor((p.done * 10) / p.total);
    if (force || tenth > this.lastTenth || now - this.lastLine >= 10_000) {
      if (!force && p.done === p.total) return; // the summary follows
      this.lastTenth = tenth;
      this.lastLine = now;
      const s = p.shrinking ? `; shrinking seed ${p.shrinking.seed} (${p.shrinking.lines} lines, ${p.shrinking.tests} runs)` : '';
      this.err.write(`vmasim fuzz: ${p.done}/${p.total} scenarios, ${p.ops} ops, ${p.findings} divergence(s), ${fmtTime(p.elapsedMs)}${s}\n`);
    }
  }

  private draw(p: FuzzProgress): void {
    const cols = Math.max(40, Math.min(this.err.columns || 80, 160));
    const rate = p.elapsedMs > 0 ? (p.done * 1000) / p.elapsedMs : 0;
    const eta = rate > 0 ? ((p.total - p.done) / rate) * 1000 : 0;
    const tail = p.shrinking
      ? ` shrinking seed ${p.shrinking.seed}: ${p.shrinking.lines} lines, ${p.shrinking.tests} runs`
      : ` ${p.findings} div  ${rate.toFixed(1)}/s  ETA ${fmtClock(eta)}`;
    const count = ` ${p.done}/${p.total}`;
    const width = Math.max(10, cols - count.length - tail.length - 3);
    const full = Math.round((p.done / p.total) * width);
    const bar = `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
    this.err.write(`\r${(bar + count + tail).slice(0, cols - 1)}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the bar before other text is written. */
  clear(): void {
    if (this.tty && this.drawn) this.err.write('\r\x1b[K');
    this.drawn = false;
  }
}

function findingLine(f: Finding): string {
  const what = f.kind === 'divergence' ? (f.flaky ? 'divergence (not repeated: flaky)' : 'divergence') : f.kind === 'sim-error' ? 'simulator failure' : 'kernel helper failure';
  const first = f.diffs[0] ? ` at ${f.diffs[0].where}` : f.message ? `: ${f.message.split('\n')[0]}` : '';
  return `seed ${f.seed}: ${what}${first} (${f.original.length} -> ${f.shrunk.length} lines) saved to ${shown(f.path)}`;
}

export function summaryText(s: FuzzSummary, o: { ops: number; forks?: boolean }): string {
  const divergences = s.findings.filter((f) => f.kind === 'divergence').length;
  const failures = s.findings.length - divergences;
  const seeds = s.seedFirst === s.seedLast ? `seed ${s.seedFirst}` : `seeds ${s.seedFirst}..${s.seedLast}`;
  const rows = [
    `vmasim fuzz: ${s.scenarios} scenario(s), ${seeds}, ${s.ops} ops (${o.ops} a scenario${o.forks ? ', with forks' : ''})${s.interrupted ? ', interrupted' : ''}`,
    `${divergences} divergence(s)${failures ? `, ${failures} failure(s)` : ''}; ${fmtTime(s.elapsedMs)}${s.shrinkMs > 0 ? ` (${fmtTime(s.shrinkMs)} shrinking)` : ''}`,
    ...s.findings.map((f) => `  ${findingLine(f)}`),
  ];
  if (s.findings.length) rows.push(`rerun one: vmasim fuzz --seed S --count 1 --ops ${o.ops}${o.forks ? ' --forks' : ''}; compare a saved file: vmasim diff FILE`);
  return rows.join('\n') + '\n';
}

export async function runFuzzCli(values: FuzzCliValues, io: FuzzCliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const bad = (m: string) => {
    io.stderr.write(`vmasim: fuzz: ${m}\n`);
    return 2;
  };
  const seed = parseCount('seed', values.seed, Math.floor(Math.random() * 1_000_000) + 1, 0, MAX_SEED);
  if (typeof seed === 'string') return bad(seed);
  const count = parseCount('count', values.count, 100, 1, 10_000_000);
  if (typeof count === 'string') return bad(count);
  const ops = parseCount('ops', values.ops, 40, 1, 100_000);
  if (typeof ops === 'string') return bad(ops);
  if (values.out !== undefined && values.out.trim() === '') return bad('--out must name a folder');
  const outDir = values.out ?? 'fuzz-out';

  const helper = io.helperPath === undefined ? helperBinaryPath() : io.helperPath;
  if (helper !== null && !existsSync(helper)) {
    return bad(`the kernel helper ${relative(packageRoot(), helper)} is missing: run \`npm run build\` (it needs a C compiler, cc or gcc)`);
  }

  const tty = !!io.stderr.isTTY;
  const view = new ProgressView(io.stderr, tty);
  // The first Ctrl-C lets the scenarios in flight finish and prints the summary; another one, later, quits at once.
  // (A launcher such as tsx may pass the same Ctrl-C on a second time: that one is ignored.)
  let stop = false;
  let stopAt = 0;
  const onSigint = () => {
    if (stop && Date.now() - stopAt > 1000) process.exit(130);
    if (!stop) {
      stop = true;
      stopAt = Date.now();
      view.clear();
      io.stderr.write('vmasim fuzz: stopping after the scenarios in flight (Ctrl-C again to quit now)\n');
    }
  };
  process.on('SIGINT', onSigint);
  io.stderr.write(`vmasim fuzz: ${count} scenario(s) of ${ops} ops, seeds ${seed}..${seed + count - 1}${values.forks ? ', with forks' : ''}; findings go to ${outDir}\n`);
  let summary: FuzzSummary;
  try {
    summary = await runFuzz({
      seed,
      count,
      ops,
      forks: !!values.forks,
      outDir,
      onProgress: (p) => view.update(p),
      onFinding: (f) => {
        view.clear();
        io.stderr.write(`vmasim fuzz: ${findingLine(f)}\n`);
      },
      shouldStop: () => stop,
      ...io.run,
    });
  } catch (e) {
    view.clear();
    if (e instanceof FuzzFatal) return bad(e.message);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
  view.clear();
  io.stdout.write(summaryText(summary, { ops, forks: !!values.forks }));
  if (summary.findings.length) return 1;
  return summary.interrupted ? 130 : 0;
}
