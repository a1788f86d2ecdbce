import { PVec } from './pvec.js';

/** A move that left a non-first child's subtree through an event. */
export interface Crossing {
  /** When (the history's move counter). */
  readonly tick: number;
  /** The child whose subtree was left. */
  readonly child: number;
}

/** A move that left events on a first-child chain (see redo-memory.ts). */
export interface Departure {
  readonly tick: number;
  /** Depth of the deepest event of the chain that the move passed through. */
  readonly entryDepth: number;
}

/**
 * Per-event bookkeeping that changes after the event was created (the
 * event's own record never changes). Most events never need one: leaves
 * without departures have none.
 */
export interface EventLinks {
  /** Oldest child, or -1. It continues the parent's first-child chain. */
  readonly firstChild: number;
  /** Newest child, or -1; the children form a list through EventNode.prevSibling. */
  readonly newestChild: number;
  readonly childCount: number;
  /** The latest move that left a non-first child's subtree through this event. */
  readonly crossing: Crossing | null;
  /** Only on chain tops: the moves through the chain, newest last (a monotonic stack). */
  readonly departures: PVec<Departure> | null;
}

export const NO_LINKS: EventLinks = {
  firstChild: -1,
  newestChild: -1,
  childCount: 0,
  crossing: null,
  departures: null,
};

export function withChild(l: EventLinks, child: number): EventLinks {
  return {
    ...l,
    firstChild: l.childCount === 0 ? child : l.firstChild,
    newestChild: child,
    childCount: l.childCount + 1,
  };
}
