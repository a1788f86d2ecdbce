import type { Vma } from './vma.js';

/**
 * The VMA index: a persistent B+tree of non-overlapping VMAs in address
 * order, in the spirit of the kernel's maple tree. Every update copies only
 * the path from the root to the leaf it changes (O(log n) nodes of at most
 * MAX entries) and returns a new tree; all other nodes are shared, so keeping
 * every past state costs little.
 *
 * Internal nodes keep, per child, the number of VMAs below it (for rank
 * search) and the end of its last VMA (for address search: VMAs are sorted
 * and disjoint, so that is the largest end below the child).
 */
const MAX = 32;

interface Leaf {
  readonly leaf: true;
  readonly vmas: readonly Vma[];
}

interface Inner {
  readonly leaf: false;
  readonly children: readonly Node[];
  readonly counts: readonly number[];
  readonly ends: readonly number[];
  readonly size: number;
}

type Node = Leaf | Inner;

function sizeOf(n: Node): number {
  return n.leaf ? n.vmas.length : n.size;
}

function endOf(n: Node): number {
  return n.leaf ? n.vmas[n.vmas.length - 1]!.end : n.ends[n.ends.length - 1]!;
}

function inner(children: readonly Node[]): Inner {
  const counts = children.map(sizeOf);
  let size = 0;
  for (const c of counts) size += c;
  return { leaf: false, children, counts, ends: children.map(endOf), size };
}

/** Child index holding rank r, and the rank within it. */
function childForRank(n: Inner, r: number): [number, number] {
  let i = 0;
  while (i < n.children.length - 1 && r >= n.counts[i]!) {
    r -= n.counts[i]!;
    i++;
  }
  return [i, r];
}

/** Replace child i of n by zero, one or two nodes. */
function withChildren(n: Inner, i: number, replacement: readonly Node[]): Node[] {
  const kids = n.children.slice(0, i).concat(replacement, n.children.slice(i + 1));
  return kids;
}

/** Split an over-full list of children (or VMAs) into nodes of at most MAX. */
function pack(kids: Node[]): Node[] {
  if (kids.length <= MAX) return [inner(kids)];
  const half = kids.length >> 1;
  return [inner(kids.slice(0, half)), inner(kids.slice(half))];
}

function packLeaf(vmas: Vma[]): Node[] {
  if (vmas.length === 0) return [];
  if (vmas.length <= MAX) return [{ leaf: true, vmas }];
  const half = vmas.length >> 1;
  return [
    { leaf: true, vmas: vmas.slice(0, half) },
    { leaf: true, vmas: vmas.slice(half) },
  ];
}

/** Apply an edit at rank r of the subtree: the leaf's VMAs are rewritten by `edit`. */
function editAt(n: Node, r: number, edit: (vmas: Vma[], at: number) => void): Node[] {
  if (n.leaf) {
    const vmas = n.vmas.slice();
    edit(vmas, r);
    return packLeaf(vmas);
  }
  const [i, rr] = childForRank(n, r);
  const replaced = editAt(n.children[i]!, rr, edit);
  if (replaced.length === 1) {
    // The common case: one child changed in place; patch this node's tables.
    const c = replaced[0]!;
    const children = n.children.slice();
    children[i] = c;
    const counts = n.counts.slice();
    const size = sizeOf(c);
    const delta = size - counts[i]!;
    counts[i] = size;
    const ends = n.ends.slice();
    ends[i] = endOf(c);
    return [{ leaf: false, children, counts, ends, size: n.size + delta }];
  }
  const kids = withChildren(n, i, replaced);
  if (kids.length === 0) return [];
  return pack(kids);
}

export class VmaTree {
  private constructor(private readonly root: Node | null) {}

  static readonly EMPTY = new VmaTree(null);

  static fromSorted(vmas: readonly Vma[]): VmaTree {
    if (vmas.length === 0) return VmaTree.EMPTY;
    const fill = (MAX * 3) >> 2;
    let level: Node[] = [];
    for (let i = 0; i < vmas.length; i += fill) level.push({ leaf: true, vmas: vmas.slice(i, i + fill) });
    while (level.length > 1) {
      const up: Node[] = [];
      for (let i = 0; i < level.length; i += fill) up.push(inner(level.slice(i, i + fill)));
      level = up;
    }
    return new VmaTree(level[0]!);
  }

  get size(): number {
    return this.root ? sizeOf(this.root) : 0;
  }

  at(rank: number): Vma | undefined {
    if (!this.root || rank < 0 || rank >= this.size) return undefined;
    let n: Node = this.root;
    let r = rank;
    while (!n.leaf) {
      const [i, rr] = childForRank(n, r);
      n = n.children[i]!;
      r = rr;
    }
    return n.vmas[r];
  }

