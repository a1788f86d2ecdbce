import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PVec } from './pvec.js';

type Op = { k: 'push'; v: number } | { k: 'pop' } | { k: 'set'; at: number; v: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.integer().map((v) => ({ k: 'push', v }) as Op) },
  { weight: 2, arbitrary: fc.constant({ k: 'pop' } as Op) },
  { weight: 2, arbitrary: fc.tuple(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer()).map(([at, v]) => ({ k: 'set', at, v }) as Op) },
);

describe('PVec', () => {
  test('behaves like an array under push, pop and set, and every old version stays as it was', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 200, maxLength: 3000 }), (ops) => {
        let v = PVec.empty<number>();
        let a: number[] = [];
        const versions: [PVec<number>, number[]][] = [];
        let count = 0;
        for (const o of ops) {
          count++;
          if (o.k === 'push') {
            v = v.push(o.v);
            a = [...a, o.v];
          } else if (o.k === 'pop') {
            if (a.length === 0) continue;
            v = v.pop();
            a = a.slice(0, -1);
          } else {
            if (a.length === 0) continue;
            const i = Math.floor(o.at * a.length);
            v = v.set(i, o.v);
            a = a.slice();
            a[i] = o.v;
          }
          if (count < 50 || count % 37 === 0) versions.push([v, a]);
        }
        expect(v.size).toBe(a.length);
        expect(v.toArray()).toEqual(a);
        for (let i = 0; i < a.length; i += 7) expect(v.get(i)).toBe(a[i]);
        for (const [old, arr] of versions) expect(old.toArray()).toEqual(arr);
      }),
      { numRuns: 60 },
    );
  });

  test('operations on any old version (branches) leave every other version as it was', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), op), { minLength: 100, maxLength: 1500 }), (steps) => {
        const versions: [PVec<number>, number[]][] = [[PVec.empty<number>(), []]];
        for (const [pick, o] of steps) {
          const [v, a] = versions[pick % versions.length]!;
          if (o.k === 'push') versions.push([v.push(o.v), [...a, o.v]]);
          else if (a.length === 0) continue;
          else if (o.k === 'pop') versions.push([v.pop(), a.slice(0, -1)]);
          else if (o.at < 0.3) {
            // set then push in one step, as the history does
            const i = Math.floor((o.at / 0.3) * a.length);
            const b = a.slice();
            b[i] = o.v;
            versions.push([v.setThenPush(i, o.v, -o.v), [...b, -o.v]]);
          }
          else {
            const i = Math.floor(o.at * a.length);
            const b = a.slice();
            b[i] = o.v;
            versions.push([v.set(i, o.v), b]);
          }
        }
        for (const [v, a] of versions) {
          expect(v.size).toBe(a.length);
          expect(v.toArray()).toEqual(a);
          expect(v.last()).toBe(a[a.length - 1]);
        }
      }),
      { numRuns: 60 },
    );
  });

  test('grows and shrinks across several trie levels', () => {
    const n = 40_000;
    let v = PVec.empty<number>();
    for (let i = 0; i < n; i++) v = v.push(i);
    expect(v.size).toBe(n);
    for (let i = 0; i < n; i += 997) expect(v.get(i)).toBe(i);
    expect(Array.from(v.range(1020, 1060))).toEqual(Array.from({ length: 40 }, (_, i) => 1020 + i));
    const w = v.set(12_345, -1);
    expect(w.get(12_345)).toBe(-1);
    expect(v.get(12_345)).toBe(12_345);
    for (let i = n; i > 0; i--) v = v.pop();
    expect(v.size).toBe(0);
    expect(v.get(0)).toBeUndefined();
  });

  test('get outside the vector is undefined; set outside it throws', () => {
    const v = PVec.from([1, 2, 3]);
    expect(v.get(-1)).toBeUndefined();
    expect(v.get(3)).toBeUndefined();
    expect(v.get(1.5)).toBeUndefined();
    expect(() => v.set(3, 0)).toThrow(RangeError);
  });

  test('lastWhere finds the end of a prefix', () => {
    const v = PVec.from([9, 7, 5, 3, 1]);
    expect(v.lastWhere((x) => x > 4)).toBe(2);
    expect(v.lastWhere((x) => x > 100)).toBe(-1);
    expect(v.lastWhere((x) => x > 0)).toBe(4);
  });
});
