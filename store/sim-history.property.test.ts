/**
 * The history with the real simulator as its reducer, driven the way
 * `vmasim run` drives it (commands/engine.ts) and the way the REPL does (the
 * session actor, with a journal):
 *
 * - `goto k` gives the state a fresh replay of the path to k gives, VMA list
 *   by VMA list, field by field;
 * - undo then redo is the identity;
 * - every event stays reachable, with its own state, after any mix of undo,
 *   redo, goto, back, forward and new commands;
 * - a journal written and resumed gives the same history (events, texts,
 *   results, times, position) and the same states, also across a resume in
 *   the middle of the session.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { actorSession, simHistoryOptions } from '../cli/repl/session.js';
import { openSession } from '../cli/repl/open-session.js';
import { applyCommand, currentState, execute, isStateCommand, newEngine, type Engine, type SimHistory } from '../commands/engine.js';
import { newParseContext } from '../commands/parse-context.js';
import { initialState, type SimState } from '../kernel-sim/state.js';
import { History } from './history.js';
import { JournalWriter } from './journal.js';
import { resumeHistory } from './resume.js';
import { MemoryFs } from './testing/memory-fs.js';
import { journalParser, parseCommand, runEngine, runSession, simSession, simView, type SimOp } from './testing/sim-session.js';

const FILES = ['f', 'g'];
const ctx = () => newParseContext(FILES);

/** The state after each event, recomputed from event 0 by parsing each event's text again and stepping it after its parent's. */
function replayedStates(h: SimHistory): SimState[] {
  const c = ctx();
  const states: SimState[] = [initialState()];
  for (let seq = 1; seq < h.size; seq++) {
    const e = h.event(seq)!;
    const { cmd } = parseCommand(e.text, c);
    if (!isStateCommand(cmd)) throw new Error(`event ${seq} '${e.text}' is not a state command`);
    const out = applyCommand(states[e.parent!]!, cmd);
    expect(out.errno ? `-1 ${out.errno}` : String(out.ret), `event ${seq} '${e.text}' result`).toBe(e.summary);
    states.push(out.state);
  }
  return states;
}

/** The path to k replayed in a new engine, line by line. */
function freshReplay(h: SimHistory, k: number): Engine {
  const c = ctx();
  let engine = newEngine();
  for (const seq of h.path(k).slice(1)) {
    const text = h.event(seq)!.text;
    const { cmd, canonical } = parseCommand(text, c);
    const out = execute(engine, cmd, canonical);
    expect(out.kind, `replaying event ${seq} '${text}'`).toBe('event');
    engine = out.engine;
  }
  return engine;
}

function gotoEngine(engine: Engine, k: number): Engine {
  const out = execute(engine, { kind: 'goto', n: BigInt(k) }, `goto ${k}`);
  expect(out.kind).toBe('moved');
  return out.engine;
}

function depth(h: SimHistory, seq: number): number {
  return h.path(seq).length - 1;
}

/** Same events (parent, text, result, time), same states field by field, same position. */
function expectSameHistory(got: SimHistory, want: SimHistory, opts: { readonly times: boolean }): void {
  expect(got.size).toBe(want.size);
  expect(got.position).toBe(want.position);
  for (let seq = 0; seq < want.size; seq++) {
    const a = got.event(seq)!;
    const b = want.event(seq)!;
    expect({ parent: a.parent, text: a.text, summary: a.summary }, `event ${seq}`).toEqual({ parent: b.parent, text: b.text, summary: b.summary });
    if (opts.times) expect(a.time, `event ${seq} time`).toBe(b.time);
    expect(simView(a.state), `state after event ${seq} '${b.text}'`).toEqual(simView(b.state));
  }
  expect(got.redoTarget()).toBe(want.redoTarget());
  expect(got.trailRoom).toEqual(want.trailRoom);
}

const counted = { sessions: 0, ops: 0, events: 0 };
const count = (ops: readonly SimOp[], h: SimHistory) => {
  counted.sessions++;
  counted.ops += ops.length;
  counted.events += h.size - 1;
};

afterAll(() => console.info(`sim history: ${counted.sessions} sessions, ${counted.ops} operations, ${counted.events} events`));

