/**
 * A persistent vector: an immutable array whose push, pop and set return a
 * new vector that shares all untouched storage with the old one (a 32-way
 * trie plus a tail, as in Clojure's PersistentVector). Every operation costs
 * O(log32 n): at a million elements that is four levels, so a history can
 * keep every version of its event table without copying it on each append.
 *
 * It is a class without Immer's `immerable` mark on purpose: Immer treats it
 * as an opaque value and never drafts its million-element insides.
 */
const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

type Node = readonly unknown[];

const EMPTY_NODE: Node = [];

export class PVec<T> {
  private constructor(
    readonly size: number,
    /** BITS × (height of the trie above the leaves). */
    private readonly shift: number,
    private readonly root: Node,
    private readonly tail: readonly T[],
  ) {}

  private static readonly EMPTY = new PVec<never>(0, BITS, EMPTY_NODE, []);

  static empty<T>(): PVec<T> {
    return PVec.EMPTY as PVec<T>;
  }

  static from<T>(items: Iterable<T>): PVec<T> {
    let v = PVec.empty<T>();
    for (const x of items) v = v.push(x);
    return v;
  }

  /** Index of the first element held in the tail. */
  private tailOffset(): number {
    return this.size < WIDTH ? 0 : ((this.size - 1) >>> BITS) << BITS;
  }

  /** The leaf array holding index i (i < size). */
  private leafFor(i: number): readonly T[] {
    if (i >= this.tailOffset()) return this.tail;
    let node = this.root;
    for (let level = this.shift; level > 0; level -= BITS) node = node[(i >>> level) & MASK] as Node;
    return node as readonly T[];
  }

  get(i: number): T | undefined {
    if (!(i >= 0 && i < this.size) || !Number.isInteger(i)) return undefined;
    return this.leafFor(i)[i & MASK];
  }

  /** The last element, or undefined when empty. */
  last(): T | undefined {
    return this.size === 0 ? undefined : this.tail[this.size - 1 - this.tailOffset()];
  }

  push(x: T): PVec<T> {
    const inTail = this.size - this.tailOffset();
    if (inTail < WIDTH) {
      // Versions share their tail array and read only their first `size`
      // elements of it: the first push from a version appends in place, and
      // only a second one (a branch) copies.
      if (this.size > 0 && this.tail.length === inTail) {
        (this.tail as T[]).push(x);
        return new PVec(this.size + 1, this.shift, this.root, this.tail);
      }
      const tail = this.tail.slice(0, inTail);
      tail.push(x);
      return new PVec(this.size + 1, this.shift, this.root, tail);
    }
    // The tail is full: it becomes a leaf of the trie.
    let root: Node;
    let shift = this.shift;
    if (this.size >>> BITS > 1 << this.shift) {
      root = [this.root, newPath(this.shift, this.tail)];
      shift += BITS;
    } else {
      root = pushTail(this.size, this.shift, this.root, this.tail);
    }
    return new PVec(this.size + 1, shift, root, [x]);
  }

  set(i: number, x: T): PVec<T> {
    if (!(i >= 0 && i < this.size) || !Number.isInteger(i)) throw new RangeError(`PVec.set: index ${i} out of range 0..${this.size - 1}`);
    if (i >= this.tailOffset()) {
      const tail = this.tail.slice(0, this.size - this.tailOffset());
      tail[i & MASK] = x;
      return new PVec(this.size, this.shift, this.root, tail);
    }
    return new PVec(this.size, this.shift, assoc(this.shift, this.root, i, x), this.tail);
  }

  /**
   * set(i, x) then push(y), with a single new tail when i lies in the tail:
   * the history does this on every append (the parent's newest child, then
   * the new event's slot).
   */
  setThenPush(i: number, x: T, y: T): PVec<T> {
    const offset = this.tailOffset();
    const inTail = this.size - offset;
    if (!(i >= offset && i < this.size && Number.isInteger(i) && inTail < WIDTH)) return this.set(i, x).push(y);
    const tail = new Array<T>(inTail + 1);
    for (let k = 0; k < inTail; k++) tail[k] = this.tail[k]!;
    tail[i - offset] = x;
    tail[inTail] = y;
    return new PVec(this.size + 1, this.shift, this.root, tail);
  }

  /** Without its last element. */
  pop(): PVec<T> {
    if (this.size === 0) throw new RangeError('PVec.pop: empty vector');
    if (this.size === 1) return PVec.empty<T>();
    if (this.size - this.tailOffset() > 1) {
      return new PVec(this.size - 1, this.shift, this.root, this.tail.slice(0, this.size - 1 - this.tailOffset()));
    }
    // The tail empties: the last leaf of the trie becomes the tail.
    const newTail = this.leafFor(this.size - 2);
    let root = popTail(this.size, this.shift, this.root) ?? EMPTY_NODE;
    let shift = this.shift;
    if (shift > BITS && root.length === 1) {
      root = root[0] as Node;
      shift -= BITS;
    }
    return new PVec(this.size - 1, shift, root, newTail);
  }

  /** Elements from index `from` (inclusive) to `to` (exclusive), in order. */
  *range(from = 0, to = this.size): IterableIterator<T> {
    const end = Math.min(to, this.size);
    let i = Math.max(0, from);
    while (i < end) {
      const leaf = this.leafFor(i);
      const stop = Math.min(end, (i | MASK) + 1);
      for (; i < stop; i++) yield leaf[i & MASK]!;
    }
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.range();
  }

  toArray(): T[] {
    return Array.from(this.range());
  }

  /**
   * Index of the last element for which `pred` holds, given that it holds on
   * a prefix of the vector (true, ..., true, false, ...); -1 if on none.
   */
  lastWhere(pred: (x: T) => boolean): number {
    let lo = 0;
    let hi = this.size; // answer + 1 lies in [lo, hi]
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(this.get(mid)!)) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}

function newPath(level: number, leaf: Node): Node {
  return level === 0 ? leaf : [newPath(level - BITS, leaf)];
}

function pushTail(size: number, level: number, parent: Node, tail: Node): Node {
  const sub = ((size - 1) >>> level) & MASK;
  const node = parent.slice();
  if (level === BITS) {
    node[sub] = tail;
  } else {
    const child = parent[sub] as Node | undefined;
    node[sub] = child !== undefined ? pushTail(size, level - BITS, child, tail) : newPath(level - BITS, tail);
  }
  return node;
}

function assoc(level: number, node: Node, i: number, x: unknown): Node {
  const copy = node.slice();
  if (level === 0) copy[i & MASK] = x;
  else {
    const sub = (i >>> level) & MASK;
    copy[sub] = assoc(level - BITS, node[sub] as Node, i, x);
  }
  return copy;
}

/** The trie without its last leaf; undefined when the node becomes empty. */
function popTail(size: number, level: number, node: Node): Node | undefined {
  const sub = ((size - 2) >>> level) & MASK;
  if (level > BITS) {
    const child = popTail(size, level - BITS, node[sub] as Node);
    if (child === undefined && sub === 0) return undefined;
    const copy = node.slice(0, child === undefined ? sub : sub + 1);
    if (child !== undefined) copy[sub] = child;
    return copy;
  }
  if (sub === 0) return undefined;
  return node.slice(0, sub);
}
