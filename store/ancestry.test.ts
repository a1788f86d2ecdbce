import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ancestorAtDepth, jumpForChild, type AncestryLinks } from './ancestry.js';

/** A tree grown one leaf at a time, as a history grows; counts lookups. */
function grow(parents: readonly number[]) {
  const nodes: AncestryLinks[] = [{ parent: null, depth: 0, jump: 0 }];
  let lookups = 0;
  const node = (s: number) => {
    lookups++;
    return nodes[s]!;
  };
  for (const p of parents) {
    nodes.push({ parent: p, depth: nodes[p]!.depth + 1, jump: jumpForChild(p, node) });
  }
  return {
    nodes,
    node,
    count<T>(f: () => T): { value: T; lookups: number } {
      lookups = 0;
      const value = f();
      return { value, lookups };
    },
  };
}

describe('ancestorAtDepth', () => {
  test('finds the same ancestor as walking up the parents, on any tree', () => {
    const tree = fc
      .array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 400 })
      .map((picks) => picks.map((k, i) => k % (i + 1))); // each new event hangs under an older one
    fc.assert(
      fc.property(tree, fc.nat(), fc.nat(), (parents, a, b) => {
        const t = grow(parents);
        const x = a % t.nodes.length;
        const d = b % (t.nodes[x]!.depth + 1);
        let y = x;
        while (t.nodes[y]!.depth > d) y = t.nodes[y]!.parent!;
        expect(ancestorAtDepth(x, d, t.node)).toBe(y);
      }),
    );
  });

  test('takes O(log n) lookups on a branch of a million events', () => {
    const n = 1_000_000;
    const t = grow(Array.from({ length: n }, (_, i) => i));
    let worst = 0;
    for (let k = 0; k < 2000; k++) {
      const x = n - ((k * 7919) % 1000);
      const d = (k * 104_729) % x;
      const r = t.count(() => ancestorAtDepth(x, d, t.node));
      expect(r.value).toBe(d);
      worst = Math.max(worst, r.lookups);
    }
    // At most two lookups a step and O(log n) steps (here about 65 lookups);
    // walking the parents would take up to a million.
    expect(worst).toBeLessThanOrEqual(5 * Math.log2(n));
  });
});
