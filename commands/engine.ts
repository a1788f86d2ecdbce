/**
 * Carrying commands out: the one place that knows what each kind of command
 * does to a session (the simulator's state and history, the window). The
 * REPL, `vmasim run` and the journal all go through `execute`.
 */
import { History } from '../store/history.js';
import { CommandError, step, type StepOutcome } from '../kernel-sim/step.js';
import { initialState, type SimState } from '../kernel-sim/state.js';
import { DEFAULT_WINDOW, type Window } from '../snapshots/sim-report.js';
import type { Command, StateCommand } from './ast.js';

export type SimHistory = History<SimState, StateCommand, StepOutcome>;

export interface Engine {
  readonly history: SimHistory;
  readonly window: Window;
}

/** Canonical text of commands appended without a parsed line (imports, tests). */
const canonicalTexts = new WeakMap<object, string>();

export function newEngine(initial: SimState = initialState()): Engine {
  const history: SimHistory = History.create<SimState, StateCommand, StepOutcome>({
    reducer: { apply: (state, cmd) => { const outcome = step(state, cmd); return { state: outcome.state, result: outcome }; } },
    initial,
    canonical: (cmd) => canonicalTexts.get(cmd) ?? cmd.kind,
    summarize: (r) => (r.errno ? `-1 ${r.errno}` : String(r.ret)),
  });
  return { history, window: DEFAULT_WINDOW };
}

export type Outcome =
  /** A state-changing command ran and became event `seq`. */
  | { readonly kind: 'event'; readonly engine: Engine; readonly seq: number; readonly outcome: StepOutcome }
  /** The position in history moved. */
  | { readonly kind: 'moved'; readonly engine: Engine; readonly message: string }
  /** A setting of the session changed (not an event). */
  | { readonly kind: 'setting'; readonly engine: Engine; readonly message: string }
  /** Something to show; nothing changed. */
  | { readonly kind: 'shown'; readonly engine: Engine; readonly text: string }
  /** The command could not be carried out; nothing changed. */
  | { readonly kind: 'refused'; readonly engine: Engine; readonly message: string };

const STATE_KINDS = new Set<string>([
  'file', 'config', 'mmap', 'munmap', 'mprotect', 'madvise', 'mlock', 'munlock', 'mremap', 'mseal', 'name', 'touch',
  'vma-add', 'vma-merge-new', 'vma-merge-existing', 'vma-modify', 'vma-expand', 'vma-shrink', 'vma-split', 'vma-unmap', 'vma-copy',
  'fork', 'process',
]);

export function isStateCommand(cmd: Command): cmd is StateCommand {
  return STATE_KINDS.has(cmd.kind);
}

function count(n: bigint): number {
  return n > 1_000_000_000n ? 1_000_000_000 : Number(n);
}

/** Run one command against the engine. Never throws for a user's mistake. */
export function execute(engine: Engine, cmd: Command, canonical: string): Outcome {
  if (isStateCommand(cmd)) {
    canonicalTexts.set(cmd, canonical);
    try {
      const { history, event } = engine.history.append(cmd);
      return { kind: 'event', engine: { ...engine, history }, seq: event.seq, outcome: event.result! };
    } catch (e) {
      if (e instanceof CommandError) return { kind: 'refused', engine, message: e.message };
      throw e;
    }
  }
  const h = engine.history;
  switch (cmd.kind) {
    case 'window':
      if (cmd.start >= cmd.end) return { kind: 'refused', engine, message: 'window START must be below END' };
      if (cmd.end > 2n ** 53n) return { kind: 'refused', engine, message: 'window END is beyond the address space' };
      return { kind: 'setting', engine: { ...engine, window: { start: Number(cmd.start), end: Number(cmd.end) } }, message: `window ${canonical.split(' ').slice(1).join(' ')}` };
    case 'undo': {
      const m = h.undo(count(cmd.n));
      return { kind: 'moved', engine: { ...engine, history: m.history }, message: m.steps ? `at event ${m.to} (undid ${m.steps})` : `nothing to undo: at event ${m.to}` };
    }
    case 'redo': {
      const m = h.redo(count(cmd.n));
      return { kind: 'moved', engine: { ...engine, history: m.history }, message: m.steps ? `at event ${m.to} (redid ${m.steps})` : `nothing to redo: at event ${m.to}` };
    }
    case 'goto': {
      const seq = cmd.n > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(cmd.n);
      const g = h.goto(seq);
      if (!g.ok) return { kind: 'refused', engine, message: g.error.message };
      return { kind: 'moved', engine: { ...engine, history: g.history }, message: `at event ${g.to}` };
    }
    case 'back': {
      const m = h.back(count(cmd.n));
      return { kind: 'moved', engine: { ...engine, history: m.history }, message: m.steps ? `back at event ${m.to}` : `nothing to go back to: at event ${m.to}` };
    }
    case 'forward': {
      const m = h.forward(count(cmd.n));
      return { kind: 'moved', engine: { ...engine, history: m.history }, message: m.steps ? `forward at event ${m.to}` : `nothing to go forward to: at event ${m.to}` };
    }
    default:
      return { kind: 'refused', engine, message: `'${canonical.split(' ')[0]}' is not available here` };
  }
}

/** The state at the current position. */
export function currentState(engine: Engine): SimState {
  return engine.history.current.state;
}
