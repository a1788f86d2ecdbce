/**
 * The scenario corpus (test/scenarios/NAME.vma) and the recording of the live
 * kernel's output beside each scenario (NAME.kernel.json: the report that
 * `vmasim kernel NAME.vma --json` prints, indented).
 *
 * A scenario whose first line is `# sim-only: REASON` cannot run on the live
 * kernel (`config max_map_count`, `config mmap_base`, `undo`, the internal
 * `vma` API, ...); its expected report is written by hand from the spec in
 * NAME.expected.json, and this script never records it.
 *
 * Usage: npx tsx test/record-corpus.ts [--check] [NAME ...]
 *   NAME      only these scenarios (with or without `.vma`); default: all of them
 *   --check   write nothing; exit 1 if the kernel's output differs from a recording
 *
 * Each scenario runs twice on the kernel; a scenario whose two runs differ is not
 * recorded (its output would not be reproducible). Files are written atomically
 * (a temporary file in the same folder, then a rename).
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario } from '../commands/parse.js';
import { formatParseError } from '../commands/parse-error.js';
import { ensureHelper } from '../live/build-helper.js';
import { runOnKernel } from '../live/kernel-runner.js';
import type { RunReport } from '../snapshots/run-report.js';

export const SCENARIO_DIR: string = join(dirname(fileURLToPath(import.meta.url)), 'scenarios');

export interface CorpusScenario {
  /** The file name without `.vma`. */
  readonly name: string;
  readonly path: string;
  readonly text: string;
  /** The reason given on a `# sim-only: REASON` first line, or null for a scenario the live kernel runs. */
  readonly simOnly: string | null;
}

const SIM_ONLY = /^#\s*sim-only:\s*(\S.*?)\s*$/;

/** The reason of a `# sim-only: REASON` first line, or null. */
export function simOnlyReason(text: string): string | null {
  const first = text.split('\n', 1)[0]!.replace(/\r$/, '');
  const m = SIM_ONLY.exec(first);
  return m ? m[1]! : null;
}

/** Every scenario of the corpus, in file-name order. */
export function listScenarios(dir: string = SCENARIO_DIR): CorpusScenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.vma'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      const text = readFileSync(path, 'utf8');
      return { name: f.slice(0, -'.vma'.length), path, text, simOnly: simOnlyReason(text) };
    });
}

/** NAME.kernel.json: the live kernel's recorded report. */
export function kernelRecordingPath(s: CorpusScenario): string {
  return join(dirname(s.path), `${s.name}.kernel.json`);
}

/** NAME.expected.json: the hand-written report of a sim-only scenario. */
export function expectedPath(s: CorpusScenario): string {
  return join(dirname(s.path), `${s.name}.expected.json`);
}

export function readReport(path: string): RunReport {
  return JSON.parse(readFileSync(path, 'utf8')) as RunReport;
}

/** The report as it is stored: indented JSON and a final newline. */
export function formatReport(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Runs the scenario on the live kernel (throws LiveRefusal / LiveHelperError as runOnKernel does). */
export async function runCorpusScenarioOnKernel(s: CorpusScenario, helperPath?: string): Promise<RunReport> {
  const parsed = parseScenario(s.text, s.path);
  if ('error' in parsed) throw new Error(formatParseError(parsed.error));
  return runOnKernel(parsed.lines, { timeoutMs: 60_000, ...(helperPath ? { helperPath } : {}) });
}

/** Writes `text` to `path` so that readers see either the old file or the whole new one. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const check = argv.includes('--check');
  const wanted = argv.filter((a) => a !== '--check').map((a) => basename(a).replace(/\.vma$/, ''));
  const all = listScenarios();
  const unknown = wanted.filter((w) => !all.some((s) => s.name === w));
  if (unknown.length) {
    process.stderr.write(`record-corpus: no such scenario: ${unknown.join(', ')}\n`);
    return 2;
  }
  const chosen = wanted.length ? all.filter((s) => wanted.includes(s.name)) : all;
  const helper = ensureHelper();
  let recorded = 0;
  let unchanged = 0;
  const problems: string[] = [];
  for (const s of chosen) {
    if (s.simOnly !== null) {
      if (!existsSync(expectedPath(s))) problems.push(`${s.name}: sim-only, but ${basename(expectedPath(s))} is missing`);
      continue;
    }
    let first: RunReport;
    let second: RunReport;
    try {
      first = await runCorpusScenarioOnKernel(s, helper);
      second = await runCorpusScenarioOnKernel(s, helper);
    } catch (e) {
      problems.push(`${s.name}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const text = formatReport(first);
    if (text !== formatReport(second)) {
      problems.push(`${s.name}: two runs on the kernel gave different reports; not recorded`);
      continue;
    }
    const out = kernelRecordingPath(s);
    const old = existsSync(out) ? readFileSync(out, 'utf8') : null;
    if (old === text) {
      unchanged++;
      continue;
    }
    if (check) {
      problems.push(`${s.name}: ${old === null ? 'no recording' : 'the kernel now prints something else than the recording'}`);
      continue;
    }
    writeFileAtomic(out, text);
    recorded++;
  }
  const kernelRun = chosen.filter((s) => s.simOnly === null).length;
  process.stdout.write(
    `record-corpus: ${chosen.length} scenario(s), ${kernelRun} run on the kernel: ${recorded} recorded, ${unchanged} unchanged` +
      `${problems.length ? `, ${problems.length} problem(s)` : ''}\n`,
  );
  for (const p of problems) process.stderr.write(`  ${p}\n`);
  return problems.length ? 1 : 0;
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`record-corpus: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
