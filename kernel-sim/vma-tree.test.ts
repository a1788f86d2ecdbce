import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VmaTree } from './vma-tree.js';
import type { Vma } from './vma.js';

const P = 4096;
function vma(i: number): Vma {
  return { start: i * 2 * P, end: i * 2 * P + P, pgoff: i, flags: 0, file: null, anonVma: null, anonVmaChain: [], anonName: null, hasClose: false };
}

describe('VmaTree', () => {
  it('splice, find and iteration match a plain array', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 }), fc.nat({ max: 4 })), { maxLength: 400 }), (ops) => {
        // Ids stand for VMAs; addresses are assigned from the order at check time.
        let model: number[] = [];
        let tree = VmaTree.EMPTY;
        const byId = new Map<number, Vma>();
        let nextId = 0;
        for (const [r, del, ins] of ops) {
          const rank = model.length ? r % (model.length + 1) : 0;
          const count = Math.min(del, model.length - rank);
          const ids = Array.from({ length: ins }, () => nextId++);
          model.splice(rank, count, ...ids);
          for (const id of ids) byId.set(id, { ...vma(0), pgoff: id });
          tree = tree.splice(rank, count, ids.map((id) => byId.get(id)!));
          expect(tree.size).toBe(model.length);
        }
        expect(tree.toArray().map((v) => v.pgoff)).toEqual(model);
        for (let i = 0; i < model.length; i++) expect(tree.at(i)!.pgoff).toBe(model[i]);
        const from = Math.floor(model.length / 3);
        expect([...tree.iterateFrom(from)].map((v) => v.pgoff)).toEqual(model.slice(from));
      }),
      { numRuns: 200 },
    );
  });

  it('finds by address', () => {
    const vmas = Array.from({ length: 5000 }, (_, i) => vma(i));
    let tree = VmaTree.EMPTY;
    for (const v of vmas) tree = tree.splice(tree.size, 0, [v]);
    expect(tree.size).toBe(5000);
    for (const i of [0, 1, 31, 32, 33, 1000, 4999]) {
      expect(tree.find(i * 2 * P)).toBe(vmas[i]);
      expect(tree.find(i * 2 * P + P)).toBeUndefined();
      expect(tree.findFrom(i * 2 * P + P)).toBe(vmas[i + 1]);
      expect(tree.findPrev(i * 2 * P + P)).toBe(vmas[i]);
      expect(tree.rankAfter(i * 2 * P)).toBe(i);
    }
    expect(tree.range(10 * 2 * P, 13 * 2 * P)).toEqual(vmas.slice(10, 13));
  });

  it('shares untouched nodes between versions', () => {
    const a = VmaTree.fromSorted(Array.from({ length: 10000 }, (_, i) => vma(i)));
    const b = a.splice(5000, 1, [{ ...vma(5000), flags: 1 }]);
    expect(a.at(5000)!.flags).toBe(0);
    expect(b.at(5000)!.flags).toBe(1);
    expect(b.at(4999)).toBe(a.at(4999));
  });
});
