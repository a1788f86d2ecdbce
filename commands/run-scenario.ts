/**
 * `vmasim run`: a scenario file, line by line, through the engine, into the
 * JSON report of scenario-language.md.
 */
import { dirname, resolve } from 'node:path';
import { formatParseError } from './parse-error.js';
import { parseScenario } from './parse.js';
import { printable } from './printable.js';
import { currentState, execute, newEngine, type Engine } from './engine.js';
import type { ResultReport, RunReport } from '../snapshots/run-report.js';
import { processReports, windowVmas } from '../snapshots/sim-report.js';
import type { Trace } from '../kernel-sim/trace.js';
import { validateState } from '../kernel-sim/validate.js';

export interface LineRecord {
  readonly line: number;
  readonly command: string;
  readonly result: ResultReport | null;
  readonly trace: Trace;
}

export type RunOutcome =
  | { readonly ok: true; readonly report: RunReport; readonly engine: Engine; readonly lines: readonly LineRecord[] }
  | { readonly ok: false; readonly message: string };

export interface RunOptions {
  /** Check the kernel's invariants after every line (`--check`). */
  readonly check?: boolean;
  /** Whether `export` lines may write files (false when a script is being imported). */
  readonly allowExport?: boolean;
  /** Folder that relative PATHs are relative to (default: the scenario file's). */
  readonly baseDir?: string;
  /** Keep each line's trace (`--explain`); otherwise the traces are empty. */
  readonly explain?: boolean;
}


export function runScenario(text: string, fileName: string, opts: RunOptions = {}): RunOutcome {
  const parsed = parseScenario(text, fileName);
  if ('error' in parsed) return { ok: false, message: formatParseError(parsed.error) };
  const baseDir = opts.baseDir ?? (fileName.startsWith('<') ? process.cwd() : dirname(resolve(fileName)));
  let engine = newEngine(undefined, { baseDir, allowExport: opts.allowExport ?? true });
  const results: (ResultReport & { process: number })[] = [];
  const lines: LineRecord[] = [];
  for (const l of parsed.lines) {
    const out = execute(engine, l.cmd, l.canonical);
    engine = out.engine;
    if (out.kind === 'refused') return { ok: false, message: `${fileName}:${l.line}: ${printable(out.message)}` };
    if (out.kind === 'event') {
      const o = out.outcome;
      if (opts.check) {
        const broken = validateState(currentState(engine));
        if (broken.length) return { ok: false, message: `${fileName}:${l.line}: '${l.text}' broke an invariant: ${broken.join('; ')}` };
      }
      const result = o.reported ? { line: l.line, command: l.text, ret: o.ret, errno: o.errno, process: o.process } : null;
      if (result) results.push(result);
      lines.push({ line: l.line, command: l.text, result, trace: opts.explain ? out.trace() : [] });
    }
  }
  const state = currentState(engine);
  const multi = state.processes.length > 1;
  const report: RunReport = multi
    ? { vmas: windowVmas(state, state.current, engine.window, true), results, processes: processReports(state, engine.window) }
    : { vmas: windowVmas(state, state.current, engine.window, false), results: results.map(({ process: _p, ...r }) => r) };
  return { ok: true, report, engine, lines };
}

