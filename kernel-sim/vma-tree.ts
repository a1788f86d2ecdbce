import { NO_VMAS, type Vma } from './vma.js';

/**
 * The VMA index: a persistent B+tree of non-overlapping VMAs in address
 * order, in the spirit of the kernel's maple tree. Every update copies only
 * the path from the root to the leaf it changes and returns a new tree; all
 * other nodes are shared, so past states cost little.
 *
 * Inner nodes keep, per child, the end of its last VMA: VMAs are sorted and
 * disjoint, so that is the largest end below the child, and one binary
 * search per level finds the first VMA ending above an address.
 *
 * One operation often changes the same path several times (a split, then a
 * merge of the piece). An update may carry an EditToken: the nodes it copies
 * are stamped with it, and later updates with the same token change those
 * nodes in place instead of copying them again. A token belongs to one
 * operation; once the tree it built is handed out, the token must not be
 * used again (MmWork starts a new one).
 */
const MAX = 32;
/** Leaves hold fewer: a leaf is copied on nearly every change, inner nodes far less often. */
const LEAF_MAX = 16;

/** Marks the nodes one operation made, which that operation may still change in place. */
export type EditToken = number;

let lastToken = 0;

/** A token no node carries yet. */
export function newEditToken(): EditToken {
  return ++lastToken;
}

interface Leaf {
  readonly leaf: true;
  vmas: Vma[];
  /**
   * Each VMA's end, beside it: searching these numbers is several times
   * faster than reaching into each VMA (and its boxed end) on the way.
   */
  ends: number[];
  readonly edit: EditToken | null;
}

interface Inner {
  readonly leaf: false;
  kids: Node[];
  ends: number[];
  /**
   * `ends` is still the array of the node this one was copied from: most
   * changes leave a subtree's last end as it was, so the copy shares it
   * until one does not.
   */
  endsShared: boolean;
  readonly edit: EditToken | null;
}

type Node = Leaf | Inner;

function endOf(n: Node): number {
  return n.ends[n.ends.length - 1]!;
}

function newLeaf(vmas: Vma[], edit: EditToken | null): Leaf {
  return { leaf: true, vmas, ends: endsOf(vmas), edit };
}

function newInner(kids: Node[], edit: EditToken | null): Inner {
  const ends = new Array<number>(kids.length);
  for (let i = 0; i < kids.length; i++) ends[i] = endOf(kids[i]!);
  return { leaf: false, kids, ends, endsShared: false, edit };
}

/** Cut a list that may have outgrown a node into nodes of at most `max`, evenly. */
function chunks<T>(items: T[], max = MAX): T[][] {
  if (items.length <= max) return [items];
  const parts = Math.ceil(items.length / max);
  const out: T[][] = [];
  for (let p = 0; p < parts; p++) out.push(items.slice(Math.floor((p * items.length) / parts), Math.floor(((p + 1) * items.length) / parts)));
  return out;
}

/** Index of the child holding the first end above addr, or the last child when none is (the position is past the end). */
function childFor(ends: readonly number[], addr: number): number {
  return Math.min(slotFor(ends, addr), ends.length - 1);
}

/** Index of the first end above addr, or the length when none is. */
function slotFor(ends: readonly number[], addr: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! > addr) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `list` with `count` entries from `at` replaced by `items`, as a new array. */
function spliced<T>(list: readonly T[], at: number, count: number, items: readonly T[]): T[] {
  const out = new Array<T>(list.length - count + items.length);
  let k = 0;
  for (let i = 0; i < at; i++) out[k++] = list[i]!;
  for (let i = 0; i < items.length; i++) out[k++] = items[i]!;
  for (let i = at + count; i < list.length; i++) out[k++] = list[i]!;
  return out;
}

