/**
 * Carrying commands out: the one place that knows what each kind of command
 * does to a session (the simulator's state and history, the window). The
 * REPL, `vmasim run` and the journal all go through `execute`.
 */
import { CommandError } from '../kernel-sim/step.js';
import type { SimState } from '../kernel-sim/state.js';
import type { Trace } from '../kernel-sim/trace.js';
import { DEFAULT_WINDOW, type Window } from '../snapshots/sim-report.js';
import type { Command, StateCommand } from './ast.js';
import type { ImportCommand } from '../snapshots/import-data.js';
import { eventTrace, newSimHistory, type EventResult, type SimHistory } from './sim-history.js';
import { loadImport } from '../snapshots/importers.js';
import { exportSnapshot } from '../snapshots/exporters.js';
import { writeExport } from '../snapshots/write-export.js';
import { isAbsolute, resolve } from 'node:path';

export { applyCommand, type EventResult, type SimHistory } from './sim-history.js';

export interface Engine {
  readonly history: SimHistory;
  readonly window: Window;
  /** Relative PATHs of export/import are relative to this folder (the scenario's, or the working directory). */
  readonly baseDir: string;
  /** False where writing files would be a side effect nobody asked for (a script being imported). */
  readonly allowExport: boolean;
}

export interface EngineOptions {
  readonly baseDir?: string;
  readonly allowExport?: boolean;
}

export function newEngine(initial?: SimState, opts: EngineOptions = {}): Engine {
  const { history } = newSimHistory(initial);
  return { history, window: DEFAULT_WINDOW, baseDir: opts.baseDir ?? process.cwd(), allowExport: opts.allowExport ?? true };
}

export type Outcome =
  /** A state-changing command ran and became event `seq`; `trace` tells what it did and why (computed when called). */
  | { readonly kind: 'event'; readonly engine: Engine; readonly seq: number; readonly outcome: EventResult; readonly trace: () => Trace; readonly notes?: readonly string[] }
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

/** Append a state-changing command as an event. */
export function appendEvent(engine: Engine, cmd: StateCommand, canonical: string, notes?: readonly string[]): Outcome {
  try {
    const { history, event } = engine.history.append(cmd, { text: canonical });
    const next: Engine = { history, window: engine.window, baseDir: engine.baseDir, allowExport: engine.allowExport };
    const seq = event.seq;
    const trace = (): Trace => eventTrace(history, seq);
    return notes ? { kind: 'event', engine: next, seq, outcome: event.result!, trace, notes } : { kind: 'event', engine: next, seq, outcome: event.result!, trace };
  } catch (e) {
    if (e instanceof CommandError) return { kind: 'refused', engine, message: e.message };
    throw e;
  }
}

function resolvePath(engine: Engine, path: string): string {
  return isAbsolute(path) ? path : resolve(engine.baseDir, path);
}

/**
 * The refusal for an event number above any a history can reach (2^53), or
 * null: such a number is named as typed, since as a double it would be
 * another number.
 */
export function eventNumberBeyond(n: bigint, newest: number): string | null {
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? `There is no event ${n}: events are numbered 0 to ${newest}.` : null;
}

/** Run one command against the engine. Never throws for a user's mistake. */
export function execute(engine: Engine, cmd: Command, canonical: string): Outcome {
  if (isStateCommand(cmd)) return appendEvent(engine, cmd, canonical);
  const h = engine.history;
  switch (cmd.kind) {
    case 'import': {
      const loaded = loadImport(cmd.format, { path: resolvePath(engine, cmd.path) });
      if (!loaded.ok) return { kind: 'refused', engine, message: loaded.error };
      const imported: ImportCommand = { kind: 'import', format: cmd.format, path: cmd.path, data: loaded.data };
      return appendEvent(engine, imported, `import ${cmd.format} ${cmd.path}`, loaded.notes);
    }
    case 'export': {
      if (!engine.allowExport) return { kind: 'refused', engine, message: 'export is not allowed here (a script being imported may not write files)' };
      const path = resolvePath(engine, cmd.path);
      const out = exportSnapshot(cmd.format, engine, { path });
      if (!out.ok) return { kind: 'refused', engine, message: out.error };
      const written = writeExport(path, out.text, cmd.force);
      if (!written.ok) return { kind: 'refused', engine, message: written.error };
      const notes = out.notes.length ? `\n${out.notes.join('\n')}` : '';
      return { kind: 'shown', engine, text: `exported ${cmd.format} to ${written.path}${notes}` };
    }
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
      const beyond = eventNumberBeyond(cmd.n, h.newest);
      if (beyond !== null) return { kind: 'refused', engine, message: beyond };
      const g = h.goto(Number(cmd.n));
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
