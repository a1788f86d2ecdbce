/**
 * Which event states the history keeps, and how it gets the others back.
 *
 * Keeping the state of every event costs the memory of every version of the
 * VMA tree: at 60,000 VMAs that is kilobytes an event, most of it for states
 * nobody visits again. The history keeps a state only where replaying from
 * the last kept one would start to cost time (a checkpoint), and rebuilds
 * any other by running the reducer forward from its nearest kept ancestor.
 * The reducer is pure, so a rebuilt state is the state the event had.
 *
 * Cost is the reducer's measured time, so an event that was slow to compute
 * (an import of a large snapshot) is kept at once and a run of fast ones
 * shares one checkpoint. Every event also counts a minimum, so that no path
 * replays more than `maxGap` events. The few states looked at recently stay
 * in a small cache: the current one, and wherever goto or diff went.
 */
import type { Reducer } from './reducer.js';

export interface CheckpointPolicy {
  /** Keep a state once replaying to it from the last kept one would take this long (microseconds). */
  readonly budgetUs: number;
  /** And at the latest after this many events. */
  readonly maxGap: number;
}

/** A goto replays at most about 4 ms of work, or 1,024 events. */
export const DEFAULT_CHECKPOINTS: CheckpointPolicy = { budgetUs: 4_000, maxGap: 1_024 };

/** Every state kept: nothing is ever replayed. */
export const KEEP_EVERY_STATE: CheckpointPolicy = { budgetUs: 0, maxGap: 1 };

/** What the keeper needs of an event. */
export interface KeptLinks<S, C> {
  readonly parentNode: KeptLinks<S, C> | null;
  readonly command: C | null;
  /** The state, if this event is a checkpoint. */
  readonly kept: S | typeof NOT_KEPT;
  /** Replay cost since the nearest checkpoint, this event included (0 at a checkpoint). */
  readonly cost: number;
}

export const NOT_KEPT: unique symbol = Symbol('not kept');

/** States rebuilt or computed lately (a scan of 64 beats a Map's upkeep per append). */
const CACHE_SIZE = 64;
/**
 * The states of the last positions a history moved to or appended at. They
 * are apart from the recent ones, so that looking at many other events (an
 * export walks the whole path) never evicts them: a session's current state
 * stays the same object until the session moves on.
 */
const PINS = 8;

const ABSENT: unique symbol = Symbol('absent');

/** A fixed number of (event, state) pairs; putting one more drops the oldest. */
class StateRing<S, C> {
  readonly #nodes: (KeptLinks<S, C> | null)[];
  readonly #states: (S | undefined)[];
  #next = 0;

  constructor(size: number) {
    this.#nodes = new Array<KeptLinks<S, C> | null>(size).fill(null);
    this.#states = new Array<S | undefined>(size).fill(undefined);
  }

  get(node: KeptLinks<S, C>): S | typeof ABSENT {
    const i = this.#nodes.indexOf(node);
    return i < 0 ? ABSENT : (this.#states[i] as S);
  }

  has(node: KeptLinks<S, C>): boolean {
    return this.#nodes.includes(node);
  }

  /** Put `node`'s state in as the newest pair (taking out an older pair of the same node). */
  put(node: KeptLinks<S, C>, state: S): void {
    const at = this.#nodes.indexOf(node);
    if (at >= 0) {
      this.#nodes[at] = null;
      this.#states[at] = undefined;
    }
    this.#nodes[this.#next] = node;
    this.#states[this.#next] = state;
    this.#next = (this.#next + 1) % this.#nodes.length;
  }
}

export class StateKeeper<S, C, R> {
  readonly #reducer: Reducer<S, C, R>;
  readonly #policy: CheckpointPolicy;
  readonly #minCost: number;
  readonly #recent = new StateRing<S, C>(CACHE_SIZE);
  readonly #pins = new StateRing<S, C>(PINS);
  /** The last state remembered: nearly always the current event's, asked for by the next append. */
  #lastNode: KeptLinks<S, C> | null = null;
  #lastState: S | undefined = undefined;
  /** Events rebuilt by replaying, for tests and benchmarks. */
  replayed = 0;

  constructor(reducer: Reducer<S, C, R>, policy: CheckpointPolicy) {
    this.#reducer = reducer;
    this.#policy = policy;
    this.#minCost = policy.maxGap <= 1 ? Infinity : Math.ceil(policy.budgetUs / policy.maxGap);
  }

  /**
   * The cost a new child of `parent` carries after taking `us` microseconds,
   * or 0 when the child is to be a checkpoint.
   */
  childCost(parent: KeptLinks<S, C>, us: number): number {
    const cost = parent.cost + Math.max(Math.ceil(us), this.#minCost);
    return cost >= this.#policy.budgetUs ? 0 : cost;
  }

  /** Note a state just computed or rebuilt, so that looking at it again is free. */
  remember(node: KeptLinks<S, C>, state: S): void {
    if (node.kept !== NOT_KEPT || node === this.#lastNode) return;
    const last = this.#lastNode;
    // The state it replaces as the last one joins the recent ones, unless it is pinned anyway.
    if (last !== null && last.kept === NOT_KEPT && !this.#pins.has(last)) this.#recent.put(last, this.#lastState as S);
    this.#lastNode = node;
    this.#lastState = state;
  }

  /** Keep `state` as `node`'s among the pinned ones, the newest of them (and as the last state seen). */
  pin(node: KeptLinks<S, C>, state: S): void {
    if (node.kept !== NOT_KEPT) return;
    if (node === this.#lastNode) this.#lastState = state;
    else this.remember(node, state);
    this.#pins.put(node, state);
  }

  #cached(node: KeptLinks<S, C>): S | typeof ABSENT {
    if (node === this.#lastNode) return this.#lastState as S;
    const pinned = this.#pins.get(node);
    return pinned !== ABSENT ? pinned : this.#recent.get(node);
  }

  stateOf(node: KeptLinks<S, C>): S {
    if (node.kept !== NOT_KEPT) return node.kept;
    const hit = this.#cached(node);
    if (hit !== ABSENT) return hit;
    const path: KeptLinks<S, C>[] = [];
    let n = node;
    let found: S | typeof ABSENT = ABSENT;
    while (n.kept === NOT_KEPT && (found = this.#cached(n)) === ABSENT) {
      path.push(n);
      n = n.parentNode!;
    }
    let state = n.kept !== NOT_KEPT ? n.kept : (found as S);
    for (let i = path.length - 1; i >= 0; i--) state = this.#reducer.apply(state, path[i]!.command!).state;
    this.replayed += path.length;
    this.remember(node, state);
    return state;
  }
}
