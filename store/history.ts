/**
 * The event-sourced history: an immutable tree of events, each holding the
 * state after it (scenario-language.md, History).
 *
 * - Event 0 is the empty start; events are numbered 1, 2, 3, ... in the
 *   order they ran, and numbers are never reused.
 * - `append` runs a command at the current position: the new event's parent
 *   is the current position, and the position moves to it. After an undo or
 *   goto this starts a new branch; nothing is lost.
 * - States share structure, and the history keeps only some of them
 *   (state-keeper.ts): any other is rebuilt by replaying at most a few
 *   milliseconds of commands from its nearest kept ancestor, so reaching any
 *   event costs O(log n) plus that bounded replay.
 * - Every operation returns a new History; the old one stays valid. The
 *   event table and the per-event bookkeeping live in persistent vectors, so
 *   an append copies O(log n), not O(n).
 *
 * Navigation:
 * - `undo(n)` steps back n events along the parents; it stops at event 0.
 * - `redo(n)`: each step goes to the child most recently left by a move from
 *   inside its subtree, else to the newest child (redo-memory.ts); it stops
 *   where there is none.
 * - `goto(n)`: any event on any branch; a missing event is an error value.
 * - `back(n)` / `forward(n)`: a browser's back and forward buttons over the
 *   positions that became current (by append, undo, redo or goto). `back`
 *   returns to the position current before the last of those moves;
 *   `forward` undoes `back`. Any other move after a `back` drops the
 *   positions `forward` would have returned to. They create no event. For
 *   redo's memory they are moves like goto. On a history without branches
 *   and without gotos they step exactly like undo and redo.
 */
import { ancestorAtDepth, jumpOfChild } from './ancestry.js';
import type { HistoryEvent } from './event.js';
import { EventRecord, type RecordContext } from './event-record.js';
import { DEFAULT_CHECKPOINTS, NOT_KEPT, StateKeeper, type CheckpointPolicy } from './state-keeper.js';
import { produce } from './immer.js';
import {
  findBranches,
  listEvents,
  pathRuns,
  type Branch,
  type HistoryListing,
  type ListOptions,
  type SeqRange,
  type TreeView,
} from './listing.js';
import { ChildIndex } from './child-index.js';
import { PVec } from './pvec.js';
import type { Reducer } from './reducer.js';
import { logDeparture, redoStep, type RedoScan } from './redo-memory.js';
import { Trail } from './trail.js';

export interface HistoryOptions<S, C, R> {
  readonly reducer: Reducer<S, C, R>;
  /** The state of event 0. */
  readonly initial: S;
  /** The command's canonical text: what lists show and the journal records. */
  readonly canonical: (cmd: C) => string;
  /** One line describing a result (default: the result as JSON, bigints as decimal). */
  readonly summarize?: (result: R) => string;
  /** Milliseconds since the epoch (default Date.now); tests inject their own. */
  readonly clock?: () => number;
  /** Time of event 0 (default: the clock when the history is created). */
  readonly startTime?: number;
  /** Which states to keep (default DEFAULT_CHECKPOINTS; KEEP_EVERY_STATE never replays). */
  readonly checkpoints?: CheckpointPolicy;
}

/** Which way the position moved, for the journal and for messages. */
export type MoveKind = 'undo' | 'redo' | 'goto' | 'back' | 'forward';

export interface Appended<S, C, R> {
  readonly history: History<S, C, R>;
  readonly event: HistoryEvent<S, C, R>;
}

export interface Moved<S, C, R> {
  readonly history: History<S, C, R>;
  readonly kind: MoveKind;
  readonly from: number;
  readonly to: number;
  /** Steps actually taken (fewer than asked when it stopped at an end); 0: nothing moved. */
  readonly steps: number;
}

export interface NoSuchEvent {
  readonly kind: 'no-such-event';
  readonly seq: number;
  /** The highest event number that exists. */
  readonly newest: number;
  readonly message: string;
}

