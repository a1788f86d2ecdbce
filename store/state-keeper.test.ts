import fc from 'fast-check';
import { expect, test } from 'vitest';
import { History } from './history.js';
import { KEEP_EVERY_STATE, type CheckpointPolicy } from './state-keeper.js';
import { toyArray, toyReducer, toySummary, toyText, type ToyCommand, type ToyResult, type ToyStack } from './testing/toy.js';

type Toy = History<ToyStack, ToyCommand, ToyResult>;

/** A history whose reducer counts its calls. */
function counted(checkpoints: CheckpointPolicy): { h: Toy; calls: () => number } {
  let calls = 0;
  const reducer = { apply: (s: ToyStack, c: ToyCommand) => (calls++, toyReducer.apply(s, c)) };
  return { h: History.create({ reducer, initial: null, canonical: toyText, summarize: toySummary, checkpoints }), calls: () => calls };
}

type Step = { readonly kind: 'push'; readonly value: number } | { readonly kind: 'goto'; readonly at: number };

test('states rebuilt from checkpoints are the states of a history that keeps them all, on every branch', () => {
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 99 }).map((value) => ({ kind: 'push' as const, value })) },
    { weight: 1, arbitrary: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }).map((at) => ({ kind: 'goto' as const, at })) },
  );
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 300 }), fc.integer({ min: 2, max: 20 }), (steps, gap) => {
      // No time budget: a checkpoint every `gap` events along each path.
      let sparse = counted({ budgetUs: Number.MAX_SAFE_INTEGER, maxGap: gap }).h;
      let full = counted(KEEP_EVERY_STATE).h;
      for (const s of steps) {
        if (s.kind === 'push') {
          sparse = sparse.append({ op: 'push', value: s.value }).history;
          full = full.append({ op: 'push', value: s.value }).history;
        } else {
          const seq = Math.floor(s.at * full.size);
          const a = sparse.goto(seq);
          const b = full.goto(seq);
          if (!a.ok || !b.ok) throw new Error('goto failed');
          sparse = a.history;
          full = b.history;
        }
      }
      expect(full.replayed).toBe(0);
      // Backwards, so that the cache of recent states does not hide the replays.
      for (let seq = full.newest; seq >= 0; seq--) expect(toyArray(sparse.stateAt(seq)!)).toEqual(toyArray(full.stateAt(seq)!));
    }),
    { numRuns: 150 },
  );
});

test('a rebuilt state replays at most one gap of events, and a second look costs nothing', () => {
  const { h: start, calls } = counted({ budgetUs: Number.MAX_SAFE_INTEGER, maxGap: 50 });
  let h = start;
  for (let i = 0; i < 1_000; i++) h = h.append({ op: 'push', value: i % 7 }).history;
  const appended = calls();
  for (const seq of [999, 1, 500, 777, 49, 50, 51]) {
    const before = calls();
    expect(toyArray(h.stateAt(seq)!)).toHaveLength(seq);
    expect(calls() - before).toBeLessThan(50);
    const again = calls();
    h.stateAt(seq);
    expect(calls()).toBe(again);
  }
  expect(appended).toBe(1_000);
});

test('the current state stays the same object while other states are rebuilt around it', () => {
  let h = counted({ budgetUs: Number.MAX_SAFE_INTEGER, maxGap: 10 }).h;
  for (let i = 0; i < 300; i++) h = h.append({ op: 'push', value: i }).history;
  const head = h.current.state;
  // Looking at every other event (as an export walks the path) rebuilds hundreds of states.
  for (let seq = 0; seq <= h.newest; seq++) h.stateAt(seq);
  expect(h.current.state).toBe(head);
  const r = h.goto(155);
  if (!r.ok) throw new Error(r.error.message);
  const there = r.history.current.state;
  for (let seq = h.newest; seq >= 0; seq--) h.stateAt(seq);
  expect(r.history.current.state).toBe(there);
  expect(toyArray(there)).toEqual(toyArray(h.stateAt(155)!));
});
