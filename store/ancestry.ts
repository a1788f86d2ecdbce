/**
 * Ancestor questions on the history tree in O(log n), without walking
 * parents one by one (a million-event branch would take a million steps).
 *
 * Every event keeps one extra pointer, `jump`, chosen when it is created
 * (skew-binary jump pointers, Myers 1983): from any event, following `jump`
 * where it does not overshoot and `parent` otherwise reaches any ancestor in
 * O(log depth) steps. The jump's depth depends only on the event's depth, so
 * two events at equal depth jump in step, which is what `lowestCommonAncestor`
 * relies on.
 */

export interface AncestryLinks {
  readonly parent: number | null;
  readonly depth: number;
  readonly jump: number;
}

export type AncestryLookup = (seq: number) => AncestryLinks;

/** The jump pointer of a new child of `parent`. */
export function jumpForChild(parent: number, node: AncestryLookup): number {
  const p = node(parent);
  const pj = node(p.jump);
  const pjj = node(pj.jump);
  return p.depth - pj.depth === pj.depth - pjj.depth ? pj.jump : parent;
}

/** The ancestor-or-self of `seq` at `depth` (depth ≤ depth of seq). */
export function ancestorAtDepth(seq: number, depth: number, node: AncestryLookup): number {
  let x = seq;
  let n = node(x);
  while (n.depth > depth) {
    const j = node(n.jump);
    x = j.depth >= depth ? n.jump : n.parent!;
    n = x === n.jump ? j : node(x);
  }
  return x;
}

export function isAncestorOrSelf(ancestor: number, seq: number, node: AncestryLookup): boolean {
  const d = node(ancestor).depth;
  return node(seq).depth >= d && ancestorAtDepth(seq, d, node) === ancestor;
}

export function lowestCommonAncestor(a: number, b: number, node: AncestryLookup): number {
  const da = node(a).depth;
  const db = node(b).depth;
  let x = da > db ? ancestorAtDepth(a, db, node) : a;
  let y = db > da ? ancestorAtDepth(b, da, node) : b;
  while (x !== y) {
    const nx = node(x);
    const ny = node(y);
    if (nx.jump !== ny.jump) {
      x = nx.jump;
      y = ny.jump;
    } else {
      x = nx.parent!;
      y = ny.parent!;
    }
  }
  return x;
}
