/**
 * What the REPL needs from a session: the history, position and window to
 * show, and one way to run every command that changes them. Backed by the
 * session actor (store/session-machine.ts), which commits each event and
 * move to the journal, when there is one, before it counts as done.
 *
 * The actor's reducer may throw a CommandError (a `file` NAME that exists,
 * an out-of-range `config`): that would stop the actor, so each command is
 * stepped here first and a refusal never reaches it; the actor's reducer
 * then reuses that step instead of computing it twice.
 */
import { isAbsolute, resolve } from 'node:path';
import { createActor, type Actor } from 'xstate';
import { applyCommand, eventNumberBeyond, execute, isStateCommand, type Engine, type EventResult, type Outcome, type SimHistory } from '../../commands/engine.js';
import type { Command, ImportKind, StateCommand } from '../../commands/ast.js';
import { CommandError, type StepOutcome } from '../../kernel-sim/step.js';
import { isImportCommand, type ImportCommand } from '../../snapshots/import-data.js';
import { loadImport } from '../../snapshots/importers.js';
import type { SimState } from '../../kernel-sim/state.js';
import { DEFAULT_WINDOW, type Window } from '../../snapshots/sim-report.js';
import { History } from '../../store/history.js';
import type { JournalWriter } from '../../store/journal.js';
import { createSessionMachine, type SessionEvent, type SessionOutcome } from '../../store/session-machine.js';

export type SessionMode = 'atHead' | 'viewingPast' | 'replaying' | 'exporting';

export interface Session {
  /** History, position and window as they are now. */
  readonly engine: Engine;
  /** atHead: a command continues the branch; viewingPast: it starts a new one. */
  readonly mode: SessionMode;
  /** The journal file this session writes, or null. */
  readonly journalPath: string | null;
  /**
   * Run a command that changes the session: an event, a move through the
   * history, or a setting (`window`). Never throws for a user's mistake: what
   * cannot be done comes back as `refused`, with nothing changed.
   */
  execute(cmd: Command, canonical: string): Outcome;
  /** Release the journal. */
  close(): void;
}

export { simHistoryOptions, type CanonicalTexts } from '../../commands/sim-history.js';
import { simHistoryOptions, type SimHistoryMaker } from '../../commands/sim-history.js';

type SimSessionMachine = ReturnType<typeof createSessionMachine<SimState, StateCommand, EventResult>>;
type SimEvent = SessionEvent<SimState, StateCommand, EventResult>;

export interface ActorSessionInput {
  readonly history: SimHistory;
  readonly make: SimHistoryMaker;
  readonly journal?: JournalWriter | null;
  readonly window?: Window;
  /** Relative PATHs of export and import start here (default: the working directory). */
  readonly baseDir?: string;
}

/** An `import` line with its file loaded: the event carries the data (snapshots/import-data.ts). */
export function loadImportCommand(format: ImportKind, path: string, baseDir: string): { readonly cmd: ImportCommand; readonly notes: readonly string[] } | { readonly error: string } {
  const loaded = loadImport(format, { path: isAbsolute(path) ? path : resolve(baseDir, path) });
  if (!loaded.ok) return { error: loaded.error };
  return { cmd: { kind: 'import', format, path, data: loaded.data }, notes: loaded.notes ?? [] };
}