/** The same splice on a leaf this operation owns, without making new arrays. */
function spliceInPlace(vmas: Vma[], ends: number[], at: number, count: number, items: readonly Vma[]): void {
  const len = vmas.length;
  const delta = items.length - count;
  if (delta > 0) {
    // Grow by pushing, so that the arrays stay packed, then move the tail up.
    for (let k = 0; k < delta; k++) {
      vmas.push(vmas[len - 1]!);
      ends.push(ends[len - 1]!);
    }
    for (let i = len - 1; i >= at + count; i--) {
      vmas[i + delta] = vmas[i]!;
      ends[i + delta] = ends[i]!;
    }
  } else if (delta < 0) {
    for (let i = at + count; i < len; i++) {
      vmas[i + delta] = vmas[i]!;
      ends[i + delta] = ends[i]!;
    }
    vmas.length = len + delta;
    ends.length = len + delta;
  }
  for (let i = 0; i < items.length; i++) {
    const v = items[i]!;
    vmas[at + i] = v;
    ends[at + i] = v.end;
  }
}

/**
 * Whether VMA k of a leaf starts at or after addr. A VMA starts no lower
 * than the one before it ends, so that end (beside it, in `ends`) often
 * answers without reading the VMA: one object and its boxed start fewer to
 * fetch, the last step of every range walk.
 */
function startsAtOrAfter(vmas: readonly Vma[], ends: readonly number[], k: number, addr: number): boolean {
  return (k > 0 && ends[k - 1]! >= addr) || vmas[k]!.start >= addr;
}

function endsOf(vmas: readonly Vma[]): number[] {
  const ends = new Array<number>(vmas.length);
  for (let i = 0; i < vmas.length; i++) ends[i] = vmas[i]!.end;
  return ends;
}

/**
 * The leaf a single-leaf edit left, and the end of the VMA before it (see
 * VmaTree.hint): editAt's second result, kept here rather than in an object
 * made per edit.
 */
let editedLeaf: Leaf | null = null;
let editedLeafLow = -Infinity;

/**
 * What an edit leaves in place of a node: one node (nearly always), or a
 * list of nodes when it emptied (none) or overflowed (several). The single
 * node is not wrapped in a list: an edit runs on every level of every update,
 * and a list per level was a good part of what an update allocated.
 */
type Edited = Node | Node[];

/**
 * At the position of the first VMA ending above `addr` (in its leaf, or at
 * the end of the last leaf), remove `count` VMAs and put `items` in their
 * place. Returns what replaces `n`, or null, changing nothing, when the leaf
 * holds fewer than `count` VMAs from that position on.
 */
function editAt(n: Node, addr: number, count: number, items: readonly Vma[], edit: EditToken | null, low: number): Edited | null {
  if (n.leaf) {
    const edited = editLeaf(n, addr, count, items, edit);
    if (edited !== null && !Array.isArray(edited)) {
      editedLeaf = edited as Leaf;
      editedLeafLow = low;
    }
    return edited;
  }
  const i = childFor(n.ends, addr);
  const kid = n.kids[i]!;
  const replaced = editAt(kid, addr, count, items, edit, i > 0 ? n.ends[i - 1]! : low);
  if (replaced === null) return null;
  if (Array.isArray(replaced)) {
    const kids = spliced(n.kids, i, 1, replaced);
    if (kids.length === 0) return [];
    if (kids.length <= MAX) return newInner(kids, edit);
    return chunks(kids).map((part) => newInner(part, edit));
  }
  const end = endOf(replaced);
  const sameEnd = n.ends[i] === end;
  if (replaced === kid && sameEnd) return n;
  if (edit !== null && n.edit === edit) {
    n.kids[i] = replaced;
    if (!sameEnd) {
      if (n.endsShared) {
        n.ends = n.ends.slice();
        n.endsShared = false;
      }
      n.ends[i] = end;
    }
    return n;
  }
  const kids = n.kids.slice();
  kids[i] = replaced;
  if (sameEnd) return { leaf: false, kids, ends: n.ends, endsShared: true, edit };
  const ends = n.ends.slice();
  ends[i] = end;
  return { leaf: false, kids, ends, endsShared: false, edit };
}

