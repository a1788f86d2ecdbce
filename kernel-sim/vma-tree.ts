import type { Vma } from './vma.js';

/**
 * The VMA index: a persistent, ordered sequence of non-overlapping VMAs keyed
 * by address, in the spirit of the kernel's maple tree. Every update returns a
 * new tree that shares all untouched leaves with the old one, so keeping every
 * past state costs little. Leaves hold at most LEAF_MAX VMAs; the root holds
 * the leaves plus, per leaf, the end of its last VMA (for address search) and
 * the number of VMAs before it (for rank search).
 */
const LEAF_MAX = 64;
const LEAF_MIN = 16;

export class VmaTree {
  private constructor(
    private readonly leaves: readonly (readonly Vma[])[],
    /** leafEnds[i] = end of the last VMA of leaves[i]. */
    private readonly leafEnds: readonly number[],
    /** firstRank[i] = number of VMAs in leaves[0..i). */
    private readonly firstRank: readonly number[],
    readonly size: number,
  ) {}

  static readonly EMPTY = new VmaTree([], [], [], 0);

  static fromSorted(vmas: readonly Vma[]): VmaTree {
    const leaves: Vma[][] = [];
    for (let i = 0; i < vmas.length; i += LEAF_MAX / 2) leaves.push(vmas.slice(i, i + LEAF_MAX / 2));
    return VmaTree.build(leaves);
  }

  private static build(leaves: readonly (readonly Vma[])[]): VmaTree {
    const ends = new Array<number>(leaves.length);
    const ranks = new Array<number>(leaves.length);
    let n = 0;
    for (let i = 0; i < leaves.length; i++) {
      const leaf = leaves[i]!;
      ranks[i] = n;
      ends[i] = leaf[leaf.length - 1]!.end;
      n += leaf.length;
    }
    return new VmaTree(leaves, ends, ranks, n);
  }

  /** Leaf holding rank r. */
  private leafOfRank(r: number): number {
    let lo = 0;
    let hi = this.leaves.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.firstRank[mid]! <= r) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  at(rank: number): Vma | undefined {
    if (rank < 0 || rank >= this.size) return undefined;
    const li = this.leafOfRank(rank);
    return this.leaves[li]![rank - this.firstRank[li]!];
  }

  /** Rank of the first VMA whose end is above addr (the kernel's vma_find from addr); size if none. */
  rankAfter(addr: number): number {
    let lo = 0;
    let hi = this.leaves.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.leafEnds[mid]! > addr) hi = mid;
      else lo = mid + 1;
    }
    if (lo === this.leaves.length) return this.size;
    const leaf = this.leaves[lo]!;
    let a = 0;
    let b = leaf.length - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (leaf[mid]!.end > addr) b = mid;
      else a = mid + 1;
    }
    return this.firstRank[lo]! + a;
  }

  /** The VMA containing addr, if any. */
  find(addr: number): Vma | undefined {
    const v = this.at(this.rankAfter(addr));
    return v !== undefined && v.start <= addr ? v : undefined;
  }

  /** First VMA that ends above addr (may start above it). */
  findFrom(addr: number): Vma | undefined {
    return this.at(this.rankAfter(addr));
  }

  /** The last VMA that ends at or below addr. */
  findPrev(addr: number): Vma | undefined {
    return this.at(this.rankAfter(addr) - 1);
  }

  /** VMAs intersecting [start, end), in order. */
  range(start: number, end: number): Vma[] {
    const out: Vma[] = [];
    for (let r = this.rankAfter(start); r < this.size; r++) {
      const v = this.at(r)!;
      if (v.start >= end) break;
      out.push(v);
    }
    return out;
  }

  *[Symbol.iterator](): IterableIterator<Vma> {
    for (const leaf of this.leaves) yield* leaf;
  }

  toArray(): Vma[] {
    const out: Vma[] = [];
    for (const leaf of this.leaves) for (const v of leaf) out.push(v);
    return out;
  }

  /**
   * Replace the `count` VMAs from rank `rank` on with `items` (which must keep
   * the order). Only the leaves touched are copied.
   */
  splice(rank: number, count: number, items: readonly Vma[]): VmaTree {
    if (this.leaves.length === 0) return items.length ? VmaTree.fromSorted(items) : this;
    const firstLeaf = rank >= this.size ? this.leaves.length - 1 : this.leafOfRank(rank);
    const lastRank = rank + count - 1;
    const lastLeaf = count > 0 ? this.leafOfRank(Math.min(lastRank, this.size - 1)) : firstLeaf;
    const base = this.firstRank[firstLeaf]!;
    const merged: Vma[] = [];
    for (let li = firstLeaf; li <= lastLeaf; li++) for (const v of this.leaves[li]!) merged.push(v);
    merged.splice(rank - base, count, ...items);

    const replacement: Vma[][] = [];
    if (merged.length > 0) {
      if (merged.length <= LEAF_MAX) replacement.push(merged);
      else {
        const parts = Math.ceil(merged.length / (LEAF_MAX / 2));
        const per = Math.ceil(merged.length / parts);
        for (let i = 0; i < merged.length; i += per) replacement.push(merged.slice(i, i + per));
      }
    }
    let lo = firstLeaf;
    let hi = lastLeaf + 1;
    // Keep leaves from getting tiny: fold a small result into a neighbour.
    if (replacement.length === 1 && replacement[0]!.length < LEAF_MIN) {
      if (hi < this.leaves.length && this.leaves[hi]!.length + replacement[0]!.length <= LEAF_MAX) {
        replacement[0] = replacement[0]!.concat(this.leaves[hi]!);
        hi++;
      } else if (lo > 0 && this.leaves[lo - 1]!.length + replacement[0]!.length <= LEAF_MAX) {
        replacement[0] = this.leaves[lo - 1]!.concat(replacement[0]!);
        lo--;
      }
    }
    const leaves = this.leaves.slice(0, lo).concat(replacement, this.leaves.slice(hi));
    return VmaTree.build(leaves);
  }
}
