import { describe, expect, test } from 'vitest';
import { History } from './history.js';
import { toyArray, toyReducer, toySummary, toyText, type ToyCommand, type ToyResult, type ToyStack } from './testing/toy.js';

type Toy = History<ToyStack, ToyCommand, ToyResult>;

function fresh(): Toy {
  let t = 1_000;
  return History.create({ reducer: toyReducer, initial: null, canonical: toyText, summarize: toySummary, clock: () => (t += 5), startTime: 7 });
}

function pushAll(h: Toy, ...values: number[]): Toy {
  for (const value of values) h = h.append({ op: 'push', value }).history;
  return h;
}

function goto(h: Toy, seq: number): Toy {
  const r = h.goto(seq);
  if (!r.ok) throw new Error(r.error.message);
  return r.history;
}

describe('events', () => {
  test('event 0 is the empty start', () => {
    const h = fresh();
    expect(h.size).toBe(1);
    expect(h.position).toBe(0);
    expect(h.current).toMatchObject({ seq: 0, parent: null, depth: 0, text: '', command: null, result: null, summary: '', time: 7, state: null });
  });

  test('appends are numbered 1, 2, 3 with parent, text, result, summary, time and state', () => {
    const h = pushAll(fresh(), 10, 20).append({ op: 'pop' }).history;
    expect(h.size).toBe(4);
    expect(h.event(3)).toMatchObject({ seq: 3, parent: 2, depth: 3, text: 'pop', result: 20, summary: '20', time: 1015 });
    expect(toyArray(h.stateAt(3)!)).toEqual([10]);
    expect(toyArray(h.stateAt(2)!)).toEqual([10, 20]);
    expect(h.append({ op: 'pop' }, { time: 42 }).event.time).toBe(42);
  });

  test('every operation returns a new history and leaves the old one as it was', () => {
    const a = pushAll(fresh(), 1, 2);
    const b = a.undo().history;
    const c = b.append({ op: 'push', value: 3 }).history;
    expect([a.position, a.size]).toEqual([2, 3]);
    expect([b.position, b.size]).toEqual([1, 3]);
    expect([c.position, c.size]).toEqual([3, 4]);
  });

  test('a history in JSON is a summary, not its events', () => {
    expect(JSON.stringify({ h: pushAll(fresh(), 1, 2, 3) })).toBe('{"h":{"events":4,"position":3}}');
  });
});

describe('undo, redo, goto', () => {
  test('undo steps back along the parents and stops at event 0', () => {
    const h = pushAll(fresh(), 1, 2, 3);
    expect(h.undo(2)).toMatchObject({ kind: 'undo', from: 3, to: 1, steps: 2 });
    expect(h.undo(10)).toMatchObject({ to: 0, steps: 3 });
    const at0 = h.undo(3).history;
    expect(at0.undo()).toMatchObject({ to: 0, steps: 0, history: at0 });
  });

  test('redo stops where there is no child', () => {
    const h = pushAll(fresh(), 1, 2, 3).undo(2).history;
    expect(h.redo(5)).toMatchObject({ kind: 'redo', from: 1, to: 3, steps: 2 });
    expect(h.redo(5).history.redoTarget()).toBeNull();
  });

  test('after an undo, the next event starts a branch; the events left behind stay reachable', () => {
    //  0 ─ 1 ─ 2 ─ 3
    //       └─ 4
    let h = pushAll(fresh(), 1, 2, 3).undo(2).history;
    h = h.append({ op: 'push', value: 4 }).history;
    expect(h.current).toMatchObject({ seq: 4, parent: 1 });
    expect(h.children(1)).toEqual([2, 4]);
    expect(toyArray(goto(h, 3).current.state)).toEqual([1, 2, 3]);
    expect(toyArray(goto(h, 4).current.state)).toEqual([1, 4]);
  });

  test('goto to an event that does not exist is an error value', () => {
    const h = pushAll(fresh(), 1);
    for (const seq of [2, -1, 1.5, Number.NaN]) {
      const r = h.goto(seq);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ kind: 'no-such-event', seq, newest: 1 });
    }
    const r = h.goto(5);
    expect(!r.ok && r.error.message).toBe('There is no event 5: events are numbered 0 to 1.');
  });

  test('redo goes to the child most recently left, else to the newest child', () => {
    //  0 ─ 1 ─ 2 ─ 3
    //       └─ 4 ─ 5
    let h = pushAll(fresh(), 1, 2, 3).undo(2).history;
    h = pushAll(h, 4, 5);
    // Left 5 last: redo from 1 goes back down to 5.
    expect(goto(h, 1).redo(9).history.position).toBe(5);
    // Left 3 last (goto 3, then goto 0): redo from 0 goes down to 3.
    expect(goto(goto(h, 3), 0).redo(9).history.position).toBe(3);
    // Leaving 3 for 2 does not leave the subtree of 2: at 1, 2 is the child left last.
    expect(goto(goto(goto(goto(h, 3), 2), 5), 1).redoTarget()).toBe(4);
    expect(goto(goto(goto(h, 5), 3), 2).undo().history.redoTarget()).toBe(2);
  });

  test('redo after a move across chains (the picture in redo-memory.ts)', () => {
    //  0 ─ 1 ─ 2 ─ 3 ─ 4
    //           └─ 5 ─ 6
    let h = pushAll(fresh(), 1, 2, 3, 4).undo(2).history;
    h = pushAll(h, 5, 6);
    h = goto(h, 1);
    expect(h.redo(1).history.position).toBe(2);
    expect(h.redo(2).history.position).toBe(5);
    expect(h.redo(3).history.position).toBe(6);
    // Then visiting 4 and coming back to 0 makes redo head for 4.
    h = goto(goto(h, 4), 0);
    expect(h.redo(10).history.position).toBe(4);
  });

  test('a step count must be a whole number', () => {
    expect(() => fresh().undo(-1)).toThrow(RangeError);
    expect(() => fresh().redo(0.5)).toThrow(RangeError);
    expect(fresh().undo(Infinity).steps).toBe(0);
  });
});

