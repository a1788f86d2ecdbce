/**
 * The session: one actor that owns the history and says what each mode
 * allows.
 *
 *   atHead       the current event has no children: a command continues
 *                its branch.
 *   viewingPast  the current event has children (after undo, goto, back):
 *                a command is still allowed and starts a new branch from
 *                here (scenario-language.md, History), which puts the session
 *                at the head of that branch.
 *   replaying    a journal is being replayed into the session: commands,
 *                moves and exports wait.
 *   exporting    an export is being written: commands, moves and another
 *                export wait.
 *
 * atHead and viewingPast accept the same events (the machine's top-level
 * handlers); replaying and exporting override every one of them. What a mode
 * or the history does not allow is refused with a message that says why and
 * what to do instead, and nothing changes.
 *
 * A command or a move is committed with its journal line (commit.ts): when
 * the session has a journal, the line is fsync'ed before the new snapshot
 * exists, and a failed write leaves the history as it was. Long replays run
 * the pure History directly (an actor per event would cost ~30 µs each) and
 * report progress here; REPLAY_DONE hands over the result.
 *
 * The context holds the History by reference; its contents are private
 * fields, so getPersistedSnapshot() stays small and JSON-safe (the history
 * itself is restored from the journal, not from a snapshot).
 */
import { assertEvent, assign, setup } from 'xstate';
import { commitAppend, commitMove, type CommitFailure, type MoveRequest } from './commit.js';
import type { History, MoveKind } from './history.js';
import type { JournalSink } from './journal.js';

export type SessionEvent<S, C, R> =
  /** A parsed command that changes the state: it becomes an event. */
  | { readonly type: 'COMMAND'; readonly command: C }
  | { readonly type: 'UNDO'; readonly n?: number }
  | { readonly type: 'REDO'; readonly n?: number }
  | { readonly type: 'GOTO'; readonly seq: number }
  | { readonly type: 'BACK'; readonly n?: number }
  | { readonly type: 'FORWARD'; readonly n?: number }
  /** `what`: for messages, e.g. "json to out.json". */
  | { readonly type: 'EXPORT_START'; readonly what: string }
  | { readonly type: 'EXPORT_DONE'; readonly ok: boolean; readonly message: string }
  | { readonly type: 'REPLAY_START'; readonly source: string; readonly total: number }
  | { readonly type: 'REPLAY_PROGRESS'; readonly done: number; readonly total: number }
  | {
      readonly type: 'REPLAY_DONE';
      readonly ok: boolean;
      readonly message: string;
      /** The replayed history (the valid part, if the replay did not finish). */
      readonly history: History<S, C, R>;
      /** Where later events go (the journal, reopened for appending), if anywhere. */
      readonly journal?: JournalSink | null;
    };

/** What the last event did, for the caller to report. */
export type SessionOutcome =
  | { readonly kind: 'appended'; readonly seq: number; readonly parent: number; readonly summary: string }
  | { readonly kind: 'moved'; readonly op: MoveKind; readonly from: number; readonly to: number; readonly steps: number }
  | { readonly kind: 'refused'; readonly message: string }
  /** The journal could not be written; nothing changed. */
  | { readonly kind: 'failed'; readonly code: string; readonly message: string }
  | { readonly kind: 'replayed'; readonly ok: boolean; readonly message: string }
  | { readonly kind: 'exported'; readonly ok: boolean; readonly message: string };

export interface SessionContext<S, C, R> {
  readonly history: History<S, C, R>;
  readonly journal: JournalSink | null;
  readonly outcome: SessionOutcome | null;
  readonly replay: { readonly source: string; readonly done: number; readonly total: number } | null;
  readonly exporting: string | null;
}

export interface SessionInput<S, C, R> {
  /** The history to start from; it carries the reducer (History.create({ reducer, ... })). */
  readonly history: History<S, C, R>;
  readonly journal?: JournalSink | null;
}