function editLeaf(n: Leaf, addr: number, count: number, items: readonly Vma[], edit: EditToken | null): Edited | null {
  const at = slotFor(n.ends, addr);
  const len = n.vmas.length;
  if (at + count > len) return null;
  const size = len - count + items.length;
  if (size === 0) return [];
  if (size > LEAF_MAX) return chunks(spliced(n.vmas, at, count, items), LEAF_MAX).map((part) => newLeaf(part, edit));
  if (edit !== null && n.edit === edit) {
    if (count === items.length) {
      for (let i = 0; i < count; i++) {
        const v = items[i]!;
        n.vmas[at + i] = v;
        n.ends[at + i] = v.end;
      }
    } else spliceInPlace(n.vmas, n.ends, at, count, items);
    return n;
  }
  let vmas: Vma[];
  let ends: number[];
  if (count === items.length) {
    vmas = n.vmas.slice();
    ends = n.ends.slice();
    for (let i = 0; i < count; i++) {
      const v = items[i]!;
      vmas[at + i] = v;
      ends[at + i] = v.end;
    }
  } else {
    // Both arrays in one pass, and the new VMAs' ends read from them directly.
    vmas = new Array<Vma>(size);
    ends = new Array<number>(size);
    const oldVmas = n.vmas;
    const oldEnds = n.ends;
    let k = 0;
    for (let i = 0; i < at; i++, k++) {
      vmas[k] = oldVmas[i]!;
      ends[k] = oldEnds[i]!;
    }
    for (let i = 0; i < items.length; i++, k++) {
      const v = items[i]!;
      vmas[k] = v;
      ends[k] = v.end;
    }
    for (let i = at + count; i < len; i++, k++) {
      vmas[k] = oldVmas[i]!;
      ends[k] = oldEnds[i]!;
    }
  }
  return { leaf: true, vmas, ends, edit };
}

/** How many VMAs the leaf that holds the position of `addr` has from that position on. */
function leafRoom(n: Node, addr: number): number {
  while (!n.leaf) n = n.kids[childFor(n.ends, addr)]!;
  return n.vmas.length - slotFor(n.ends, addr);
}

export class VmaTree {
  private constructor(
    private readonly root: Node | null,
    /** Number of VMAs. */
    readonly size: number,
    /**
     * Where the last lookup ended: a leaf, and the end of the last VMA
     * before it (-Infinity before the first leaf). For any address from
     * there up to the leaf's last end, the first VMA ending above it is in
     * that leaf. An operation looks up a VMA, then its neighbours and the VMA
     * after the range, nearly always in the same leaf: those lookups start
     * here instead of at the root. A memo of this version, never of another:
     * splice hands the leaf it edited to the version it makes.
     */
    private hint: Leaf | null = null,
    private hintLow = -Infinity,
  ) {}

  static readonly EMPTY = new VmaTree(null, 0);

  static fromSorted(vmas: readonly Vma[]): VmaTree {
    if (vmas.length === 0) return VmaTree.EMPTY;
    const fill = (MAX * 3) >> 2;
    const leafFill = (LEAF_MAX * 3) >> 2;
    let level: Node[] = [];
    for (let i = 0; i < vmas.length; i += leafFill) level.push(newLeaf(vmas.slice(i, i + leafFill), null));
    while (level.length > 1) {
      const up: Node[] = [];
      for (let i = 0; i < level.length; i += fill) up.push(newInner(level.slice(i, i + fill), null));
      level = up;
    }
    return new VmaTree(level[0]!, vmas.length);
  }

  /** The VMA containing addr, if any. */
  find(addr: number): Vma | undefined {
    const v = this.findFrom(addr);
    return v !== undefined && v.start <= addr ? v : undefined;
  }

  /** First VMA that ends above addr (may start above it): the kernel's vma_find. At most one descent. */
  findFrom(addr: number): Vma | undefined {
    const leaf = this.leafFrom(addr);
    return leaf === null ? undefined : leaf.vmas[slotFor(leaf.ends, addr)];
  }