describe('back and forward', () => {
  test('back returns to the positions made current before, forward undoes back', () => {
    let h = pushAll(fresh(), 1, 2, 3); // positions 0, 1, 2, 3
    h = goto(h, 1); // 1
    h = h.redo(2).history; // 3
    expect(h.trailRoom).toEqual({ back: 5, forward: 0 });
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      h = h.back().history;
      seen.push(h.position);
    }
    expect(seen).toEqual([1, 3, 2, 1, 0, 0]);
    expect(h.forward(2).history.position).toBe(2);
    expect(h.forward(99)).toMatchObject({ kind: 'forward', from: 0, to: 3, steps: 5 });
  });

  test('a move after back drops what forward would have returned to', () => {
    let h = pushAll(fresh(), 1, 2, 3);
    h = h.back(2).history; // at 1
    h = h.append({ op: 'push', value: 4 }).history; // event 4, child of 1
    expect(h.trailRoom).toEqual({ back: 2, forward: 0 });
    expect(h.back().history.position).toBe(1);
    expect(h.back(2).history.position).toBe(0);
  });

  test('without branches and gotos, back and forward step like undo and redo', () => {
    const h = pushAll(fresh(), 1, 2, 3, 4);
    expect(h.back(3).history.position).toBe(h.undo(3).history.position);
    expect(h.back(3).history.forward(2).history.position).toBe(h.undo(3).history.redo(2).history.position);
  });
});

describe('list and branches', () => {
  test('list shows every event with the current path', () => {
    let h = pushAll(fresh(), 1, 2).undo().history;
    h = pushAll(h, 3);
    const l = h.list();
    expect(l.current).toBe(3);
    expect(l.newest).toBe(3);
    expect(l.entries.map((e) => [e.seq, e.text, e.onPath, e.isCurrent, e.childCount])).toEqual([
      [0, '', true, false, 1],
      [1, 'push 1', true, false, 2],
      [2, 'push 2', false, false, 0],
      [3, 'push 3', true, true, 0],
    ]);
    expect(h.list({ from: 2, to: 2 }).entries.map((e) => e.seq)).toEqual([2]);
    expect(h.list({ from: 5 }).entries).toEqual([]);
  });

  test('branches: each head with its own events and where it forks', () => {
    //  0 ─ 1 ─ 2 ─ 3
    //       ├─ 4 ─ 5
    //       │   └─ 6
    //       └─ 7
    let h = pushAll(fresh(), 1, 2, 3).undo(2).history;
    h = pushAll(h, 4, 5).undo().history;
    h = pushAll(h, 6);
    h = pushAll(goto(h, 1), 7);
    h = goto(h, 6);
    const r = (first: number, last: number) => ({ first, last });
    expect(h.branches()).toEqual([
      { head: 3, depth: 3, forkedFrom: null, own: [r(0, 3)], containsCurrent: false, path: [r(0, 3)] },
      { head: 5, depth: 3, forkedFrom: 1, own: [r(4, 5)], containsCurrent: false, path: [r(0, 1), r(4, 5)] },
      { head: 6, depth: 3, forkedFrom: 4, own: [r(6, 6)], containsCurrent: true, path: [r(0, 1), r(4, 4), r(6, 6)] },
      { head: 7, depth: 2, forkedFrom: 1, own: [r(7, 7)], containsCurrent: false, path: [r(0, 1), r(7, 7)] },
    ]);
    expect(h.pathRuns(6)).toEqual(h.branches()[2]!.path);
    expect(goto(h, 1).branches().every((b) => b.containsCurrent)).toBe(true);
  });

  test('path, children and ancestry', () => {
    let h = pushAll(fresh(), 1, 2).undo().history;
    h = pushAll(h, 3);
    expect(h.path(3)).toEqual([0, 1, 3]);
    expect(h.path(9)).toEqual([]);
    expect(h.children(1)).toEqual([2, 3]);
    expect(h.isAncestor(1, 3)).toBe(true);
    expect(h.isAncestor(2, 3)).toBe(false);
    expect(h.isAncestor(3, 3)).toBe(true);
    expect(h.atHead).toBe(true);
    expect(h.undo().history.atHead).toBe(false);
  });
});
