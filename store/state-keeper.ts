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

/** States rebuilt or computed lately, kept in a ring (a scan of 64 beats a Map's upkeep per append). */
const CACHE_SIZE = 64;
/**
 * The states of the last positions a history moved to or appended at. They
 * are apart from the ring, so that looking at many other events (an export
 * walks the whole path) never evicts them: a session's current state stays
 * the same object until the session moves on.
 */
const PINS = 8;

export class StateKeeper<S, C, R> {
  readonly #reducer: Reducer<S, C, R>;
  readonly #policy: CheckpointPolicy;
  readonly #minCost: number;
  readonly #nodes: (KeptLinks<S, C> | null)[] = new Array<KeptLinks<S, C> | null>(CACHE_SIZE).fill(null);
  readonly #states: (S | undefined)[] = new Array<S | undefined>(CACHE_SIZE).fill(undefined);
  #next = 0;
  /** The last state remembered: nearly always the current event's, asked for by the next append. */
  #lastNode: KeptLinks<S, C> | null = null;
  #lastState: S | undefined = undefined;
  readonly #pinNodes: (KeptLinks<S, C> | null)[] = new Array<KeptLinks<S, C> | null>(PINS).fill(null);
  readonly #pinStates: (S | undefined)[] = new Array<S | undefined>(PINS).fill(undefined);
  #pinNext = 0;
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
    if (last !== null && last.kept === NOT_KEPT && !this.#nodes.includes(last) && !this.#pinNodes.includes(last)) {
      this.#nodes[this.#next] = this.#lastNode;
      this.#states[this.#next] = this.#lastState;
      this.#next = (this.#next + 1) % CACHE_SIZE;
    }
    this.#lastNode = node;
    this.#lastState = state;
  }

  /** Keep `state` as `node`'s among the pinned ones (and as the last state seen). */
  pin(node: KeptLinks<S, C>, state: S): void {
    if (node.kept !== NOT_KEPT) return;
    if (node === this.#lastNode) this.#lastState = state;
    else this.remember(node, state);
    // Pinned again: it becomes the newest pin, so that what is in use now is the last to go.
    const at = this.#pinNodes.indexOf(node);
    if (at >= 0) {
      this.#pinNodes[at] = null;
      this.#pinStates[at] = undefined;
    }
    this.#pinNodes[this.#pinNext] = node;
    this.#pinStates[this.#pinNext] = state;
    this.#pinNext = (this.#pinNext + 1) % PINS;
  }

  #cached(node: KeptLinks<S, C>): { readonly hit: boolean; readonly state?: S } {
    if (node === this.#lastNode) return { hit: true, state: this.#lastState };
    const p = this.#pinNodes.indexOf(node);
    if (p >= 0) return { hit: true, state: this.#pinStates[p] };
    const i = this.#nodes.indexOf(node);
    return i < 0 ? MISS : { hit: true, state: this.#states[i] };
  }

  stateOf(node: KeptLinks<S, C>): S {
    if (node.kept !== NOT_KEPT) return node.kept;
    if (node === this.#lastNode) return this.#lastState as S;
    const hit = this.#cached(node);
    if (hit.hit) return hit.state as S;
    const path: KeptLinks<S, C>[] = [];
    let n = node;
    let found = MISS as { readonly hit: boolean; readonly state?: S };
    while (n.kept === NOT_KEPT && !(found = this.#cached(n)).hit) {
      path.push(n);
      n = n.parentNode!;
    }
    let state = n.kept !== NOT_KEPT ? n.kept : (found.state as S);
    for (let i = path.length - 1; i >= 0; i--) state = this.#reducer.apply(state, path[i]!.command!).state;
    this.replayed += path.length;
    this.remember(node, state);
    return state;
  }
}

const MISS = { hit: false } as const;
