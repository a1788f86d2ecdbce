/**
 * Redo's memory (scenario-language.md, History): "each step goes to the child
 * most recently left by `undo` or `goto` from that position, else to the
 * newest child".
 *
 * A child c of p is "left" when the current position moves from inside c's
 * subtree to outside it. Only moves that go up or across can do that (undo,
 * goto, back, forward); appends and redo only go down.
 *
 * Writing "p last left c" on every event of the path a move leaves would make
 * a goto from event 1,000,000 to event 1 on one branch write a million
 * records. Instead the tree is cut into first-child chains (an event
 * continues its parent's chain when it is the parent's oldest child; chains
 * never change once made). A move from X to Y, with lowest common ancestor
 * L, leaves the path X..L, which crosses a few chains. The move records:
 *
 *  - on each chain it crosses, one Departure (tick, depth of the deepest
 *    event of that chain on the path), kept on the chain's top event;
 *  - on each event where the path steps up from a non-first child (a chain
 *    top) into its parent, one Crossing (tick, that child).
 *
 *        0                  chains: 0-1-2-3-4 (top 0) and 5-6 (top 5)
 *        └ 1
 *          └ 2              A move from 6 to 1 records Departure(t, 4) on
 *            ├ 3 ─ 4        chain 5 (depth of 6), Crossing(t, 5) on event 2
 *            └ 5 ─ 6        and Departure(t, 2) on chain 0 (depth of 2). A
 *                           later redo at 2 goes to 5, then to 6.
 *
 * Redo at p compares two candidates: the first child, last left at the tick
 * of the newest Departure on p's chain whose depth is below p; and the child
 * named by p's Crossing, left at its tick. The later one wins; with neither,
 * the newest child. A move's cost is one record per chain crossed (one for a
 * history without branches), plus an O(log n) lowest-common-ancestor search.
 *
 * Why the newest Departure below p is the one that left the first child's
 * subtree even though some Departures are recorded by moves that stayed
 * inside it (their L lies below p): redo asks at p, when the position is p,
 * outside that subtree. The last move that started inside the subtree must
 * have left it, and it passed p's chain below p, so no record there is newer.
 * Crossings need no such argument: a move records one only on an event at
 * or below its L, whose child it really left.
 *
 * A Departure makes every older one on the same chain with a depth not
 * greater than its own useless (it answers every question they answer, and
 * is newer), so each chain keeps a stack whose depths decrease from bottom to
 * top while ticks increase: "the newest Departure deeper than d" is a binary
 * search.
 */
import { lowestCommonAncestor, type AncestryLinks } from './ancestry.js';
import { NO_LINKS, type Departure, type EventLinks } from './links.js';
import { PVec } from './pvec.js';

export interface ChainNode extends AncestryLinks {
  readonly chainTop: number;
}

export type LinksTable = PVec<EventLinks | undefined>;

/** The links table after the position moved from `from` to `to` at `tick`. */
export function recordMove(
  links: LinksTable,
  from: number,
  to: number,
  tick: number,
  node: (seq: number) => ChainNode,
): LinksTable {
  const l = lowestCommonAncestor(from, to, node);
  if (l === from) return links; // Going down leaves nothing.
  const lDepth = node(l).depth;
  let x = from;
  let entryDepth = node(from).depth;
  for (;;) {
    const top = node(x).chainTop;
    const topNode = node(top);
    if (topNode.depth <= lDepth) {
      // L lies on this chain: only the part below L was left.
      return entryDepth > lDepth ? pushDeparture(links, top, { tick, entryDepth }) : links;
    }
    links = pushDeparture(links, top, { tick, entryDepth });
    const p = topNode.parent!;
    const pl = links.get(p) ?? NO_LINKS;
    links = links.set(p, { ...pl, crossing: { tick, child: top } });
    x = p;
    entryDepth = node(p).depth;
  }
}

function pushDeparture(links: LinksTable, top: number, d: Departure): LinksTable {
  const l = links.get(top) ?? NO_LINKS;
  let stack = l.departures ?? PVec.empty<Departure>();
  while (stack.size > 0 && stack.last()!.entryDepth <= d.entryDepth) stack = stack.pop();
  return links.set(top, { ...l, departures: stack.push(d) });
}

/** The child of p that one redo step from p goes to, or null when p has none. */
export function redoChild(links: LinksTable, p: number, node: (seq: number) => ChainNode): number | null {
  const pl = links.get(p) ?? NO_LINKS;
  if (pl.childCount === 0) return null;
  if (pl.childCount === 1) return pl.firstChild;
  const pn = node(p);
  const stack = links.get(pn.chainTop)?.departures;
  let firstChildTick = -1;
  if (stack) {
    const i = stack.lastWhere((d) => d.entryDepth > pn.depth);
    if (i >= 0) firstChildTick = stack.get(i)!.tick;
  }
  const crossing = pl.crossing;
  if (firstChildTick < 0 && crossing === null) return pl.newestChild;
  return crossing !== null && crossing.tick > firstChildTick ? crossing.child : pl.firstChild;
}
