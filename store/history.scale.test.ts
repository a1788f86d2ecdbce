/**
 * A million events: memory stays reasonable and reaching any event replays
 * at most one checkpoint gap. No timing here (bench/store-bench.ts prints
 * figures); the checks count work instead.
 */
import { expect, test } from 'vitest';
import { History } from './history.js';
import { DEFAULT_CHECKPOINTS } from './state-keeper.js';

const N = 1_000_000;

test('a million appends fit in memory, and goto reaches any of them replaying at most one checkpoint gap', () => {
  let applied = 0;
  const reducer = {
    apply: (s: number, c: number) => {
      applied++;
      return { state: s + c, result: 0 };
    },
  };
  const heapBefore = process.memoryUsage().heapUsed;
  let h = History.create({ reducer, initial: 0, canonical: () => 'add 1', summarize: () => '0', clock: () => 0 });
  for (let i = 0; i < N; i++) h = h.append(1).history;
  const perEvent = (process.memoryUsage().heapUsed - heapBefore) / N;
  // Measured at about 240 bytes an event; a copied event table would be far more.
  expect(perEvent).toBeLessThan(1000);
  expect(applied).toBe(N);

  // Back to the start, to the end, and far across: the state is rebuilt from the nearest
  // checkpoint, never from further back.
  for (const seq of [1, N, 17, N / 2, 0, N - 1, 777_777]) {
    const before = applied;
    const r = h.goto(seq);
    if (!r.ok) throw new Error(r.error.message);
    h = r.history;
    expect(h.current.state).toBe(seq);
    expect(applied - before).toBeLessThan(DEFAULT_CHECKPOINTS.maxGap);
  }
  // Looking again costs nothing: the states just rebuilt are cached.
  const settled = applied;
  expect(h.stateAt(777_777)).toBe(777_777);
  expect(h.stateAt(N - 1)).toBe(N - 1);
  expect(applied).toBe(settled);

  // A branch far down, then undo all the way and redo back: the path is remembered.
  h = h.append(1000).history;
  const head = h.position;
  h = h.undo(Infinity).history;
  expect(h.position).toBe(0);
  expect(h.redo(Infinity).history.position).toBe(head);
  expect(h.redo(Infinity).history.current.state).toBe(777_777 + 1000);
});
