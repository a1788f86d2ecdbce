import { describe, expect, test } from 'vitest';
import { createActor, initialTransition, transition } from 'xstate';
import { History } from './history.js';
import { JournalWriter } from './journal.js';
import { createSessionMachine } from './session-machine.js';
import { MemoryFs, errno } from './testing/memory-fs.js';
import { toyReducer, toySummary, toyText, type ToyCommand, type ToyResult, type ToyStack } from './testing/toy.js';

const machine = createSessionMachine<ToyStack, ToyCommand, ToyResult>();

function fresh(): History<ToyStack, ToyCommand, ToyResult> {
  let t = 0;
  return History.create({ reducer: toyReducer, initial: null, canonical: toyText, summarize: toySummary, clock: () => ++t });
}

const push = (value: number) => ({ type: 'COMMAND' as const, command: { op: 'push' as const, value } });

function start(history = fresh(), journal: JournalWriter | null = null) {
  const actor = createActor(machine, { input: { history, journal } });
  actor.start();
  return actor;
}

describe('session modes', () => {
  test('a new session is at the head; commands keep it there', () => {
    const a = start();
    expect(a.getSnapshot().value).toBe('atHead');
    a.send(push(1));
    a.send(push(2));
    const s = a.getSnapshot();
    expect(s.value).toBe('atHead');
    expect(s.context.outcome).toEqual({ kind: 'appended', seq: 2, parent: 1, summary: '2' });
    expect(s.context.history.position).toBe(2);
  });

  test('undo views the past; a command there starts a branch and is at its head', () => {
    const a = start();
    a.send(push(1));
    a.send(push(2));
    a.send({ type: 'UNDO' });
    expect(a.getSnapshot().value).toBe('viewingPast');
    expect(a.getSnapshot().context.outcome).toEqual({ kind: 'moved', op: 'undo', from: 2, to: 1, steps: 1 });
    a.send(push(3));
    const s = a.getSnapshot();
    expect(s.value).toBe('atHead');
    expect(s.context.outcome).toEqual({ kind: 'appended', seq: 3, parent: 1, summary: '2' });
    expect(s.context.history.children(1)).toEqual([2, 3]);
    a.send({ type: 'GOTO', seq: 2 });
    expect(a.getSnapshot().value).toBe('atHead');
  });

  test('goto, redo, back and forward move between the modes', () => {
    const a = start();
    for (let i = 1; i <= 4; i++) a.send(push(i));
    a.send({ type: 'GOTO', seq: 1 });
    expect(a.getSnapshot().value).toBe('viewingPast');
    a.send({ type: 'REDO', n: 2 });
    expect(a.getSnapshot().context.history.position).toBe(3);
    a.send({ type: 'BACK' });
    expect(a.getSnapshot().context.history.position).toBe(1);
    a.send({ type: 'BACK' });
    expect(a.getSnapshot().context.history.position).toBe(4);
    expect(a.getSnapshot().value).toBe('atHead');
    a.send({ type: 'FORWARD', n: 2 });
    expect(a.getSnapshot().context.history.position).toBe(3);
    expect(a.getSnapshot().value).toBe('viewingPast');
  });

  test('what the history does not allow is refused with what to do instead, and nothing changes', () => {
    const a = start();
    const refused = (ev: Parameters<typeof a.send>[0]) => {
      const before = a.getSnapshot();
      a.send(ev);
      const after = a.getSnapshot();
      expect(after.value).toBe(before.value);
      expect(after.context.history).toBe(before.context.history);
      const o = after.context.outcome;
      return o?.kind === 'refused' ? o.message : `not refused: ${JSON.stringify(o)}`;
    };
    expect(refused({ type: 'UNDO' })).toBe('Nothing to undo: the position is event 0, the empty start. `redo` or `goto N` move forward.');
    expect(refused({ type: 'BACK' })).toMatch(/^Nothing to go back to: .* `undo` steps to the parent event\.$/);
    a.send(push(1));
    expect(refused({ type: 'REDO' })).toMatch(/^Nothing to redo: event 1 has no later event\. .*`goto N` reaches any of them\.$/);
    expect(refused({ type: 'GOTO', seq: 7 })).toBe('There is no event 7: events are numbered 0 to 1. `history` lists them.');
    expect(refused({ type: 'FORWARD' })).toMatch(/^Nothing to go forward to/);
    expect(refused({ type: 'REPLAY_START', source: 'j.jsonl', total: 3 })).toMatch(
      /^A journal can only be replayed into a new session: this one has 1 event already\. Start a new session/,
    );
    expect(refused({ type: 'EXPORT_DONE', ok: true, message: '' })).toBe('No export is being written.');
  });
});