/** Why a mode or the history refuses an event, and what to do instead. */
export function refusal<S, C, R>(
  context: SessionContext<S, C, R>,
  event: SessionEvent<S, C, R>,
  mode: 'ready' | 'replaying' | 'exporting',
): string {
  const h = context.history;
  if (mode === 'replaying') {
    const r = context.replay;
    const busy = `The session is replaying ${r?.source ?? 'a journal'} (${r?.done ?? 0} of ${r?.total ?? 0} done)`;
    switch (event.type) {
      case 'COMMAND':
        return `${busy}: wait until it finishes, then run the command.`;
      case 'EXPORT_START':
        return `${busy}: wait until it finishes, then export.`;
      case 'REPLAY_START':
        return `${busy} already.`;
      case 'EXPORT_DONE':
        return 'No export is being written.';
      default:
        return `${busy}: wait until it finishes, then move through the history.`;
    }
  }
  if (mode === 'exporting') {
    const busy = `An export (${context.exporting ?? '?'}) is being written`;
    switch (event.type) {
      case 'COMMAND':
        return `${busy}: wait until it finishes, then run the command.`;
      case 'EXPORT_START':
        return `${busy} already: wait until it finishes, then export again.`;
      case 'REPLAY_START':
        return `${busy}: wait until it finishes; a journal can only be replayed into a new session.`;
      case 'REPLAY_PROGRESS':
      case 'REPLAY_DONE':
        return 'No journal is being replayed.';
      default:
        return `${busy}: wait until it finishes, then move through the history.`;
    }
  }
  switch (event.type) {
    case 'UNDO':
      return 'Nothing to undo: the position is event 0, the empty start. `redo` or `goto N` move forward.';
    case 'REDO':
      return (
        `Nothing to redo: event ${h.position} has no later event. ` +
        '`history` lists every event and `branches` the branches; `goto N` reaches any of them.'
      );
    case 'GOTO':
      return `There is no event ${event.seq}: events are numbered 0 to ${h.newest}. \`history\` lists them.`;
    case 'BACK':
      return 'Nothing to go back to: this is the first position of the session. `undo` steps to the parent event.';
    case 'FORWARD':
      return 'Nothing to go forward to: `forward` returns over positions that `back` left.';
    case 'REPLAY_START':
      return (
        `A journal can only be replayed into a new session: this one has ${h.newest} ` +
        `event${h.newest === 1 ? '' : 's'} already. Start a new session with the journal instead.`
      );
    case 'REPLAY_PROGRESS':
    case 'REPLAY_DONE':
      return 'No journal is being replayed.';
    case 'EXPORT_DONE':
      return 'No export is being written.';
    default:
      return `${event.type} is not allowed here.`;
  }
}

function failure(e: CommitFailure): SessionOutcome {
  return e.kind === 'journal'
    ? { kind: 'failed', code: e.error.code, message: e.message }
    : { kind: 'refused', message: `${e.message} \`history\` lists them.` };
}

function moveRequest<S, C, R>(event: SessionEvent<S, C, R>): MoveRequest {
  assertEvent(event, ['UNDO', 'REDO', 'GOTO', 'BACK', 'FORWARD']);
  if (event.type === 'GOTO') return { kind: 'goto', seq: event.seq };
  const kind = ({ UNDO: 'undo', REDO: 'redo', BACK: 'back', FORWARD: 'forward' } as const)[event.type];
  return { kind, n: event.n ?? 1 };
}

/**
 * The session machine for one model. The reducer comes in with the input's
 * history; S, C and R only type the context and events.
 */
