/**
 * The scenario corpus (test/scenarios/*.vma).
 *
 * For every scenario the simulator's report must agree with the live kernel's
 * report recorded beside it (NAME.kernel.json, written by test/record-corpus.ts),
 * compared the way `vmasim diff` compares (live/compare.ts, with the scenario's
 * window). Where the live-kernel helper builds, the kernel is also run now and
 * must still print what was recorded.
 *
 * A sim-only scenario (first line `# sim-only: REASON`) cannot run on the live
 * kernel; the simulator is checked against NAME.expected.json, written from
 * the spec sentences its comment quotes. There, the fields the kernel cannot
 * show (pgoff, anon_vma, close) are checked too where the expected report
 * gives them (anon_vma ids up to renaming).
 */
import { existsSync, readdirSync } from 'node:fs';
import { release } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../commands/run-scenario.js';
import { ensureHelper } from '../live/build-helper.js';
import { compareReports, type Difference, type Window } from '../live/compare.js';
import type { ProcessReport, RunReport, VmaReport } from '../snapshots/run-report.js';
import {
  expectedPath,
  kernelRecordingPath,
  listScenarios,
  readReport,
  runCorpusScenarioOnKernel,
  SCENARIO_DIR,
  type CorpusScenario,
} from './record-corpus.js';

/**
 * Scenarios on which the simulator is known to disagree with its reference
 * report, and why. Their simulator test is expected to fail (`it.fails`); an
 * entry must go as soon as the simulator agrees again.
 */
const KNOWN_DIVERGENCES: Readonly<Record<string, string>> = {
  // The simulator does not keep which pages have page-table entries: every touch is a fault.
  'thp-read-after-populate':
    'MAP_POPULATE on a read-only private mapping leaves zero-page PTEs, so a later read does not fault; the simulator treats the read as a fault that maps the huge zero page and prepares an anon_vma (kernel-sim/fault.ts thpReadEligible), so VM_ACCOUNT stays where the kernel drops it',
};

const scenarios = listScenarios();

/** The helper's path, or why the live kernel cannot be run here. */
const live: { readonly helper: string } | { readonly reason: string } = (() => {
  try {
    return { helper: ensureHelper() };
  } catch (e) {
    return { reason: e instanceof Error ? e.message : String(e) };
  }
})();

/** Results must also name the same lines and commands. */
function sameLines(a: RunReport, b: RunReport): Difference[] {
  const out: Difference[] = [];
  const n = Math.min(a.results.length, b.results.length);
  for (let i = 0; i < n; i++) {
    const x = a.results[i]!;
    const y = b.results[i]!;
    if (x.line !== y.line || x.command !== y.command) {
      out.push({ where: `results[${i}]`, sim: `line ${x.line}: ${x.command}`, kernel: `line ${y.line}: ${y.command}` });
    }
  }
  return out;
}

function vmaLists(r: RunReport): [string, readonly VmaReport[]][] {
  const procs: readonly ProcessReport[] = r.processes ?? [];
  return [['vmas', r.vmas], ...procs.map((p): [string, readonly VmaReport[]] => [`process ${p.process} vmas`, p.vmas])];
}

/**
 * pgoff, close and anon_vma where the expected report gives them. anon_vma ids
 * made up by the simulator are arbitrary, so the ids must correspond one to one.
 */
function hiddenFields(sim: RunReport, expected: RunReport): Difference[] {
  const out: Difference[] = [];
  const toSim = new Map<string, string | null>();
  const toExpected = new Map<string | null, string>();
  const simLists = new Map(vmaLists(sim));
  for (const [where, exp] of vmaLists(expected)) {
    const got = simLists.get(where) ?? [];
    exp.forEach((e, i) => {
      const v = got[i];
      if (!v || v.start !== e.start || v.end !== e.end) return; // compareReports reports this VMA
      const at = `${where} ${e.start}-${e.end}`;
      if (e.pgoff !== null && v.pgoff !== e.pgoff) out.push({ where: `${at} pgoff`, sim: String(v.pgoff), kernel: String(e.pgoff) });
      if (e.close !== null && v.close !== e.close) out.push({ where: `${at} close`, sim: String(v.close), kernel: String(e.close) });
      if (e.anon_vma !== null) {
        const mapped = toSim.get(e.anon_vma);
        const back = toExpected.get(v.anon_vma);
        if ((mapped !== undefined && mapped !== v.anon_vma) || (back !== undefined && back !== e.anon_vma) || v.anon_vma === null) {
          out.push({ where: `${at} anon_vma`, sim: String(v.anon_vma), kernel: e.anon_vma });
        } else {
          toSim.set(e.anon_vma, v.anon_vma);
          toExpected.set(v.anon_vma, e.anon_vma);
        }
      }
    });
  }
  return out;
}

