/**
 * The history as the exporters read it: the events on the path from event 0
 * to the current one, each with the state before and after it. Branches left
 * by undo or goto are not on the path and are not exported.
 */
import type { StateCommand } from '../commands/ast.js';
import type { Engine } from '../commands/engine.js';
import type { SimState } from '../kernel-sim/state.js';
import type { EventResult } from '../commands/sim-history.js';
import { isImportCommand, type ImportCommand } from './import-data.js';

export interface PathEvent {
  readonly seq: number;
  /** The canonical command text. */
  readonly text: string;
  readonly command: StateCommand | ImportCommand;
  readonly result: EventResult;
  /** One line describing the result. */
  readonly summary: string;
  readonly before: SimState;
  readonly after: SimState;
}

export interface HistoryPath {
  /** The state of event 0. */
  readonly start: SimState;
  /** Events 1.. on the path to the current event, in order. */
  readonly events: readonly PathEvent[];
  /** The current event. */
  readonly position: number;
}

export function historyPath(engine: Engine): HistoryPath {
  const h = engine.history;
  const seqs = h.path(h.position);
  const start = h.event(0)!.state;
  const events: PathEvent[] = [];
  let before = start;
  for (const seq of seqs.slice(1)) {
    const e = h.event(seq)!;
    events.push({ seq, text: e.text, command: e.command as StateCommand | ImportCommand, result: e.result!, summary: e.summary, before, after: e.state });
    before = e.state;
  }
  return { start, events, position: h.position };
}

/** The import carried by an event, if it is one. */
export function importOf(e: PathEvent): ImportCommand | null {
  return isImportCommand(e.command) ? e.command : null;
}

/** The file NAMEs a command refers to with `file=`. */
export function fileReferences(cmd: StateCommand | ImportCommand): string[] {
  if (cmd.kind === 'mmap' && cmd.file !== null) return [cmd.file];
  if ((cmd.kind === 'vma-add' || cmd.kind === 'vma-merge-new') && cmd.vma.file !== null) return [cmd.vma.file];
  return [];
}

/**
 * The first `file NAME SIZE` event of every NAME anywhere in the history,
 * branches included: a line on the path may name a file whose `file` line
 * was undone (it then returns EBADF), and a replay must still declare it.
 */
export function fileDeclarations(engine: Engine): Map<string, PathEvent['seq']> {
  const h = engine.history;
  const out = new Map<string, number>();
  for (let seq = 1; seq <= h.newest; seq++) {
    const cmd = h.event(seq)!.command as StateCommand | ImportCommand;
    if (cmd.kind === 'file' && !out.has(cmd.name)) out.set(cmd.name, seq);
  }
  return out;
}