export function createSessionMachine<S, C, R>() {
  type Args = { readonly context: SessionContext<S, C, R>; readonly event: SessionEvent<S, C, R> };
  const refuse = (mode: 'ready' | 'replaying' | 'exporting') => ({
    actions: { type: 'refuse' as const, params: ({ context, event }: Args) => ({ message: refusal(context, event, mode) }) },
  });
  return setup({
    types: {
      context: {} as SessionContext<S, C, R>,
      events: {} as SessionEvent<S, C, R>,
      input: {} as SessionInput<S, C, R>,
    },
    guards: {
      atBranchHead: ({ context }) => context.history.atHead,
      canUndo: ({ context }) => context.history.position !== 0,
      canRedo: ({ context }) => !context.history.atHead,
      eventExists: ({ context, event }) => {
        assertEvent(event, 'GOTO');
        return context.history.has(event.seq);
      },
      canBack: ({ context }) => context.history.trailRoom.back > 0,
      canForward: ({ context }) => context.history.trailRoom.forward > 0,
      freshSession: ({ context }) => context.history.size === 1,
    },
    actions: {
      append: assign(({ context, event }) => {
        assertEvent(event, 'COMMAND');
        const r = commitAppend(context.history, context.journal, event.command);
        if (!r.ok) return { outcome: failure(r.error) };
        const outcome: SessionOutcome = { kind: 'appended', seq: r.event.seq, parent: r.event.parent!, summary: r.event.summary };
        return { history: r.history, outcome };
      }),
      move: assign(({ context, event }) => {
        const r = commitMove(context.history, context.journal, moveRequest(event));
        if (!r.ok) return { outcome: failure(r.error) };
        const outcome: SessionOutcome = { kind: 'moved', op: r.kind, from: r.from, to: r.to, steps: r.steps };
        return { history: r.history, outcome };
      }),
      refuse: assign((_, params: { readonly message: string }) => ({
        outcome: { kind: 'refused', message: params.message } as SessionOutcome,
      })),
      startExport: assign(({ event }) => {
        assertEvent(event, 'EXPORT_START');
        return { exporting: event.what, outcome: null };
      }),
      finishExport: assign(({ event }) => {
        assertEvent(event, 'EXPORT_DONE');
        return { exporting: null, outcome: { kind: 'exported', ok: event.ok, message: event.message } as SessionOutcome };
      }),
      startReplay: assign(({ event }) => {
        assertEvent(event, 'REPLAY_START');
        return { replay: { source: event.source, done: 0, total: event.total }, outcome: null };
      }),
      replayProgress: assign(({ context, event }) => {
        assertEvent(event, 'REPLAY_PROGRESS');
        return { replay: { source: context.replay?.source ?? '', done: event.done, total: event.total } };
      }),
      finishReplay: assign(({ context, event }) => {
        assertEvent(event, 'REPLAY_DONE');
        return {
          history: event.history,
          journal: event.journal === undefined ? context.journal : event.journal,
          replay: null,
          outcome: { kind: 'replayed', ok: event.ok, message: event.message } as SessionOutcome,
        };
      }),
    },
  }).createMachine({
    id: 'session',
    context: ({ input }) => ({
      history: input.history,
      journal: input.journal ?? null,
      outcome: null,
      replay: null,
      exporting: null,
    }),
    initial: 'settle',
    // The handlers of atHead and viewingPast; replaying and exporting override them all.
    on: {
      COMMAND: { target: '.settle', actions: 'append' },
      UNDO: [
        { guard: 'canUndo', target: '.settle', actions: 'move' },
        refuse('ready'),
      ],
      REDO: [
        { guard: 'canRedo', target: '.settle', actions: 'move' },
        refuse('ready'),
      ],
      GOTO: [
        { guard: 'eventExists', target: '.settle', actions: 'move' },
        refuse('ready'),
      ],
      BACK: [
        { guard: 'canBack', target: '.settle', actions: 'move' },
        refuse('ready'),
      ],
      FORWARD: [
        { guard: 'canForward', target: '.settle', actions: 'move' },
        refuse('ready'),
      ],
      EXPORT_START: { target: '.exporting', actions: 'startExport' },
      REPLAY_START: [
        { guard: 'freshSession', target: '.replaying', actions: 'startReplay' },
        refuse('ready'),
      ],
      EXPORT_DONE: refuse('ready'),
      REPLAY_PROGRESS: refuse('ready'),
      REPLAY_DONE: refuse('ready'),
    },
    states: {
      /** Not a mode: entered after every change, it picks atHead or viewingPast at once. */
      settle: {
        always: [{ guard: 'atBranchHead', target: 'atHead' }, { target: 'viewingPast' }],
      },
      atHead: {},
      viewingPast: {},
      replaying: {
        on: {
          REPLAY_PROGRESS: { actions: 'replayProgress' },
          REPLAY_DONE: { target: 'settle', actions: 'finishReplay' },
          COMMAND: refuse('replaying'),
          UNDO: refuse('replaying'),
          REDO: refuse('replaying'),
          GOTO: refuse('replaying'),
          BACK: refuse('replaying'),
          FORWARD: refuse('replaying'),
          EXPORT_START: refuse('replaying'),
          EXPORT_DONE: refuse('replaying'),
          REPLAY_START: refuse('replaying'),
        },
      },
      exporting: {
        on: {
          EXPORT_DONE: { target: 'settle', actions: 'finishExport' },
          COMMAND: refuse('exporting'),
          UNDO: refuse('exporting'),
          REDO: refuse('exporting'),
          GOTO: refuse('exporting'),
          BACK: refuse('exporting'),
          FORWARD: refuse('exporting'),
          EXPORT_START: refuse('exporting'),
          REPLAY_START: refuse('exporting'),
          REPLAY_PROGRESS: refuse('exporting'),
          REPLAY_DONE: refuse('exporting'),
        },
      },
    },
  });
}

export type SessionMachine<S, C, R> = ReturnType<typeof createSessionMachine<S, C, R>>;
