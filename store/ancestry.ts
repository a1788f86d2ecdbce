/**
 * Ancestor questions on the history tree in O(log n), without walking
 * parents one by one (a million-event branch would take a million steps).
 *
 * Every event keeps one extra pointer, `jump`, chosen when it is created
 * (skew-binary jump pointers, Myers 1983): from any event, following `jump`
 * where it does not overshoot and `parent` otherwise reaches any ancestor in
 * O(log depth) steps: about 50 lookups at a depth of a million.
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
  return jumpOfChild(parent, p, pj, node(pj.jump));
}

/**
 * The same from the links at hand: the parent's (`p`), those of its jump
 * (`pj`) and of that one's jump (`pjj`). For a caller that would otherwise
 * make a lookup function just for this.
 */
export function jumpOfChild(parent: number, p: AncestryLinks, pj: AncestryLinks, pjj: AncestryLinks): number {
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
