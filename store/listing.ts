/** Projections of the history tree for people: the event list and the branches. */
import { ancestorAtDepth } from './ancestry.js';
import type { EventNode } from './event.js';

/** What the projections read from a history. */
export interface TreeView {
  readonly size: number;
  readonly current: number;
  node(seq: number): EventNode<unknown, unknown, unknown>;
  /** The event's newest child, or -1. */
  newestChild(seq: number): number;
  /** Events from `from` to `to` (exclusive), in number order. */
  range(from: number, to: number): Iterable<EventNode<unknown, unknown, unknown>>;
}

export interface ListOptions {
  /** First event to list (default 0). */
  readonly from?: number;
  /** Last event to list, inclusive (default the newest). */
  readonly to?: number;
}

export interface ListEntry {
  readonly seq: number;
  readonly parent: number | null;
  readonly depth: number;
  readonly text: string;
  readonly summary: string;
  readonly time: number;
  readonly childCount: number;
  /** On the path from event 0 to the current position: part of the current state. */
  readonly onPath: boolean;
  readonly isCurrent: boolean;
}

export interface HistoryListing {
  readonly current: number;
  readonly newest: number;
  readonly entries: readonly ListEntry[];
}

/** Events first..last, each the parent of the next. */
export interface SeqRange {
  readonly first: number;
  readonly last: number;
}

export interface Branch {
  /** An event without children. */
  readonly head: number;
  /** Number of events from event 0 to the head. */
  readonly depth: number;
  /**
   * Where the branch leaves the branches listed before it: the last event it
   * shares with them. Null for the first branch, which starts at event 0.
   */
  readonly forkedFrom: number | null;
  /** The branch's own events, after forkedFrom up to the head, as runs of consecutive numbers. */
  readonly own: readonly SeqRange[];
  /** The current position lies on the path from event 0 to the head. */
  readonly containsCurrent: boolean;
  /**
   * The whole path from event 0 to the head, as runs of consecutive numbers;
   * computed when first read (O(depth)).
   */
  readonly path: readonly SeqRange[];
}

export function listEvents(view: TreeView, opts: ListOptions): HistoryListing {
  const newest = view.size - 1;
  const from = Math.max(0, Math.ceil(opts.from ?? 0));
  const to = Math.min(newest, Math.floor(opts.to ?? newest));
  const entries: ListEntry[] = [];
  if (from > to) return { current: view.current, newest, entries };
  const cur = view.node(view.current);
  const onPath = pathMarker(view, from, to, cur);
  for (const e of view.range(from, to + 1)) {
    entries.push({
      seq: e.seq,
      parent: e.parent,
      depth: e.depth,
      text: e.text,
      summary: e.summary,
      time: e.time,
      childCount: childCount(view, e.seq),
      onPath: onPath(e),
      isCurrent: e.seq === view.current,
    });
  }
  return { current: view.current, newest, entries };
}

function childCount(view: TreeView, seq: number): number {
  let n = 0;
  for (let c = view.newestChild(seq); c >= 0; c = view.node(c).prevSibling) n++;
  return n;
}

/**
 * A test for "on the current path" over events from..to: walking up from the
 * current event costs O(depth), an ancestor search per entry O(log n); take
 * the cheaper.
 */
function pathMarker(
  view: TreeView,
  from: number,
  to: number,
  cur: EventNode<unknown, unknown, unknown>,
): (e: EventNode<unknown, unknown, unknown>) => boolean {
  if ((to - from + 1) * 32 < cur.depth) {
    return (e) => e.depth <= cur.depth && ancestorAtDepth(cur.seq, e.depth, (s) => view.node(s)) === e.seq;
  }
  const marks = new Uint8Array(to - from + 1);
  for (let x: number | null = cur.seq; x !== null && x >= from; x = view.node(x).parent) {
    if (x <= to) marks[x - from] = 1;
  }
  return (e) => marks[e.seq - from] === 1;
}

/**
 * The branches, oldest head first. Each lists its own events eagerly and its
 * whole path only when asked: listing every path at once repeats the shared
 * events in each (20,000 branches along a million events make billions).
 */
export function findBranches(view: TreeView): Branch[] {
  const heads: number[] = [];
  for (const e of view.range(0, view.size)) if (view.newestChild(e.seq) < 0) heads.push(e.seq);
  const claimed = new Uint8Array(view.size);
  const cur = view.node(view.current);
  return heads.map((head) => {
    const mine: number[] = [];
    let x: number | null = head;
    for (; x !== null && claimed[x] === 0; x = view.node(x).parent) {
      claimed[x] = 1;
      mine.push(x);
    }
    const h = view.node(head);
    const containsCurrent = h.depth >= cur.depth && ancestorAtDepth(head, cur.depth, (s) => view.node(s)) === cur.seq;
    let path: SeqRange[] | undefined;
    return {
      head,
      depth: h.depth,
      forkedFrom: x,
      own: toRuns(mine.reverse()),
      containsCurrent,
      get path() {
        return (path ??= pathRuns(view, head));
      },
    };
  });
}

/** The events from 0 to `seq` as runs of consecutive numbers (O(depth)). */
export function pathRuns(view: TreeView, seq: number): SeqRange[] {
  const path: number[] = [];
  for (let x: number | null = seq; x !== null; x = view.node(x).parent) path.push(x);
  return toRuns(path.reverse());
}

function toRuns(path: readonly number[]): SeqRange[] {
  const runs: SeqRange[] = [];
  let first = -1;
  for (let i = 0; i < path.length; i++) {
    const s = path[i]!;
    if (first < 0) first = s;
    if (i + 1 === path.length || path[i + 1] !== s + 1) {
      runs.push({ first, last: s });
      first = -1;
    }
  }
  return runs;
}
