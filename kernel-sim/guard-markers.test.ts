import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GuardMarkers, type GuardRange } from './guard-markers.js';

const P = 4096;
const B = 0x100000000000;
const PAGES = 48;

type Op = { kind: 'add' | 'clear'; from: number; to: number } | { kind: 'move'; from: number; to: number; by: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('add' as const, 'clear' as const), from: fc.nat({ max: PAGES }), to: fc.nat({ max: PAGES }) }),
  fc.record({ kind: fc.constant('move' as const), from: fc.nat({ max: PAGES }), to: fc.nat({ max: PAGES }), by: fc.integer({ min: -PAGES, max: PAGES }) }),
);

/** The model: one flag per page, as the markers were once kept. */
function applyToPages(pages: Set<number>, o: Op): Set<number> {
  const lo = Math.min(o.from, o.to);
  const hi = Math.max(o.from, o.to);
  const next = new Set(pages);
  if (o.kind === 'add') for (let p = lo; p < hi; p++) next.add(p);
  if (o.kind === 'clear') for (let p = lo; p < hi; p++) next.delete(p);
  if (o.kind === 'move') {
    const moved = [...pages].filter((p) => p >= lo && p < hi);
    for (const p of moved) next.delete(p);
    for (const p of moved) next.add(p + o.by);
  }
  return next;
}

function applyToMarkers(g: GuardMarkers, o: Op): GuardMarkers {
  const lo = B + Math.min(o.from, o.to) * P;
  const hi = B + Math.max(o.from, o.to) * P;
  if (o.kind === 'add') return g.add(lo, hi);
  if (o.kind === 'clear') return g.clear(lo, hi);
  return g.move(lo, hi, o.by * P);
}

/** Runs of consecutive pages, as byte ranges. */
function rangesOf(pages: Set<number>): GuardRange[] {
  const out: GuardRange[] = [];
  for (const p of [...pages].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last && last.end === B + p * P) out[out.length - 1] = { start: last.start, end: last.end + P };
    else out.push({ start: B + p * P, end: B + (p + 1) * P });
  }
  return out;
}

describe('GuardMarkers', () => {
  it('add, clear and move mark the same pages as a per-page list, as touching-free ranges', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let pages = new Set<number>();
        let g = GuardMarkers.EMPTY;
        for (const o of ops) {
          const before = g.toArray();
          const old = g;
          pages = applyToPages(pages, o);
          g = applyToMarkers(g, o);
          // Persistent: the version an update started from is unchanged.
          expect(old.toArray()).toEqual(before);
          expect(g.toArray()).toEqual(rangesOf(pages));
        }
        for (let s = -2; s <= PAGES + 2; s += 3)
          for (let e = s; e <= PAGES + 4; e += 5) {
            const inside = [...pages].filter((p) => p >= s && p < e).sort((a, b) => a - b);
            expect(g.firstIn(B + s * P, B + e * P)).toBe(inside.length ? B + inside[0]! * P : null);
            expect(g.hasIn(B + s * P, B + e * P)).toBe(inside.length > 0);
            expect(g.within(B + s * P, B + e * P)).toEqual(rangesOf(new Set(inside)));
          }
      }),
      { numRuns: 300 },
    );
  });

  it('the same pages make the same structure, whatever the calls that marked them', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let g = GuardMarkers.EMPTY;
        for (const o of ops) g = applyToMarkers(g, o);
        const rebuilt = GuardMarkers.of([...g.toArray()].reverse());
        expect(rebuilt).toEqual(g);
      }),
      { numRuns: 200 },
    );
  });

  it('a call that changes nothing gives back the same markers', () => {
    const g = GuardMarkers.EMPTY.add(B, B + 8 * P);
    expect(g.add(B + P, B + 3 * P)).toBe(g);
    expect(g.clear(B + 8 * P, B + 12 * P)).toBe(g);
    expect(g.move(B + 8 * P, B + 12 * P, P)).toBe(g);
    expect(GuardMarkers.EMPTY.clear(B, B + P)).toBe(GuardMarkers.EMPTY);
  });

  it('a range costs the same whatever its size: 1 TiB holes in 1 TiB of markers', () => {
    const TiB = 2 ** 40;
    let g = GuardMarkers.EMPTY.add(B, B + TiB);
    for (let i = 1; i < 1000; i++) g = g.clear(B + i * 2 ** 30, B + i * 2 ** 30 + P);
    expect(g.toArray()).toHaveLength(1000);
    expect(g.firstIn(B + 2 ** 30, B + TiB)).toBe(B + 2 ** 30 + P);
    expect(g.toArray().at(-1)).toEqual({ start: B + 999 * 2 ** 30 + P, end: B + TiB });
  });

  it('stays shallow over many ranges laid out in order (recursion would overflow otherwise)', () => {
    let g = GuardMarkers.EMPTY;
    for (let i = 0; i < 200_000; i++) g = g.add(B + 2 * i * P, B + (2 * i + 1) * P);
    expect(g.firstIn(B + 2 * 199_999 * P, B + 2 * 200_000 * P)).toBe(B + 2 * 199_999 * P);
    g = g.clear(B + P, B + 2 * 199_999 * P);
    expect(g.toArray()).toEqual([
      { start: B, end: B + P },
      { start: B + 2 * 199_999 * P, end: B + (2 * 199_999 + 1) * P },
    ]);
  });
});
