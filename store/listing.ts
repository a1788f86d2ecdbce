/** Projections of the history tree for people: the event list and the branches. */
import { ancestorAtDepth } from './ancestry.js';
import type { EventNode } from './event.js';

/** What the projections read from a history. */
export interface TreeView {
  readonly size: number;
  readonly current: number;
  node(seq: number): EventNode<unknown, unknown, unknown>;
  childCount(seq: number): number;
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
  /** The events from 0 to the head, as runs of consecutive numbers. */
  readonly path: readonly SeqRange[];
  /** The current position lies on this path. */
  readonly containsCurrent: boolean;
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
      childCount: view.childCount(e.seq),
      onPath: onPath(e),
      isCurrent: e.seq === view.current,
    });
  }
  return { current: view.current, newest, entries };
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

export function findBranches(view: TreeView): Branch[] {
  // runStart[e]: first event of the run of consecutive numbers ending at e.
  const runStart = new Int32Array(view.size);
  const heads: number[] = [];
  for (const e of view.range(0, view.size)) {
    runStart[e.seq] = e.parent !== null && e.parent === e.seq - 1 ? runStart[e.seq - 1]! : e.seq;
    if (view.childCount(e.seq) === 0) heads.push(e.seq);
  }
  return heads.map((head) => {
    const path: SeqRange[] = [];
    let containsCurrent = false;
    for (let x: number | null = head; x !== null; ) {
      const first: number = runStart[x]!;
      path.push({ first, last: x });
      if (view.current >= first && view.current <= x) containsCurrent = true;
      x = view.node(first).parent;
    }
    return { head, depth: view.node(head).depth, path: path.reverse(), containsCurrent };
  });
}