describe('history over the simulator, via commands/engine.ts', () => {
  it('goto k gives the state a fresh replay of the path to k gives', () => {
    fc.assert(
      fc.property(simSession(60), fc.array(fc.nat(), { minLength: 2, maxLength: 2 }), (ops, picks) => {
        const engine = runEngine(ops, ctx());
        const h = engine.history;
        count(ops, h);
        const replayed = replayedStates(h);
        for (let k = 0; k < h.size; k++) {
          const at = gotoEngine(engine, k);
          expect(at.history.position).toBe(k);
          expect(simView(currentState(at)), `goto ${k}`).toEqual(simView(replayed[k]!));
        }
        // And literally: a new engine fed the lines of the path.
        for (const p of picks) {
          const k = p % h.size;
          expect(simView(currentState(freshReplay(h, k))), `fresh replay of the path to ${k}`).toEqual(simView(currentState(gotoEngine(engine, k))));
        }
      }),
      { numRuns: 100, seed: 0x417001 },
    );
  });

  it('undo then redo is the identity, wherever the session is', () => {
    fc.assert(
      fc.property(simSession(50), fc.integer({ min: 1, max: 8 }), (ops, n) => {
        let checked = 0;
        const engine = runEngine(ops, ctx(), (e) => {
          const before = e.history;
          const undone = execute(e, { kind: 'undo', n: BigInt(n) }, `undo ${n}`).engine;
          const steps = depth(before, before.position) - depth(undone.history, undone.history.position);
          expect(steps).toBe(Math.min(n, depth(before, before.position)));
          const redone = execute(undone, { kind: 'redo', n: BigInt(steps) }, `redo ${steps}`).engine;
          expect(redone.history.position).toBe(before.position);
          expect(currentState(redone)).toBe(before.current.state);
          expect(redone.history.size).toBe(before.size);
          checked++;
        });
        count(ops, engine.history);
        expect(checked).toBe(ops.length);
      }),
      { numRuns: 100, seed: 0x417002 },
    );
  });

  it('every event stays reachable, with its state, after any mix of moves and new commands', () => {
    fc.assert(
      fc.property(simSession(80), (ops) => {
        const seen = new Map<number, SimState>();
        let events = 0;
        let last = 0;
        const engine = runEngine(ops, ctx(), (e, op) => {
          if (op.k === 'cmd' && e.history.size > last + 1) events++;
          last = e.history.size - 1;
          seen.set(e.history.position, e.history.current.state);
        });
        const h = engine.history;
        count(ops, h);
        expect(h.size).toBe(1 + events);
        const replayed = replayedStates(h);
        for (let k = 0; k < h.size; k++) {
          const at = gotoEngine(engine, k).history;
          // The same state as when the session was there (not always the same object: states the
          // history does not keep are rebuilt when asked for).
          if (seen.has(k)) expect(simView(at.current.state), `event ${k}`).toEqual(simView(seen.get(k)!));
          expect(simView(at.current.state), `event ${k}`).toEqual(simView(replayed[k]!));
        }
        // Numbers in order and never reused; every event but 0 has an older parent.
        for (let k = 1; k < h.size; k++) expect(h.event(k)!.parent!).toBeLessThan(k);
      }),
      { numRuns: 100, seed: 0x417003 },
    );
  });
});

// ---------------------------------------------------------------------------
// The journal

const JOURNAL = '/j/session.journal';

