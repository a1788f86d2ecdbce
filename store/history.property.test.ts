import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { History } from './history.js';
import { NaiveHistory } from './testing/naive-history.js';
import { applyNaive, applyOp, session, type ToyHistory } from './testing/ops.js';
import { toyArray, toyParse, toyReducer, toySummary, toyText, type ToyStack } from './testing/toy.js';

const unit = fc.integer({ min: 0, max: 1_000_000 }).map((i) => i / 1_000_000);

function fresh(): ToyHistory {
  let t = 0;
  return History.create({ reducer: toyReducer, initial: null, canonical: toyText, summarize: toySummary, clock: () => ++t });
}

function run(ops: Parameters<typeof applyOp>[1][]): ToyHistory {
  return ops.reduce(applyOp, fresh());
}

/** The state after event k, recomputed from nothing along its path. */
function replayPath(h: ToyHistory, k: number): ToyStack {
  let s: ToyStack = null;
  for (const seq of h.path(k).slice(1)) {
    const parsed = toyParse(h.event(seq)!.text);
    if (!parsed.ok) throw new Error(parsed.error);
    s = toyReducer.apply(s, parsed.command).state;
  }
  return s;
}

describe('history, against the rules written out naively', () => {
  test('every move lands where the naive model lands, and redo, back and forward agree', () => {
    fc.assert(
      fc.property(session(150), (ops) => {
        let h = fresh();
        const m = new NaiveHistory(toyReducer, null as ToyStack, toyText);
        for (const op of ops) {
          h = applyOp(h, op);
          applyNaive(m, op);
          expect(h.position).toBe(m.current);
          expect(h.redoTarget()).toBe(m.redoTarget());
          expect(h.trailRoom).toEqual(m.trailRoom);
        }
        expect(h.size).toBe(m.events.length);
        for (const e of m.events) {
          const got = h.event(e.seq)!;
          expect(got.parent).toBe(e.parent);
          expect(got.text).toBe(e.text);
          expect(toyArray(got.state)).toEqual(toyArray(e.state));
          expect(h.children(e.seq)).toEqual(e.children);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('history properties', () => {
  test('goto k gives the state a fresh replay of the path to k gives', () => {
    fc.assert(
      fc.property(session(), (ops) => {
        const h = run(ops);
        for (let k = 0; k < h.size; k++) {
          const r = h.goto(k);
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.history.position).toBe(k);
          expect(toyArray(r.history.current.state)).toEqual(toyArray(replayPath(h, k)));
        }
      }),
      { numRuns: 150 },
    );
  });

  test('undo n then redo n is the identity', () => {
    fc.assert(
      fc.property(session(), fc.integer({ min: 1, max: 12 }), (ops, n) => {
        const h = run(ops);
        const undone = h.undo(n);
        const back = undone.history.redo(undone.steps).history;
        expect(back.position).toBe(h.position);
        expect(back.current.state).toBe(h.current.state);
      }),
      { numRuns: 200 },
    );
  });

  test('every event stays reachable, with its own state, after any mix of moves and commands', () => {
    fc.assert(
      fc.property(session(), (ops) => {
        let h = fresh();
        const seen = new Map<number, ToyStack>();
        for (const op of ops) {
          h = applyOp(h, op);
          seen.set(h.position, h.current.state);
        }
        expect(h.size).toBe(1 + ops.filter((o) => o.k === 'push' || o.k === 'pop').length);
        // The same state, not always the same object: states the history does not keep are
        // rebuilt when asked for (store/state-keeper.ts); only the current one stays pinned.
        for (const [seq, state] of seen) {
          const r = h.goto(seq);
          expect(r.ok && toyArray(r.history.current.state)).toEqual(toyArray(state));
        }
      }),
      { numRuns: 150 },
    );
  });

  test('redo goes back down to the event most recently left', () => {
    fc.assert(
      fc.property(session(), unit, unit, (ops, at, up) => {
        const h0 = run(ops);
        const x = Math.min(h0.newest, Math.floor(at * h0.size));
        const r = h0.goto(x);
        if (!r.ok) throw new Error(r.error.message);
        const depth = r.history.current.depth;
        const n = Math.round(up * depth);
        const a = r.history.path(x)[depth - n]!;
        const g = r.history.goto(a);
        if (!g.ok) throw new Error(g.error.message);
        expect(g.history.redo(n).history.position).toBe(x);
      }),
      { numRuns: 200 },
    );
  });

  test('numbers are given in order and never reused', () => {
    fc.assert(
      fc.property(session(), (ops) => {
        const h = run(ops);
        const list = h.list();
        expect(list.entries.map((e) => e.seq)).toEqual(Array.from({ length: h.size }, (_, i) => i));
        for (const e of list.entries) if (e.parent !== null) expect(e.parent).toBeLessThan(e.seq);
      }),
      { numRuns: 50 },
    );
  });

  test('branches: one per event without children; own parts cover every event once and join the paths', () => {
    const expand = (runs: readonly { first: number; last: number }[]) =>
      runs.flatMap((r) => Array.from({ length: r.last - r.first + 1 }, (_, i) => r.first + i));
    fc.assert(
      fc.property(session(), (ops) => {
        const h = run(ops);
        const branches = h.branches();
        const leaves = h.list().entries.filter((e) => e.childCount === 0).map((e) => e.seq);
        expect(branches.map((b) => b.head)).toEqual(leaves);
        const owned: number[] = [];
        for (const b of branches) {
          const own = expand(b.own);
          owned.push(...own);
          const path = h.path(b.head);
          expect(expand(h.pathRuns(b.head))).toEqual(path);
          expect(b.path).toEqual(h.pathRuns(b.head));
          // The path is the fork's path followed by the branch's own events.
          expect(path).toEqual([...(b.forkedFrom === null ? [] : h.path(b.forkedFrom)), ...own]);
          expect(b.containsCurrent).toBe(path.includes(h.position));
        }
        expect(owned.sort((x, y) => x - y)).toEqual(Array.from({ length: h.size }, (_, i) => i));
        expect(branches.some((b) => b.containsCurrent)).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  test('list marks the path to the current event, whole or in a range', () => {
    fc.assert(
      fc.property(session(), fc.nat(), fc.nat(), (ops, a, b) => {
        const h = run(ops);
        const onPath = new Set(h.path(h.position));
        const from = a % h.size;
        const to = from + (b % (h.size - from));
        for (const list of [h.list(), h.list({ from, to })]) {
          for (const e of list.entries) {
            expect(e.onPath).toBe(onPath.has(e.seq));
            expect(e.isCurrent).toBe(e.seq === h.position);
          }
        }
        expect(h.list({ from, to }).entries.length).toBe(to - from + 1);
      }),
      { numRuns: 80 },
    );
  });

  test('old histories are untouched by later operations', () => {
    fc.assert(
      fc.property(session(60), session(60), (a, b) => {
        const h = run(a);
        const before = h.list();
        const redoBefore = h.redoTarget();
        b.reduce(applyOp, h);
        expect(h.list()).toEqual(before);
        expect(h.redoTarget()).toBe(redoBefore);
      }),
      { numRuns: 80 },
    );
  });
});
