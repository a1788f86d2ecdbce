/**
 * A command or a move is done when its journal line is on disk: these
 * compute the next history, write the line, and only then hand the new
 * history back. When the write fails, the caller keeps the history it had.
 */
import type { Appended, History, Moved, NoSuchEvent } from './history.js';
import { JournalWriteError } from './journal-error.js';
import type { JournalSink } from './journal.js';

export type MoveRequest =
  | { readonly kind: 'undo' | 'redo' | 'back' | 'forward'; readonly n: number }
  | { readonly kind: 'goto'; readonly seq: number };

export type CommitFailure = NoSuchEvent | { readonly kind: 'journal'; readonly error: JournalWriteError; readonly message: string };

export function commitAppend<S, C, R>(
  history: History<S, C, R>,
  journal: JournalSink | null,
  cmd: C,
): ({ readonly ok: true } & Appended<S, C, R>) | { readonly ok: false; readonly error: CommitFailure } {
  const next = history.append(cmd);
  try {
    journal?.recordEvent(next.event);
  } catch (err) {
    if (err instanceof JournalWriteError) return { ok: false, error: journalFailure(err) };
    throw err;
  }
  return { ok: true, ...next };
}

export function commitMove<S, C, R>(
  history: History<S, C, R>,
  journal: JournalSink | null,
  req: MoveRequest,
): ({ readonly ok: true } & Moved<S, C, R>) | { readonly ok: false; readonly error: CommitFailure } {
  let moved: Moved<S, C, R>;
  if (req.kind === 'goto') {
    const r = history.goto(req.seq);
    if (!r.ok) return r;
    moved = r;
  } else {
    moved = history[req.kind](req.n);
  }
  if (moved.steps > 0) {
    try {
      journal?.recordMove({ kind: moved.kind, arg: req.kind === 'goto' ? req.seq : req.n, from: moved.from, to: moved.to });
    } catch (err) {
      if (err instanceof JournalWriteError) return { ok: false, error: journalFailure(err) };
      throw err;
    }
  }
  return { ok: true, ...moved };
}

function journalFailure(error: JournalWriteError): CommitFailure {
  return { kind: 'journal', error, message: `Nothing changed: ${error.message}.` };
}