describe('a journal written and resumed gives the same history', () => {
  it('the REPL session’s journal, resumed, and resumed again after more commands', async () => {
    await fc.assert(
      fc.asyncProperty(simSession(60), fc.integer({ min: 0, max: 1000 }), async (ops, cutAt) => {
        const cut = Math.min(ops.length, 2 + (cutAt % (ops.length - 1)));
        const mem = new MemoryFs();
        let clock = 1_700_000_000_000;
        const now = () => (clock += 7);

        // What commands/engine.ts makes of the whole session.
        const engine = runEngine(ops, ctx());
        count(ops, engine.history);

        // The REPL's session, journaled, up to the cut.
        const make = simHistoryOptions();
        const start = now();
        const first = actorSession({
          history: History.create({ ...make.options, clock: now, startTime: start }),
          make,
          journal: JournalWriter.create(JOURNAL, { fs: mem, now, startTime: start }),
        });
        runSession(first, ops.slice(0, cut), ctx());
        const written = first.engine.history;
        first.close();

        const make2 = simHistoryOptions();
        const r1 = await resumeHistory(JOURNAL, { fs: mem, now, history: { ...make2.options, clock: now }, parse: journalParser(make2, newParseContext()) });
        expect(r1.report.status).toBe('clean');
        expect(r1.report.drift).toEqual([]);
        expect(r1.report.events).toBe(written.size - 1);
        expect(r1.report.position).toBe(written.position);
        expect(r1.report.appendable).toBe(true);
        expectSameHistory(r1.history, written, { times: true });

        // Continue the resumed session, journaled, to the end.
        const second = actorSession({ history: r1.history, make: make2, journal: JournalWriter.open(JOURNAL, { fs: mem, now }) });
        runSession(second, ops.slice(cut), ctx());
        const whole = second.engine.history;
        second.close();
        expectSameHistory(whole, engine.history, { times: false });

        const make3 = simHistoryOptions();
        const r2 = await resumeHistory(JOURNAL, { fs: mem, now, history: { ...make3.options, clock: now }, parse: journalParser(make3, newParseContext()) });
        expect(r2.report.status).toBe('clean');
        expect(r2.report.drift).toEqual([]);
        const lines = mem.files.get(JOURNAL)!.toString('utf8').trimEnd().split('\n');
        expect(r2.report.events + r2.report.moves).toBe(lines.length - 1);
        expectSameHistory(r2.history, whole, { times: true });
      }),
      { numRuns: 60, seed: 0x417004 },
    );
  });

  it('on disk, resumed by the REPL’s own start-up (openSession)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmasim-simhist-'));
    try {
      const [ops] = fc.sample(simSession(80), { numRuns: 1, seed: 0x417005 });
      const path = join(dir, 'session.journal');
      const opened = await openSession(null, { kind: 'empty' }, path, ctx());
      if ('error' in opened) throw new Error(opened.error);
      runSession(opened.session, ops!, ctx());
      const written = opened.session.engine.history;
      opened.session.close();

      const c = newParseContext();
      const again = await openSession(null, { kind: 'empty' }, path, c);
      if ('error' in again) throw new Error(again.error);
      expect(again.notes[0]).toMatch(new RegExp(`^Resumed session.journal: ${written.size - 1} events? and \\d+ moves? replayed; position ${written.position}\\.$`));
      const resumed = again.session.engine.history;
      expectSameHistory(resumed, written, { times: false });
      for (let seq = 1; seq < written.size; seq++) expect(resumed.event(seq)!.time, `event ${seq} time`).toBe(written.event(seq)!.time);
      expect([...c.files].sort()).toEqual(FILES);
      again.session.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Known bug: openSession writes the journal's header (whose time is event 0's
  // time, store/journal.ts) before it makes the history, and does not pass the
  // history's start time, so a resumed session's event 0 has another time.
  it('on disk, event 0 keeps its time across a resume', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmasim-simhist-'));
    try {
      const path = join(dir, 'session.journal');
      // A clock that moves on at every reading, so that two readings never agree by chance.
      let t = 1_700_000_000_000;
      const clock = vi.spyOn(Date, 'now').mockImplementation(() => (t += 1000));
      const opened = await openSession(null, { kind: 'empty' }, path, ctx()).finally(() => clock.mockRestore());
      if ('error' in opened) throw new Error(opened.error);
      runSession(opened.session, [{ k: 'cmd', text: 'mmap 0x100000000000 4p rw- fixed' }], ctx());
      const t0 = opened.session.engine.history.event(0)!.time;
      opened.session.close();
      const again = await openSession(null, { kind: 'empty' }, path, newParseContext());
      if ('error' in again) throw new Error(again.error);
      const resumed = again.session.engine.history.event(0)!.time;
      again.session.close();
      expect(resumed).toBe(t0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
