/**
 * Running a fuzz target: every generated input goes through `check`, which
 * returns the problems it saw (an empty list when the input was handled
 * well) or throws (a crash). Unlike fc.assert, the run does not stop at the
 * first failure, so the summary can say how many inputs failed, which is
 * what a reader of the CI log wants; the first few are shown in full.
 *
 * Sizes: VMASIM_FUZZ_RUNS multiplies every target's number of inputs (0.1 for
 * a quick look, 10 for a long night); VMASIM_FUZZ_SEED changes the inputs
 * (the default seed keeps CI reproducible; the seed is printed).
 */
import fc from 'fast-check';
import { show } from './checks.js';

export const FUZZ_SEED = Number(process.env.VMASIM_FUZZ_SEED ?? 20240808);
const SCALE = Number(process.env.VMASIM_FUZZ_RUNS ?? 1);

export function runs(n: number): number {
  return Math.max(1, Math.round(n * (Number.isFinite(SCALE) && SCALE > 0 ? SCALE : 1)));
}

export interface Failure {
  readonly input: string;
  readonly problem: string;
}

export interface FuzzReport {
  readonly name: string;
  readonly inputs: number;
  /** Inputs whose handling threw. */
  readonly crashes: number;
  /** Inputs handled without throwing but badly (a bad message, a changed state). */
  readonly problems: number;
  readonly failures: readonly Failure[];
  /** Per outcome label (e.g. parsed, refused): how often. */
  readonly outcomes: Readonly<Record<string, number>>;
  readonly ms: number;
}

export interface Checked {
  /** What happened, for the tally (e.g. 'parse error', 'event'). */
  readonly outcome: string;
  readonly problems?: readonly string[];
}

const KEEP = 5;

export function fuzz<T>(name: string, arb: fc.Arbitrary<T>, numRuns: number, check: (input: T, index: number) => Checked, seed = FUZZ_SEED): FuzzReport {
  const t0 = performance.now();
  const inputs = fc.sample(arb, { numRuns, seed });
  let crashes = 0;
  let problems = 0;
  const failures: Failure[] = [];
  const outcomes: Record<string, number> = {};
  inputs.forEach((input, i) => {
    try {
      const c = check(input, i);
      outcomes[c.outcome] = (outcomes[c.outcome] ?? 0) + 1;
      if (c.problems && c.problems.length > 0) {
        problems++;
        if (failures.length < KEEP) failures.push({ input: show(input), problem: c.problems.join('; ') });
      }
    } catch (e) {
      crashes++;
      outcomes.crash = (outcomes.crash ?? 0) + 1;
      if (failures.length < KEEP) failures.push({ input: show(input), problem: `threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 4).join('\n')}` : String(e)}` });
    }
  });
  return summarize({ name, inputs: inputs.length, crashes, problems, failures, outcomes, ms: performance.now() - t0 }, seed);
}

/** The one-line summary CI shows, then the failures, if any. */
export function summarize(r: FuzzReport, seed = FUZZ_SEED): FuzzReport {
  const tally = Object.entries(r.outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const line = `${r.name}: ${r.inputs} inputs, ${r.crashes} crashes, ${r.problems} problems (${tally}; seed ${seed}, ${Math.round(r.ms)} ms)`;
  console.log([line, ...r.failures.map((f) => `  ${f.input}\n    -> ${f.problem}`)].join('\n'));
  return r;
}