/** A session on the session actor. */
export function actorSession(input: ActorSessionInput): Session {
  const machine: SimSessionMachine = createSessionMachine<SimState, StateCommand, EventResult>();
  const actor: Actor<SimSessionMachine> = createActor(machine, { input: { history: input.history, journal: input.journal ?? null } });
  actor.start();
  let window = input.window ?? DEFAULT_WINDOW;
  const baseDir = input.baseDir ?? process.cwd();
  const journal = input.journal ?? null;
  const engineNow = (): Engine => ({ history: actor.getSnapshot().context.history, window, baseDir, allowExport: true });

  function send(event: SimEvent): SessionOutcome | null {
    actor.send(event);
    return actor.getSnapshot().context.outcome;
  }

  function stateCommand(cmd: StateCommand, canonical: string): Outcome {
    const before = engineNow();
    const state = before.history.current.state;
    let outcome: StepOutcome;
    const t0 = performance.now();
    try {
      outcome = applyCommand(state, cmd);
    } catch (e) {
      if (e instanceof CommandError) return { kind: 'refused', engine: before, message: e.message };
      throw e;
    }
    input.make.texts.set(cmd, canonical);
    input.make.reuse(state, cmd, outcome, (performance.now() - t0) * 1000);
    const o = send({ type: 'COMMAND', command: cmd });
    const engine = engineNow();
    if (o?.kind === 'appended') return { kind: 'event', engine, seq: o.seq, outcome: engine.history.event(o.seq)!.result!, trace: () => outcome.trace };
    return { kind: 'refused', engine, message: o && 'message' in o ? o.message : 'the session did not take the command' };
  }

  function move(event: SimEvent, verb: string): Outcome {
    const o = send(event);
    const engine = engineNow();
    if (o?.kind === 'moved') return { kind: 'moved', engine, message: movedMessage(o.op, o.to, o.steps) };
    const message = o && 'message' in o ? o.message : `${verb} did not move`;
    // Undo at event 0 and the like stop where they are (scenario-language.md): not a failure.
    if (o?.kind === 'refused' && event.type !== 'GOTO') return { kind: 'moved', engine, message };
    return { kind: 'refused', engine, message };
  }

  return {
    get engine() {
      return engineNow();
    },
    get mode() {
      return actor.getSnapshot().value as SessionMode;
    },
    journalPath: journal?.path ?? null,
    execute(cmd, canonical) {
      if (isStateCommand(cmd)) return stateCommand(cmd, canonical);
      switch (cmd.kind) {
        case 'undo':
          return move({ type: 'UNDO', n: count(cmd.n) }, 'undo');
        case 'redo':
          return move({ type: 'REDO', n: count(cmd.n) }, 'redo');
        case 'back':
          return move({ type: 'BACK', n: count(cmd.n) }, 'back');
        case 'forward':
          return move({ type: 'FORWARD', n: count(cmd.n) }, 'forward');
        case 'goto': {
          const beyond = eventNumberBeyond(cmd.n, engineNow().history.newest);
          if (beyond !== null) return { kind: 'refused', engine: engineNow(), message: `${beyond} \`history\` lists them.` };
          return move({ type: 'GOTO', seq: Number(cmd.n) }, 'goto');
        }
        case 'import': {
          if (isImportCommand(cmd)) return stateCommand(cmd, canonical);
          const loaded = loadImportCommand(cmd.format, cmd.path, baseDir);
          if ('error' in loaded) return { kind: 'refused', engine: engineNow(), message: loaded.error };
          const out = stateCommand(loaded.cmd, `import ${cmd.format} ${cmd.path}`);
          return out.kind === 'event' && loaded.notes.length > 0 ? { ...out, notes: loaded.notes } : out;
        }
        case 'export': {
          // The actor's exporting mode holds commands back while the file is written.
          send({ type: 'EXPORT_START', what: `${cmd.format} to ${cmd.path}` });
          const out = execute(engineNow(), cmd, canonical);
          send({ type: 'EXPORT_DONE', ok: out.kind !== 'refused', message: out.kind === 'shown' ? out.text : out.kind === 'refused' ? out.message : '' });
          return { ...out, engine: engineNow() } as Outcome;
        }
        default: {
          // `window`: a setting the engine keeps, not an event.
          const out = execute(engineNow(), cmd, canonical);
          window = out.engine.window;
          return { ...out, engine: engineNow() } as Outcome;
        }
      }
    },
    close() {
      actor.stop();
      journal?.close();
    },
  };
}

function count(n: bigint): number {
  return n > 1_000_000_000n ? 1_000_000_000 : Number(n);
}

function movedMessage(op: string, to: number, steps: number): string {
  switch (op) {
    case 'undo':
      return `at event ${to} (undid ${steps})`;
    case 'redo':
      return `at event ${to} (redid ${steps})`;
    case 'back':
      return `back at event ${to}`;
    case 'forward':
      return `forward at event ${to}`;
    default:
      return `at event ${to}`;
  }
}

/** A session with no journal, from event 0. */
export function newSession(window?: Window): Session {
  const make = simHistoryOptions();
  return actorSession({ history: History.create(make.options), make, ...(window ? { window } : {}) });
}
