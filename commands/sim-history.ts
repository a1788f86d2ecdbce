/**
 * The simulator's history: the store's History with the simulator's step as
 * its reducer. One factory for every session (the engine of `vmasim run`,
 * the REPL's actor, journal resume), so that they keep the same results and
 * write the same journals.
 *
 * An event keeps what its command returned (EventResult), not the trace of
 * how: step is pure, so `eventTrace` runs the command again from the state
 * before it, with the trace on, and gets exactly the trace it had. Bulk runs
 * (replay, fuzzing, benchmarks) record millions of events and read few traces.
 */
import type { StateCommand } from './ast.js';
import { step, type StepOptions, type StepOutcome } from '../kernel-sim/step.js';
import { initialState, type SimState } from '../kernel-sim/state.js';
import type { Errno } from '../kernel-sim/errno.js';
import { NO_TRACE, type Trace } from '../kernel-sim/trace.js';
import { isImportCommand, importOutcome } from '../snapshots/import-data.js';
import { History, type HistoryOptions } from '../store/history.js';
import { resultText } from '../snapshots/run-report.js';

/** What an event keeps of its step: the value returned, not the state (the history has it) nor the trace. */
export interface EventResult {
  readonly reported: boolean;
  readonly ret: string | number;
  readonly errno: Errno | null;
  readonly process: number;
}

export type SimHistory = History<SimState, StateCommand, EventResult>;

/** The simulator as the history's reducer; imports apply their loaded data. */
export function applyCommand(state: SimState, cmd: StateCommand, opts?: StepOptions): StepOutcome {
  return isImportCommand(cmd) ? importOutcome(state, cmd) : step(state, cmd, opts);
}

const UNTRACED: StepOptions = Object.freeze({ trace: false });

const SUCCESS: readonly EventResult[] = Object.freeze([0, 1, 2, 3].map((process) => Object.freeze({ reported: true, ret: 0, errno: null, process })));

/** The part of an outcome an event keeps; the most common one (0 in processes 0-3) is shared. */
export function eventResult(o: StepOutcome): EventResult {
  if (o.reported && o.ret === 0 && o.errno === null && o.process < SUCCESS.length) return SUCCESS[o.process]!;
  return { reported: o.reported, ret: o.ret, errno: o.errno, process: o.process };
}

/** Canonical texts of the commands a history holds, for its listings and the journal. */
export interface CanonicalTexts {
  set(cmd: StateCommand, text: string): void;
}

/** The text the parser gave each command object (commands made without one show their kind). */
const canonicalTexts = new WeakMap<object, string>();

function rememberCanonical(cmd: StateCommand, text: string): void {
  canonicalTexts.set(cmd, text);
}

export interface SimHistoryMaker {
  readonly options: HistoryOptions<SimState, StateCommand, EventResult>;
  readonly texts: CanonicalTexts;
  /** Let a step computed beforehand (with its cost in microseconds) stand in for the reducer's next one. */
  readonly reuse: (state: SimState, cmd: StateCommand, outcome: StepOutcome, us: number) => void;
}

/**
 * How the simulator's histories are made: the reducer is the simulator's
 * step without a trace, the canonical text is the one the parser gave.
 */
export function simHistoryOptions(initial: SimState = initialState()): SimHistoryMaker {
  let memo: { state: SimState; cmd: StateCommand; outcome: StepOutcome; us: number } | null = null;
  const options: HistoryOptions<SimState, StateCommand, EventResult> = {
    reducer: {
      apply(state, cmd) {
        if (memo !== null && memo.state === state && memo.cmd === cmd) {
          const { outcome, us } = memo;
          memo = null;
          return { state: outcome.state, result: eventResult(outcome), us };
        }
        memo = null;
        const outcome = applyCommand(state, cmd, UNTRACED);
        return { state: outcome.state, result: eventResult(outcome) };
      },
    },
    initial,
    canonical: (cmd) => canonicalTexts.get(cmd) ?? cmd.kind,
    summarize: resultText,
  };
  return {
    options,
    texts: { set: rememberCanonical },
    reuse: (state, cmd, outcome, us) => void (memo = { state, cmd, outcome, us }),
  };
}

export function newSimHistory(initial?: SimState): { readonly history: SimHistory; readonly make: SimHistoryMaker } {
  const make = simHistoryOptions(initial);
  return { history: History.create(make.options), make };
}

/** What event `seq` did and why, as its step reported it (empty for event 0 or a missing event). */
export function eventTrace(h: SimHistory, seq: number): Trace {
  const e = h.event(seq);
  if (e === undefined || e.parent === null || e.command === null) return NO_TRACE;
  return applyCommand(h.stateAt(e.parent)!, e.command, { trace: true }).trace;
}
