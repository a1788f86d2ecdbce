import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newEditToken, VmaTree } from './vma-tree.js';
import type { Vma } from './vma.js';

const P = 4096;
/** VMA number i of a model: pages [2i, 2i+1), so that neighbours never touch. */
function vma(i: number, flags = 0): Vma {
  return { start: i * 2 * P, end: i * 2 * P + P, pgoff: i, flags, file: null, anonVma: null, anonVmaChain: [], anonName: null, hasClose: false };
}

/** findFrom, findPrev and find at one address, against the model. */
function expectLookups(tree: VmaTree, model: readonly number[], a: number): void {
  const after = model.find((s) => s * 2 * P + P > a);
  const before = model.filter((s) => s * 2 * P + P <= a);
  expect(tree.findFrom(a)?.pgoff).toBe(after);
  expect(tree.findPrev(a)?.pgoff).toBe(before[before.length - 1]);
  expect(tree.find(a)?.pgoff).toBe(after !== undefined && after * 2 * P <= a ? after : undefined);
}

/** The model: a sorted array of slot numbers, each standing for vma(slot). */
function check(tree: VmaTree, model: readonly number[], probes: readonly number[]): void {
  expect(tree.size).toBe(model.length);
  expect(tree.toArray().map((v) => v.pgoff)).toEqual(model);
  expect([...tree].map((v) => v.pgoff)).toEqual(model);
  for (const a of probes) {
    const after = model.filter((s) => s * 2 * P + P > a);
    const before = model.filter((s) => s * 2 * P + P <= a);
    expect(tree.findFrom(a)?.pgoff).toBe(after[0]);
    expect(tree.findPrev(a)?.pgoff).toBe(before[before.length - 1]);
    expect(tree.find(a)?.pgoff).toBe(model.find((s) => s * 2 * P <= a && a < s * 2 * P + P));
    expect([...tree.iterateFrom(a)].map((v) => v.pgoff)).toEqual(after);
    expect([...tree.iterateDownFrom(a)].map((v) => v.pgoff)).toEqual([...before].reverse());
    // Ranges that end in the first leaf, a few leaves on, and past the last VMA.
    for (const span of [P, 40 * P, 400 * P, Infinity]) {
      const inside = after.filter((s) => s * 2 * P < a + span);
      expect(tree.range(a, a + span).map((v) => v.pgoff)).toEqual(inside);
      expect(tree.countIn(a, a + span)).toBe(inside.length);
    }
  }
}

describe('VmaTree', () => {
  it('splice by address, find, findPrev and both iterations match a sorted array, with and without edit tokens', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 3000 }), fc.nat({ max: 70 }), fc.nat({ max: 70 }), fc.boolean()), { maxLength: 120 }),
        fc.array(fc.integer({ min: -1, max: 6100 * 2 * P }), { minLength: 1, maxLength: 8 }),
        (ops, probes) => {
          let model: number[] = [];
          let tree = VmaTree.EMPTY;
          // One token stands for one operation: several edits, then the tree is handed out.
          let token = newEditToken();
          const versions: { tree: VmaTree; model: number[] }[] = [];
          for (const [slot, del, ins, newOp] of ops) {
            // Remove `del` VMAs from the first at or above `slot`, insert `ins` fresh slots in their gap.
            const at = model.findIndex((s) => s >= slot);
            const rank = at < 0 ? model.length : at;
            const count = Math.min(del, model.length - rank);
            const lo = rank > 0 ? model[rank - 1]! + 1 : 0;
            const hi = rank + count < model.length ? model[rank + count]! : lo + 6000;
            const fresh = Array.from({ length: Math.min(ins, hi - lo) }, (_, k) => lo + k);
            const addr = rank < model.length ? model[rank]! * 2 * P : slot * 2 * P;
            tree = tree.splice(addr, count, fresh.map((s) => vma(s)), newOp ? null : token);
            model = [...model.slice(0, rank), ...fresh, ...model.slice(rank + count)];
            if (newOp) {
              token = newEditToken();
              versions.push({ tree, model });
            }
            expect(tree.size).toBe(model.length);
            // Lookups right after an edit, around it and elsewhere: the first ones start from the
            // leaf the edit left behind (or the last lookup's), the others move away from it.
            for (const a of [addr - 1, addr, addr + P, ...probes.slice(0, 2), addr + 2 * P]) expectLookups(tree, model, a);
          }
          check(tree, model, probes);
          // Versions handed out earlier were not changed by later edits in place: neither their
          // VMAs nor the ends that searches by address go by.
          for (const v of versions) {
            expect(v.tree.toArray().map((x) => x.pgoff)).toEqual(v.model);
            for (const slot of v.model) expect(v.tree.find(slot * 2 * P)?.pgoff).toBe(slot);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('finds by address in a tree built one VMA at a time', () => {
    const vmas = Array.from({ length: 5000 }, (_, i) => vma(i));
    let tree = VmaTree.EMPTY;
    for (const v of vmas) tree = tree.splice(v.start, 0, [v]);
    expect(tree.size).toBe(5000);
    for (const i of [0, 1, 31, 32, 33, 1000, 4999]) {
      expect(tree.find(i * 2 * P)).toBe(vmas[i]);
      expect(tree.find(i * 2 * P + P)).toBeUndefined();
      expect(tree.findFrom(i * 2 * P + P)).toBe(vmas[i + 1]);
      expect(tree.findPrev(i * 2 * P + P)).toBe(vmas[i]);
      expect(tree.findPrev(i * 2 * P)).toBe(vmas[i - 1]);
    }
    expect(tree.range(10 * 2 * P, 13 * 2 * P)).toEqual(vmas.slice(10, 13));
  });

  it('shares untouched VMAs and nodes between versions', () => {
    const a = VmaTree.fromSorted(Array.from({ length: 10000 }, (_, i) => vma(i)));
    const b = a.splice(vma(5000).start, 1, [vma(5000, 1)]);
    expect(a.find(vma(5000).start)!.flags).toBe(0);
    expect(b.find(vma(5000).start)!.flags).toBe(1);
    expect(b.find(vma(4999).start)).toBe(a.find(vma(4999).start));
  });

  it('edits in place under one token leave a version handed out before them as it was', () => {
    const all = Array.from({ length: 3000 }, (_, i) => vma(i));
    const before = VmaTree.fromSorted(all);
    const token = newEditToken();
    // First an edit that keeps every subtree's last end (a VMA changed in place), then, by the
    // same operation, removals that change them: every VMA in turn, so that some are last in theirs.
    let t = before.splice(vma(1500).start, 1, [vma(1500, 1)], token);
    for (let i = 0; i < 3000; i += 7) t = t.splice(vma(i).start, 1, [], token);
    for (const v of all) {
      expect(before.find(v.start)).toBe(v);
      expect(before.findFrom(v.start)).toBe(v);
      expect(before.findPrev(v.end)).toBe(v);
    }
    expect(t.size).toBe(3000 - Math.ceil(3000 / 7));
  });

  it('a splice past the last VMA is an error, not a silent short edit', () => {
    const t = VmaTree.fromSorted([vma(0), vma(1)]);
    expect(() => t.splice(vma(1).start, 2, [])).toThrow(RangeError);
  });
});