describe('replaying and exporting', () => {
  test('while replaying, commands and moves wait; REPLAY_DONE hands over the history', () => {
    const a = start();
    a.send({ type: 'REPLAY_START', source: 'session.jsonl', total: 200 });
    expect(a.getSnapshot().value).toBe('replaying');
    a.send({ type: 'REPLAY_PROGRESS', done: 50, total: 200 });
    a.send(push(1));
    expect(a.getSnapshot().context.outcome).toEqual({
      kind: 'refused',
      message: 'The session is replaying session.jsonl (50 of 200 done): wait until it finishes, then run the command.',
    });
    a.send({ type: 'UNDO' });
    expect(a.getSnapshot().context.outcome).toMatchObject({ kind: 'refused', message: expect.stringContaining('then move through the history') });
    expect(a.getSnapshot().value).toBe('replaying');

    let replayed = fresh();
    for (let i = 1; i <= 3; i++) replayed = replayed.append({ op: 'push', value: i }).history;
    replayed = replayed.undo(1).history;
    a.send({ type: 'REPLAY_DONE', ok: true, message: 'Resumed: 3 events.', history: replayed });
    const s = a.getSnapshot();
    expect(s.value).toBe('viewingPast');
    expect(s.context.history).toBe(replayed);
    expect(s.context.replay).toBeNull();
    expect(s.context.outcome).toEqual({ kind: 'replayed', ok: true, message: 'Resumed: 3 events.' });
  });

  test('while exporting, commands, moves and a second export wait; then the mode before it returns', () => {
    const a = start();
    a.send(push(1));
    a.send(push(2));
    a.send({ type: 'UNDO' });
    a.send({ type: 'EXPORT_START', what: 'json to out.json' });
    expect(a.getSnapshot().value).toBe('exporting');
    a.send(push(9));
    expect(a.getSnapshot().context.outcome).toEqual({
      kind: 'refused',
      message: 'An export (json to out.json) is being written: wait until it finishes, then run the command.',
    });
    a.send({ type: 'EXPORT_START', what: 'maps to m' });
    expect(a.getSnapshot().context.outcome).toMatchObject({ kind: 'refused', message: expect.stringContaining('already') });
    expect(a.getSnapshot().context.history.size).toBe(3);
    a.send({ type: 'EXPORT_DONE', ok: true, message: 'Wrote out.json.' });
    expect(a.getSnapshot().value).toBe('viewingPast');
    expect(a.getSnapshot().context.outcome).toEqual({ kind: 'exported', ok: true, message: 'Wrote out.json.' });
  });
});

describe('journal', () => {
  test('commands and moves are journalled; a failed write changes nothing and says so', () => {
    const mem = new MemoryFs();
    const journal = JournalWriter.create('/j/s.jsonl', { fs: mem, now: () => 0 });
    const a = start(fresh(), journal);
    a.send(push(1));
    a.send({ type: 'UNDO' });
    expect(mem.text('/j/s.jsonl').trim().split('\n').map((l) => JSON.parse(l).kind)).toEqual(['header', 'event', 'move']);

    mem.fault = (op) => {
      if (op === 'write') throw errno('ENOSPC');
    };
    const before = a.getSnapshot();
    a.send(push(2));
    const after = a.getSnapshot();
    expect(after.context.history).toBe(before.context.history);
    expect(after.value).toBe('viewingPast');
    expect(after.context.outcome).toMatchObject({ kind: 'failed', code: 'ENOSPC', message: expect.stringMatching(/^Nothing changed: .*disk is full/) });
    a.send({ type: 'REDO' });
    expect(a.getSnapshot().context.history.position).toBe(0);
    expect(a.getSnapshot().context.outcome).toMatchObject({ kind: 'failed' });
  });
});

describe('snapshots', () => {
  test('the persisted snapshot is small JSON that names the history, not its events', () => {
    const a = start();
    for (let i = 0; i < 500; i++) a.send(push(i));
    const json = JSON.stringify(a.getPersistedSnapshot());
    expect(json.length).toBeLessThan(1000);
    expect(JSON.parse(json)).toMatchObject({ value: 'atHead', context: { history: { events: 501, position: 500 } } });
  });

  test('pure transitions replay the same way every time', () => {
    const input = { history: fresh() };
    const events = [push(1), push(2), { type: 'UNDO' as const }, push(3), { type: 'GOTO' as const, seq: 2 }, { type: 'BACK' as const }];
    const runOnce = () => {
      let [s] = initialTransition(machine, input);
      const seen: unknown[] = [];
      for (const e of events) {
        [s] = transition(machine, s, e);
        seen.push([s.value, s.context.history.position, s.context.outcome]);
      }
      return seen;
    };
    expect(runOnce()).toEqual(runOnce());
    expect(runOnce().at(-1)).toEqual(['atHead', 3, { kind: 'moved', op: 'back', from: 2, to: 3, steps: 1 }]);
  });
});