  /** The last VMA that ends at or below addr: the one before findFrom(addr). At most one descent. */
  findPrev(addr: number): Vma | undefined {
    const hint = this.hintFor(addr);
    if (hint !== null) {
      const at = slotFor(hint.ends, addr);
      // At the leaf's first VMA the answer lies in the leaf before: go down from the root.
      if (at > 0) return hint.vmas[at - 1];
    }
    let n = this.root;
    if (n === null) return undefined;
    // The nearest subtree left of the path holds the answer when the leaf does not.
    let left: Node | null = null;
    while (!n.leaf) {
      const i = childFor(n.ends, addr);
      if (n.ends[i]! <= addr) return lastOf(n);
      if (i > 0) left = n.kids[i - 1]!;
      n = n.kids[i]!;
    }
    const at = slotFor(n.ends, addr);
    if (at > 0) return n.vmas[at - 1];
    return left === null ? undefined : lastOf(left);
  }

  /** VMAs intersecting [start, end), in order. */
  range(start: number, end: number): Vma[] {
    const out: Vma[] = [];
    this.walkRange(start, end, out);
    return out;
  }

  /** How many VMAs intersect [start, end): range(start, end).length without the list. */
  countIn(start: number, end: number): number {
    return this.walkRange(start, end, null);
  }

  /** Count the VMAs intersecting [start, end), in order, pushing them onto `out` unless it is null. */
  private walkRange(start: number, end: number, out: Vma[] | null): number {
    let count = 0;
    // No VMA after a leaf starts below that leaf's last end: once it reaches `end`, stop.
    for (let leaf = this.leafFrom(start), addr = start; leaf !== null; addr = endOf(leaf), leaf = addr < end ? this.leafFrom(addr) : null) {
      const { vmas, ends } = leaf;
      for (let k = slotFor(ends, addr); k < vmas.length; k++) {
        if (startsAtOrAfter(vmas, ends, k, end)) return count;
        out?.push(vmas[k]!);
        count++;
      }
    }
    return count;
  }

  /**
   * The leaf holding the first VMA that ends above addr, or null when none
   * does: the hint's leaf when addr lies in its span, else found from the
   * root (and made the hint). Walks on to the next leaf go down again by
   * address (the first VMA ending above this leaf's last end): no stack to
   * allocate, and most ranges end in the leaf they start in.
   */
  private leafFrom(addr: number): Leaf | null {
    const hint = this.hintFor(addr);
    if (hint !== null) return hint;
    let n = this.root;
    if (n === null) return null;
    let low = -Infinity;
    while (!n.leaf) {
      const ends: readonly number[] = n.ends;
      if (ends[ends.length - 1]! <= addr) return null;
      const i = childFor(ends, addr);
      // Every VMA left of the child ends at or below this; deeper levels narrow it.
      if (i > 0) low = ends[i - 1]!;
      n = n.kids[i]!;
    }
    if (endOf(n) <= addr) return null;
    this.hint = n;
    this.hintLow = low;
    return n;
  }

  /** The hint's leaf when addr lies in its span (the first VMA ending above addr is in it), else null. */
  private hintFor(addr: number): Leaf | null {
    const hint = this.hint;
    return hint !== null && addr >= this.hintLow && addr < endOf(hint) ? hint : null;
  }

  /** VMAs ending above addr, in address order. */
  *iterateFrom(addr: number): IterableIterator<Vma> {
    if (this.root === null) return;
    const path = pathTo(this.root, addr);
    const stack = path.stack;
    let n: Leaf = path.leaf;
    let k = slotFor(n.ends, addr);
    for (;;) {
      const vmas: readonly Vma[] = n.vmas;
      for (; k < vmas.length; k++) yield vmas[k]!;
      // Climb to the next subtree to the right, then down to its first leaf.
      let top: { node: Inner; i: number } | undefined;
      while ((top = stack.pop()) !== undefined && top.i + 1 >= top.node.kids.length);
      if (top === undefined) return;
      stack.push({ node: top.node, i: top.i + 1 });
      let m: Node = top.node.kids[top.i + 1]!;
      while (!m.leaf) {
        stack.push({ node: m, i: 0 });
        m = m.kids[0]!;
      }
      n = m;
      k = 0;
    }
  }