  /** Rank of the first VMA whose end is above addr (the kernel's vma_find from addr); size if none. */
  rankAfter(addr: number): number {
    if (!this.root) return 0;
    let n: Node = this.root;
    let base = 0;
    while (!n.leaf) {
      const ends = n.ends;
      let lo = 0;
      let hi = ends.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ends[mid]! > addr) hi = mid;
        else lo = mid + 1;
      }
      if (lo === ends.length) return n.size + base;
      for (let k = 0; k < lo; k++) base += n.counts[k]!;
      n = n.children[lo]!;
    }
    const leaf = n.vmas;
    let a = 0;
    let b = leaf.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (leaf[mid]!.end > addr) b = mid;
      else a = mid + 1;
    }
    return base + a;
  }

  /** The VMA containing addr, if any. */
  find(addr: number): Vma | undefined {
    const v = this.findFrom(addr);
    return v !== undefined && v.start <= addr ? v : undefined;
  }

  /** First VMA that ends above addr (may start above it): one descent by address. */
  findFrom(addr: number): Vma | undefined {
    let n = this.root;
    if (!n) return undefined;
    while (!n.leaf) {
      const ends: readonly number[] = n.ends;
      let lo = 0;
      let hi = ends.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ends[mid]! > addr) hi = mid;
        else lo = mid + 1;
      }
      if (lo === ends.length) return undefined;
      n = n.children[lo]!;
    }
    const leaf = n.vmas;
    let a = 0;
    let b = leaf.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (leaf[mid]!.end > addr) b = mid;
      else a = mid + 1;
    }
    return leaf[a];
  }

  /** The last VMA that ends at or below addr. */
  findPrev(addr: number): Vma | undefined {
    return this.at(this.rankAfter(addr) - 1);
  }

  /** VMAs intersecting [start, end), in order. */
  range(start: number, end: number): Vma[] {
    const out: Vma[] = [];
    for (const v of this.iterateFrom(this.rankAfter(start))) {
      if (v.start >= end) break;
      out.push(v);
    }
    return out;
  }

  /** VMAs from rank on, in order. */
  *iterateFrom(rank: number): IterableIterator<Vma> {
    if (!this.root || rank >= this.size) return;
    const stack: [Node, number][] = [];
    let n: Node = this.root;
    let r = rank;
    while (!n.leaf) {
      const [i, rr] = childForRank(n, r);
      stack.push([n, i]);
      n = n.children[i]!;
      r = rr;
    }
    for (;;) {
      const vmas: readonly Vma[] = (n as Leaf).vmas;
      for (let k = r; k < vmas.length; k++) yield vmas[k]!;
      // Climb to the next subtree to the right, then down to its first leaf.
      let top: [Node, number] | undefined;
      while ((top = stack.pop()) && top[1] + 1 >= (top[0] as Inner).children.length);
      if (!top) return;
      const parent = top[0] as Inner;
      stack.push([parent, top[1] + 1]);
      n = parent.children[top[1] + 1]!;
      while (!n.leaf) {
        stack.push([n, 0]);
        n = n.children[0]!;
      }
      r = 0;
    }
  }

  [Symbol.iterator](): IterableIterator<Vma> {
    return this.iterateFrom(0);
  }

  toArray(): Vma[] {
    return [...this];
  }

  /** Do ranks a <= b lie in the same leaf? */
  private sameLeaf(a: number, b: number): boolean {
    let n: Node = this.root!;
    let ra = a;
    let rb = b;
    while (!n.leaf) {
      const [i, r1] = childForRank(n, ra);
      const [j, r2] = childForRank(n, rb);
      if (i !== j) return false;
      n = n.children[i]!;
      ra = r1;
      rb = r2;
    }
    return true;
  }

  private static fromRoot(nodes: Node[]): VmaTree {
    if (nodes.length === 0) return VmaTree.EMPTY;
    let root: Node = nodes.length === 1 ? nodes[0]! : inner(nodes);
    // Drop levels that hold a single child.
    while (!root.leaf && root.children.length === 1) root = root.children[0]!;
    return new VmaTree(root);
  }

  private edit(rank: number, fn: (vmas: Vma[], at: number) => void): VmaTree {
    if (!this.root) {
      const vmas: Vma[] = [];
      fn(vmas, 0);
      return VmaTree.fromSorted(vmas);
    }
    return VmaTree.fromRoot(editAt(this.root, rank, fn));
  }

  /**
   * Replace the `count` VMAs from rank `rank` on with `items` (which must keep
   * the order). Copies one root-to-leaf path per VMA changed.
   */
  splice(rank: number, count: number, items: readonly Vma[]): VmaTree {
    // Most changes (a split, a merge, an update) fall inside one leaf: one path copy.
    if (this.root && count > 0 && rank + count <= this.size && this.sameLeaf(rank, rank + count - 1))
      return VmaTree.fromRoot(editAt(this.root, rank, (vmas, at) => void vmas.splice(at, count, ...items)));
    let t: VmaTree = this;
    const common = Math.min(count, items.length);
    for (let i = 0; i < common; i++) t = t.edit(rank + i, (vmas, at) => void (vmas[at] = items[i]!));
    for (let i = common; i < items.length; i++) {
      const item = items[i]!;
      const at = rank + i;
      // Insert after the VMA before it when that is the last of its leaf, so
      // appends at the end of the tree find a leaf.
      if (at >= t.size) t = t.size === 0 ? t.edit(0, (vmas) => void vmas.push(item)) : t.edit(at - 1, (vmas, k) => void vmas.splice(k + 1, 0, item));
      else t = t.edit(at, (vmas, k) => void vmas.splice(k, 0, item));
    }
    for (let i = common; i < count; i++) t = t.edit(rank + common, (vmas, k) => void vmas.splice(k, 1));
    return t;
  }
}