export function noSuchEvent(seq: number, newest: number): NoSuchEvent {
  return { kind: 'no-such-event', seq, newest, message: `There is no event ${seq}: events are numbered 0 to ${newest}.` };
}

export type GotoResult<S, C, R> = ({ readonly ok: true } & Moved<S, C, R>) | { readonly ok: false; readonly error: NoSuchEvent };

interface Config<S, C, R> {
  readonly reducer: Reducer<S, C, R>;
  readonly canonical: (cmd: C) => string;
  readonly clock: () => number;
  readonly records: RecordContext<S, C, R>;
}

/**
 * The history's bookkeeping record, updated with Immer's produce. Everything
 * large in it is a persistent vector or a Trail: class instances that Immer
 * keeps by reference instead of drafting.
 */
interface Book<S, C, R> {
  current: number;
  events: PVec<EventRecord<S, C, R>>;
  /** Per event, its newest child; the children list on through EventRecord.prevSibling. */
  children: ChildIndex;
  /** Where each move that could leave a subtree started, oldest first: redo's memory. */
  departures: PVec<number>;
  /** Set by redo for the next redo from where it stopped; any other change drops it. */
  redoScan: RedoScan | null;
  /** Positions made current, for back and forward. */
  trail: Trail;
}

export class History<S, C, R> {
  // ES private fields: invisible to for...in and JSON, so a state machine can
  // keep a History in its context without persisting a million events.
  readonly #config: Config<S, C, R>;
  readonly #book: Book<S, C, R>;
  /**
   * The event table as a lookup function, for the ancestry and redo code.
   * Made when first asked for: append makes a History per event and has no
   * use for it.
   */
  #lookup: ((seq: number) => EventRecord<S, C, R>) | null = null;

  get #node(): (seq: number) => EventRecord<S, C, R> {
    return (this.#lookup ??= (seq) => this.#book.events.get(seq)!);
  }