function explain(diffs: readonly Difference[], left: string, right: string): string {
  const indent = (s: string) => s.split('\n').join('\n      ');
  return diffs.map((d) => `  ${d.where}\n    ${left}:\n      ${indent(d.sim)}\n    ${right}:\n      ${indent(d.kernel)}`).join('\n');
}

function simulate(s: CorpusScenario): { report: RunReport; window: Window } {
  const sim = runScenario(s.text, s.path);
  if (!sim.ok) throw new Error(sim.message);
  return { report: sim.report, window: sim.engine.window };
}

describe('scenario corpus', () => {
  it('has scenarios, each with a comment first and its reference report beside it', () => {
    expect(scenarios.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const s of scenarios) {
      const lines = s.text.split('\n');
      if (!lines[0]!.startsWith('# ')) problems.push(`${s.name}: the first line must be a comment saying what the scenario shows`);
      if (s.simOnly !== null) {
        if (!lines[1]?.startsWith('# ')) problems.push(`${s.name}: a sim-only scenario says what it shows on its second line`);
        if (!existsSync(expectedPath(s))) problems.push(`${s.name}: sim-only, but ${s.name}.expected.json is missing`);
        if (existsSync(kernelRecordingPath(s))) problems.push(`${s.name}: sim-only, but has a kernel recording`);
      } else if (!existsSync(kernelRecordingPath(s))) {
        problems.push(`${s.name}: no kernel recording (npx tsx test/record-corpus.ts ${s.name})`);
      }
    }
    for (const f of readdirSync(SCENARIO_DIR)) {
      const m = /^(.*)\.(kernel|expected)\.json$/.exec(f);
      if (m && !scenarios.some((s) => s.name === m[1])) problems.push(`${f}: there is no ${m[1]}.vma`);
    }
    expect(problems).toEqual([]);
  });

  if (!('helper' in live)) it.skip(`live kernel checks: not run (${live.reason})`, () => {});

  it('lists known divergences only for existing scenarios', () => {
    const names = new Set(scenarios.map((s) => s.name));
    expect(Object.keys(KNOWN_DIVERGENCES).filter((n) => !names.has(n))).toEqual([]);
  });
});

for (const s of scenarios) {
  describe(s.name, () => {
    const divergence = KNOWN_DIVERGENCES[s.name];
    const simIt = divergence === undefined ? it : it.fails;

    if (s.simOnly !== null) {
      simIt(`simulator matches ${s.name}.expected.json (sim-only: ${s.simOnly})`, () => {
        const { report, window } = simulate(s);
        const expected = readReport(expectedPath(s));
        const diffs = [...compareReports(report, expected, window), ...sameLines(report, expected), ...hiddenFields(report, expected)];
        if (diffs.length) throw new Error(`${s.name}: the simulator differs from the expected report\n${explain(diffs, 'simulator', 'expected')}`);
      });
      return;
    }

    simIt('simulator matches the recorded kernel report', () => {
      const { report, window } = simulate(s);
      const recorded = readReport(kernelRecordingPath(s));
      const diffs = [...compareReports(report, recorded, window), ...sameLines(report, recorded)];
      if (diffs.length) throw new Error(`${s.name}: the simulator differs from the live kernel's recording\n${explain(diffs, 'simulator', 'kernel')}`);
    });

    it.skipIf(!('helper' in live))('the live kernel still prints the recorded report', async () => {
      if (!('helper' in live)) return;
      const { window } = simulate(s);
      const recorded = readReport(kernelRecordingPath(s));
      const now = await runCorpusScenarioOnKernel(s, live.helper);
      const diffs = [...compareReports(now, recorded, window), ...sameLines(now, recorded)];
      if (diffs.length) {
        throw new Error(
          `${s.name}: the live kernel (${release()}) now differs from its recording; ` +
            `if the kernel changed on purpose, record again with \`npx tsx test/record-corpus.ts ${s.name}\`\n` +
            explain(diffs, 'kernel now', 'recorded'),
        );
      }
    });
  });
}