  /** VMAs ending at or below addr, from the highest down. */
  *iterateDownFrom(addr: number): IterableIterator<Vma> {
    if (this.root === null) return;
    const path = pathTo(this.root, addr);
    const stack = path.stack;
    let n: Leaf = path.leaf;
    let k = slotFor(n.ends, addr) - 1;
    for (;;) {
      const vmas: readonly Vma[] = n.vmas;
      for (; k >= 0; k--) yield vmas[k]!;
      let top: { node: Inner; i: number } | undefined;
      while ((top = stack.pop()) !== undefined && top.i === 0);
      if (top === undefined) return;
      stack.push({ node: top.node, i: top.i - 1 });
      let m: Node = top.node.kids[top.i - 1]!;
      while (!m.leaf) {
        stack.push({ node: m, i: m.kids.length - 1 });
        m = m.kids[m.kids.length - 1]!;
      }
      n = m;
      k = n.vmas.length - 1;
    }
  }

  [Symbol.iterator](): IterableIterator<Vma> {
    return this.iterateFrom(-Infinity);
  }

  toArray(): Vma[] {
    const out: Vma[] = [];
    const walk = (n: Node): void => {
      if (n.leaf) for (const v of n.vmas) out.push(v);
      else for (const k of n.kids) walk(k);
    };
    if (this.root !== null) walk(this.root);
    return out;
  }

  /**
   * Replace the `count` consecutive VMAs starting with the first one ending
   * above `addr` by `items` (in order, fitting the same gap). With an edit
   * token, nodes this token made are changed in place.
   */
  splice(addr: number, count: number, items: readonly Vma[], edit: EditToken | null = null): VmaTree {
    if (this.root === null) {
      if (count > 0) throw new RangeError(`splice past the last VMA (${count} more to remove)`);
      return items.length === 0 ? this : VmaTree.fromSorted(items);
    }
    const size = this.size - count + items.length;
    // Most changes fall inside one leaf: one descent, one path copied (or none, with a token).
    editedLeaf = null;
    const direct = editAt(this.root, addr, count, items, edit, -Infinity);
    if (direct !== null) return new VmaTree(VmaTree.rootOf(direct, edit), size, editedLeaf, editedLeafLow);
    // Otherwise remove leaf by leaf, then insert.
    let root: Node | null = this.root;
    let left = count;
    while (left > 0) {
      const room: number = root === null ? 0 : leafRoom(root, addr);
      if (room === 0) throw new RangeError(`splice past the last VMA (${left} more to remove)`);
      const step = Math.min(room, left);
      root = VmaTree.rootOf(editAt(root!, addr, step, NO_VMAS, edit, -Infinity)!, edit);
      left -= step;
    }
    if (items.length > 0) root = root === null ? VmaTree.fromSorted(items).root : VmaTree.rootOf(editAt(root, addr, 0, items, edit, -Infinity)!, edit);
    return new VmaTree(root, size);
  }

  private static rootOf(edited: Edited, edit: EditToken | null): Node | null {
    if (!Array.isArray(edited)) return dropSingleChildLevels(edited);
    if (edited.length === 0) return null;
    let level = edited;
    while (level.length > 1) level = chunks(level).map((part) => newInner(part, edit));
    return dropSingleChildLevels(level[0]!);
  }
}

function dropSingleChildLevels(root: Node): Node {
  while (!root.leaf && root.kids.length === 1) root = root.kids[0]!;
  return root;
}

/** The path down to the leaf holding the position of addr: the inner nodes with the child taken in each, and the leaf. */
function pathTo(root: Node, addr: number): { readonly stack: { node: Inner; i: number }[]; readonly leaf: Leaf } {
  const stack: { node: Inner; i: number }[] = [];
  let n = root;
  while (!n.leaf) {
    const i = childFor(n.ends, addr);
    stack.push({ node: n, i });
    n = n.kids[i]!;
  }
  return { stack, leaf: n };
}

function lastOf(n: Node): Vma {
  while (!n.leaf) n = n.kids[n.kids.length - 1]!;
  return n.vmas[n.vmas.length - 1]!;
}