  /** The newest child of `seq` in this version, or -1. */
  #newestChild(seq: number): number {
    return this.#book.children.newest(seq, this.#book.events);
  }

  /**
   * The current event's state, held by this version: whatever the keeper
   * rebuilds or forgets, `current.state` is this object for as long as this
   * history is the one in use.
   */
  readonly #currentState: S;

  private constructor(config: Config<S, C, R>, book: Book<S, C, R>, currentState: S) {
    this.#config = config;
    this.#book = book;
    this.#currentState = currentState;
  }

  static create<S, C, R>(opts: HistoryOptions<S, C, R>): History<S, C, R> {
    const clock = opts.clock ?? Date.now;
    const time = opts.startTime ?? clock();
    const records: RecordContext<S, C, R> = {
      keeper: new StateKeeper(opts.reducer, opts.checkpoints ?? DEFAULT_CHECKPOINTS),
      summarize: opts.summarize ?? defaultSummary,
      epoch: time,
    };
    const start = new EventRecord<S, C, R>(records, 0, null, 0, '', null, null, time, 0, -1, opts.initial, 0);
    return new History(
      { reducer: opts.reducer, canonical: opts.canonical, clock, records },
      {
        current: 0,
        events: PVec.empty<EventRecord<S, C, R>>().push(start),
        children: ChildIndex.start(),
        departures: PVec.empty<number>(),
        redoScan: null,
        trail: Trail.start(0),
      },
      opts.initial,
    );
  }

  /** Number of events, event 0 included. */
  get size(): number {
    return this.#book.events.size;
  }

  /** The highest event number. */
  get newest(): number {
    return this.#book.events.size - 1;
  }

  /** The current event's number. */
  get position(): number {
    return this.#book.current;
  }

  get current(): HistoryEvent<S, C, R> {
    const node = this.#node(this.#book.current);
    this.#config.records.keeper.pin(node, this.#currentState);
    return node;
  }

  has(seq: number): boolean {
    return Number.isInteger(seq) && seq >= 0 && seq < this.#book.events.size;
  }

  event(seq: number): HistoryEvent<S, C, R> | undefined {
    return this.#book.events.get(seq);
  }

  stateAt(seq: number): S | undefined {
    return this.#book.events.get(seq)?.state;
  }

  /** The children of an event, oldest first. */
  children(seq: number): number[] {
    const out: number[] = [];
    for (let c = this.#newestChild(seq); c >= 0; c = this.#node(c).prevSibling) out.push(c);
    return out.reverse();
  }

  /** Whether the current event has no children: a new command continues its branch without forking. */
  get atHead(): boolean {
    return this.#newestChild(this.#book.current) === -1;
  }

  /** Whether `a` lies on the path from event 0 to `b` (a === b counts). */
  isAncestor(a: number, b: number): boolean {
    if (!this.has(a) || !this.has(b)) return false;
    const da = this.#node(a).depth;
    return this.#node(b).depth >= da && ancestorAtDepth(b, da, this.#node) === a;
  }

  /** The events from 0 to `seq`, in order (O(depth)). */
  path(seq: number): number[] {
    const out: number[] = [];
    for (let x: number | null = this.has(seq) ? seq : null; x !== null; x = this.#node(x).parent) out.push(x);
    return out.reverse();
  }

  /** Events whose state was rebuilt by replaying since the history was created (all its versions). */
  get replayed(): number {
    return this.#config.records.keeper.replayed;
  }

  /**
   * Run `cmd` at the current position. `time` overrides the clock (a journal
   * being replayed gives the recorded time).
   */
  append(cmd: C, opts: { readonly time?: number; readonly text?: string } = {}): Appended<S, C, R> {
    const book = this.#book;
    const config = this.#config;
    const keeper = config.records.keeper;
    const events = book.events;
    const parent = events.get(book.current)!;
    const parentJump = events.get(parent.jump)!;
    const t0 = now();
    const applied = config.reducer.apply(parent.state, cmd);
    const us = applied.us ?? (now() - t0) * 1000;
    const seq = book.events.size;
    const cost = keeper.childCost(parent, us);
    const node = new EventRecord<S, C, R>(
      config.records,
      seq,
      parent,
      parent.depth + 1,
      opts.text ?? config.canonical(cmd),
      cmd,
      applied.result,
      opts.time ?? config.clock(),
      jumpOfChild(parent.seq, parent, parentJump, events.get(parentJump.jump)!),
      book.children.newest(parent.seq, events),
      cost === 0 ? applied.state : NOT_KEPT,
      cost,
    );
    keeper.pin(node, applied.state);
    // Built directly rather than with produce: on this path (every command,
    // every replayed journal line) Immer's drafting costs several times the
    // update itself (bench/store-bench.ts, "bookkeeping per append"). Moves,
    // far fewer, keep produce.
    const next: Book<S, C, R> = {
      current: seq,
      events: events.push(node),
      children: book.children.withChild(parent.seq, seq),
      departures: book.departures,
      redoScan: null,
      trail: book.trail.visit(seq),
    };
    return { history: new History(config, next, applied.state), event: node };
  }

  undo(n = 1): Moved<S, C, R> {
    checkCount(n);
    const depth = this.#node(this.#book.current).depth;
    const target = ancestorAtDepth(this.#book.current, Math.max(0, depth - n), this.#node);
    return this.#moveTo('undo', target, depth - this.#node(target).depth);
  }

  redo(n = 1): Moved<S, C, R> {
    checkCount(n);
    const book = this.#book;
    const tree = { node: this.#node, newestChild: (seq: number) => this.#newestChild(seq) };
    let target = book.current;
    let scan = book.redoScan;
    let steps = 0;
    for (; steps < n; steps++) {
      const step = redoStep(book.departures, target, scan, tree);
      if (step.child === null) break;
      target = step.child;
      scan = step.scan;
    }
    return this.#moveTo('redo', target, steps, undefined, scan);
  }

  /** Where one redo step would go, or null when there is nothing to redo. */
  redoTarget(): number | null {
    const book = this.#book;
    return redoStep(book.departures, book.current, book.redoScan, { node: this.#node, newestChild: (seq) => this.#newestChild(seq) }).child;
  }

  goto(seq: number): GotoResult<S, C, R> {
    if (!this.has(seq)) return { ok: false, error: noSuchEvent(seq, this.newest) };
    return { ok: true, ...this.#moveTo('goto', seq, seq === this.#book.current ? 0 : 1) };
  }

  back(n = 1): Moved<S, C, R> {
    checkCount(n);
    return this.#trailStep('back', -Math.min(n, this.#book.trail.back));
  }

  forward(n = 1): Moved<S, C, R> {
    checkCount(n);
    return this.#trailStep('forward', Math.min(n, this.#book.trail.forward));
  }

  /** How many steps back / forward can go. */
  get trailRoom(): { readonly back: number; readonly forward: number } {
    return { back: this.#book.trail.back, forward: this.#book.trail.forward };
  }

  #trailStep(kind: 'back' | 'forward', delta: number): Moved<S, C, R> {
    if (delta === 0) return { history: this, kind, from: this.#book.current, to: this.#book.current, steps: 0 };
    const { trail, position } = this.#book.trail.step(delta);
    return this.#moveTo(kind, position, Math.abs(delta), trail);
  }

  /**
   * Move the position to `target`, keeping redo's memory. The trail after
   * the move is given by back and forward; any other move visits `target`.
   */
  #moveTo(kind: MoveKind, target: number, steps: number, trail?: Trail, redoScan: RedoScan | null = null): Moved<S, C, R> {
    const book = this.#book;
    const from = book.current;
    if (target === from && trail === undefined) return { history: this, kind, from, to: from, steps: 0 };
    const next = produce(book, (d) => {
      if (target !== from) {
        // Redo only goes down: it cannot leave a subtree.
        if (kind !== 'redo') d.departures = logDeparture(book.departures, from, this.#node);
        d.current = target;
      }
      d.trail = trail ?? book.trail.visit(target);
      if (book.redoScan !== redoScan) d.redoScan = redoScan;
    });
    // The position's state is made now and pinned, so that it stays the same
    // object for as long as this history is the session's (a refused command
    // that rebuilds other states must not hand back a copy of it).
    const node = this.#node(target);
    const state = node.state;
    this.#config.records.keeper.pin(node, state);
    return { history: new History(this.#config, next, state), kind, from, to: target, steps };
  }

  /** Events in number order with the current position (all of them, or a range). */
  list(opts: ListOptions = {}): HistoryListing {
    return listEvents(this.#view(), opts);
  }

  /** Every branch head (an event without children), with the events that are the branch's own. */
  branches(): Branch[] {
    return findBranches(this.#view());
  }

  /** The path from event 0 to `seq` as runs of consecutive numbers (empty if there is no such event). */
  pathRuns(seq: number): SeqRange[] {
    return this.has(seq) ? pathRuns(this.#view(), seq) : [];
  }

  #view(): TreeView {
    return {
      size: this.size,
      current: this.#book.current,
      node: this.#node,
      newestChild: (seq) => this.#newestChild(seq),
      range: (from, to) => this.#book.events.range(from, to),
    };
  }

  /** A summary, not the events: a persisted session snapshot restores its history from the journal. */
  toJSON(): { readonly events: number; readonly position: number } {
    return { events: this.size, position: this.position };
  }
}

/**
 * performance.now, bound once: called as a method it checks its receiver
 * every time, and append reads the clock twice per event.
 */
const now: () => number = performance.now.bind(performance);

function checkCount(n: number): void {
  if (!(n >= 0 && (Number.isInteger(n) || n === Infinity))) throw new RangeError(`step count must be a whole number ≥ 0, not ${n}`);
}

function defaultSummary(result: unknown): string {
  if (typeof result === 'string') return result;
  return JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(result);
}
