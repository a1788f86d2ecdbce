/**
 * Redo's memory (scenario-language.md, History): "each step goes to the child
 * most recently left by `undo` or `goto` from that position, else to the
 * newest child".
 *
 * A child c of p is "left" when the current position moves from inside c's
 * subtree to outside it. Writing "p last left c" on every event of the path
 * a move leaves would make a goto from event 1,000,000 to event 1 write a
 * million records. Instead every move that can leave a subtree (undo, goto,
 * back, forward; not append or redo, which only go down) adds the event it
 * started from to a log, and:
 *
 *   At p, the child most recently left is the child on the way to the newest
 *   logged start strictly below p; if no logged start is below p, no child
 *   was ever left (redo takes the newest child).
 *
 * Why: redo asks at p when the position is p. Let X be the newest logged
 * start strictly below p, c the child of p above it. Had the move from X
 * stayed inside c's subtree, the position would have had to leave that
 * subtree later to reach p, by a move starting below p, newer than X's. So
 * the move from X left c's subtree, and every other child was left by an
 * older move, since each such move started below p too.
 *
 *        0                  After 6 → goto 1 → redo: the log's newest
 *        └ 1                entry below 1 is 6, so redo goes 2, then 5
 *          └ 2              (toward 6, not to 3), then 6.
 *            ├ 3 ─ 4
 *            └ 5 ─ 6
 *
 * So a move costs one log append, O(log n) wherever it goes. Redo at p scans
 * the log from its newest entry for one below p (an O(log n) ancestor test
 * each). Two things keep the scans short:
 *  - An entry X is useless once a newer entry lies strictly below X's
 *    parent: X can only answer at ancestors of its parent, and there the
 *    newer one answers first. Each push drops such entries from the top of
 *    the log, which covers going back and forth along one branch.
 *  - A redo walk goes down, so entries that are not below p are not below
 *    p's children either: a walk scans each entry at most once, and the
 *    RedoScan it leaves lets the next redo from the same place go on where
 *    this one stopped.
 */
import { ancestorAtDepth, type AncestryLinks } from './ancestry.js';
import type { PVec } from './pvec.js';

/**
 * Where a redo scan stopped: entries of the log after `index` are not below
 * `at`. Valid until the next move or append, which drop it.
 */
export interface RedoScan {
  readonly at: number;
  readonly index: number;
}

interface TreeNode extends AncestryLinks {
  /** The parent's child made before this one, or -1. */
  readonly prevSibling: number;
}

interface Tree {
  readonly node: (seq: number) => TreeNode;
  /** An event's newest child, or -1. */
  readonly newestChild: (seq: number) => number;
}

function strictlyBelow(x: number, p: number, node: (seq: number) => AncestryLinks): boolean {
  const dp = node(p).depth;
  return node(x).depth > dp && ancestorAtDepth(x, dp, node) === p;
}

/** The log after a move that started at `from`. */
export function logDeparture(log: PVec<number>, from: number, node: (seq: number) => AncestryLinks): PVec<number> {
  const parent = node(from).parent;
  if (parent === null) return log; // Nothing lies above event 0: nothing can be left.
  while (log.size > 0) {
    const topParent = node(log.last()!).parent!;
    if (!strictlyBelow(from, topParent, node)) break;
    log = log.pop();
  }
  return log.push(from);
}

/** One redo step from p: the child it goes to (null: none), and where the scan stopped. */
export function redoStep(
  log: PVec<number>,
  p: number,
  scan: RedoScan | null,
  { node, newestChild }: Tree,
): { readonly child: number | null; readonly scan: RedoScan | null } {
  const newest = newestChild(p);
  if (newest < 0) return { child: null, scan: null };
  const start = scan !== null && scan.at === p ? scan.index : log.size - 1;
  if (node(newest).prevSibling < 0) {
    // The only child, whatever was left; entries not below p are not below it either.
    return { child: newest, scan: { at: newest, index: start } };
  }
  const depth = node(p).depth;
  for (let i = start; i >= 0; i--) {
    const x = log.get(i)!;
    if (strictlyBelow(x, p, node)) {
      const child = ancestorAtDepth(x, depth + 1, node);
      return { child, scan: { at: child, index: i } };
    }
  }
  return { child: newest, scan: { at: newest, index: -1 } };
}
