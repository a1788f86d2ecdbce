import { PAGE_SIZE } from './vma.js';

/** Pages [start, end) that all hold guard markers. */
export interface GuardRange {
  readonly start: number;
  readonly end: number;
}

interface Node {
  readonly start: number;
  readonly end: number;
  readonly priority: number;
  readonly left: Node | null;
  readonly right: Node | null;
}

type Tree = Node | null;

/**
 * The guard markers of one process (the PTE markers MADV_GUARD_INSTALL
 * leaves), as sorted, disjoint page ranges: marked pages that touch are one
 * range, so a call costs the same over 4 KiB as over 1 TiB, and the number
 * of ranges grows by at most a few per call.
 *
 * Persistent, like VmaTree: the history keeps every past state, so an update
 * copies only the nodes on the O(log n) paths it walks and shares the rest.
 * The ranges sit in a treap ordered by address whose priorities are a hash
 * of each range's start. The same ranges therefore always make the same
 * tree, whatever calls made them, and two states with the same markers
 * compare equal field by field.
 */
export class GuardMarkers {
  static readonly EMPTY = new GuardMarkers(null);

  private constructor(private readonly root: Tree) {}

  /** Markers on every page of the given ranges (in any order; they may touch or overlap). */
  static of(ranges: Iterable<GuardRange>): GuardMarkers {
    let g = GuardMarkers.EMPTY;
    for (const r of ranges) g = g.add(r.start, r.end);
    return g;
  }

  /** The first marked page in [start, end), or null. */
  firstIn(start: number, end: number): number | null {
    if (start >= end) return null;
    const r = firstEndingAbove(this.root, start);
    return r !== null && r.start < end ? Math.max(r.start, start) : null;
  }

  hasIn(start: number, end: number): boolean {
    return this.firstIn(start, end) !== null;
  }

  /** Mark every page of [start, end). */
  add(start: number, end: number): GuardMarkers {
    if (start >= end) return this;
    const holder = firstEndingAbove(this.root, start);
    if (holder !== null && holder.start <= start && holder.end >= end) return this;
    // Ranges that start at or before `end` and end at or after `start` touch
    // the new one and become part of it.
    const [before, rest] = split(this.root, start, false);
    const [absorbed, after] = split(rest, end, true);
    let from = start;
    let to = Math.max(end, lastOf(absorbed)?.end ?? end);
    let left = before;
    const prev = lastOf(before);
    if (prev !== null && prev.end >= start) {
      from = prev.start;
      to = Math.max(to, prev.end);
      left = withoutLast(before!);
    }
    return new GuardMarkers(join(join(left, leaf(from, to)), after));
  }

  /** Remove the markers of [start, end). */
  clear(start: number, end: number): GuardMarkers {
    if (!this.hasIn(start, end)) return this;
    const [before, rest] = split(this.root, start, false);
    const [inside, after] = split(rest, end, false);
    const kept: GuardRange[] = [];
    let left = before;
    const prev = lastOf(before);
    if (prev !== null && prev.end > start) {
      left = withoutLast(before!);
      kept.push({ start: prev.start, end: start });
      if (prev.end > end) kept.push({ start: end, end: prev.end });
    }
    const last = lastOf(inside);
    if (last !== null && last.end > end) kept.push({ start: end, end: last.end });
    for (const k of kept) left = join(left, leaf(k.start, k.end));
    return new GuardMarkers(join(left, after));
  }

  /** The marked parts of [start, end), in address order. */
  within(start: number, end: number): GuardRange[] {
    const out: GuardRange[] = [];
    if (start < end) collect(this.root, start, end, out);
    return out;
  }

  /** Move the markers of [start, end) by delta bytes, onto whatever markers are already there. */
  move(start: number, end: number, delta: number): GuardMarkers {
    const moved = this.within(start, end);
    let g = this.clear(start, end);
    for (const r of moved) g = g.add(r.start + delta, r.end + delta);
    return g;
  }

  toArray(): GuardRange[] {
    return this.within(-Infinity, Infinity);
  }
}

function leaf(start: number, end: number): Node {
  return { start, end, priority: priority(start), left: null, right: null };
}

function withChildren(n: Node, left: Tree, right: Tree): Node {
  return { start: n.start, end: n.end, priority: n.priority, left, right };
}

/**
 * A 32-bit hash of the range's first page (murmur3's finaliser over both
 * halves of the page number): ranges laid out in order still get priorities
 * in no order, which keeps the treap shallow.
 */
function priority(start: number): number {
  const page = start / PAGE_SIZE;
  let h = (page >>> 0) ^ Math.imul(Math.floor(page / 2 ** 32), 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** [ranges starting before addr (at or before it, when inclusive), the others]. */
function split(t: Tree, addr: number, inclusive: boolean): [Tree, Tree] {
  if (t === null) return [null, null];
  if (t.start < addr || (inclusive && t.start === addr)) {
    const [l, r] = split(t.right, addr, inclusive);
    return [withChildren(t, t.left, l), r];
  }
  const [l, r] = split(t.left, addr, inclusive);
  return [l, withChildren(t, r, t.right)];
}

/** Every range of a before every range of b. Ties go to the left, as in every other join, so the shape stays canonical. */
function join(a: Tree, b: Tree): Tree {
  if (a === null) return b;
  if (b === null) return a;
  if (a.priority >= b.priority) return withChildren(a, a.left, join(a.right, b));
  return withChildren(b, join(a, b.left), b.right);
}

function lastOf(t: Tree): Node | null {
  if (t === null) return null;
  while (t.right !== null) t = t.right;
  return t;
}

function withoutLast(t: Node): Tree {
  return t.right === null ? t.left : withChildren(t, t.left, withoutLast(t.right));
}

/** The first range ending above addr: the one holding addr, or the next one. */
function firstEndingAbove(t: Tree, addr: number): Node | null {
  let found: Node | null = null;
  while (t !== null) {
    if (t.end > addr) {
      found = t;
      t = t.left;
    } else t = t.right;
  }
  return found;
}

/** Ranges left of a node end at or below its start, ranges right of it start at or above its end. */
function collect(t: Tree, start: number, end: number, out: GuardRange[]): void {
  if (t === null) return;
  if (t.start > start) collect(t.left, start, end, out);
  if (t.end > start && t.start < end) out.push({ start: Math.max(t.start, start), end: Math.min(t.end, end) });
  if (t.end < end) collect(t.right, start, end, out);
}
