import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { commitAppend, commitMove } from './commit.js';
import { crc32, crc32Range } from './crc32.js';
import { History, type HistoryOptions } from './history.js';
import { JournalWriteError } from './journal-error.js';
import { JOURNAL_VERSION, decodeLine, encodeRecord, type JournalRecord } from './journal-format.js';
import { JournalWriter, scanJournal, type JournalSink } from './journal.js';
import { resumeHistory } from './resume.js';
import { MemoryFs, errno } from './testing/memory-fs.js';
import { session, type SessionOp, type ToyHistory } from './testing/ops.js';
import { toyParse, toyReducer, toySummary, toyText, type ToyCommand, type ToyResult, type ToyStack } from './testing/toy.js';

const FILE = '/j/session.jsonl';

function toyOptions(clock: () => number): HistoryOptions<ToyStack, ToyCommand, ToyResult> {
  return { reducer: toyReducer, initial: null, canonical: toyText, summarize: toySummary, clock };
}

function ticking(start = 1_700_000_000_000): () => number {
  let t = start;
  return () => (t += 1000);
}

function commitOp(h: ToyHistory, journal: JournalSink, op: SessionOp): ToyHistory {
  const r =
    op.k === 'push'
      ? commitAppend(h, journal, { op: 'push', value: op.v })
      : op.k === 'pop'
        ? commitAppend(h, journal, { op: 'pop' })
        : op.k === 'goto'
          ? commitMove(h, journal, { kind: 'goto', seq: Math.floor(op.at * h.size) })
          : commitMove(h, journal, { kind: op.k, n: op.n });
  if (!r.ok) throw new Error(r.error.message);
  return r.history;
}

/** A session written to a journal on `fsys`. */
function writeSession(fsys: MemoryFs | undefined, file: string, ops: readonly SessionOp[]): ToyHistory {
  const clock = ticking();
  let h = History.create(toyOptions(clock));
  const w = JournalWriter.create(file, { ...(fsys ? { fs: fsys } : {}), now: clock, startTime: h.event(0)!.time });
  for (const op of ops) h = commitOp(h, w, op);
  w.close();
  return h;
}

function resume(fsys: MemoryFs | undefined, file: string, extra: { progress?: (d: number, t: number) => void; progressEvery?: number } = {}) {
  return resumeHistory(file, {
    ...(fsys ? { fs: fsys } : {}),
    now: () => Date.UTC(2025, 0, 2, 3, 4, 5),
    history: toyOptions(ticking(9e12)),
    parse: toyParse,
    ...extra,
  });
}

/** Everything a person or the next command can observe of a history. */
function observable(h: ToyHistory) {
  return { list: h.list(), position: h.position, redo: h.redoTarget(), trail: h.trailRoom, branches: h.branches() };
}

const pushes = (n: number): SessionOp[] => Array.from({ length: n }, (_, i) => ({ k: 'push', v: i }));

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

describe('journal lines', () => {
  test('encode then decode gives the record back, unicode included', () => {
    const recs: JournalRecord[] = [
      { kind: 'header', format: 'vmasim-journal', version: 1, time: 5 },
      { kind: 'event', seq: 1, parent: 0, command: 'name 0x1000 4K hé→llo "q"', result: '0', time: 6 },
      { kind: 'move', op: 'undo', arg: 3, from: 1, to: 0, time: 7 },
      { kind: 'event', seq: 2, parent: 0, command: 'import json x.json', result: '0', time: 8, data: { kind: 'state', n: [1, null, 'é'] } },
      { kind: 'cancel', of: 'event', from: 0, to: 2, time: 9 },
      { kind: 'cancel', of: 'move', from: 1, to: 0, time: 10 },
    ];
    for (const r of recs) {
      const line = encodeRecord(r);
      expect(line.at(-1)).toBe(0x0a);
      expect(decodeLine(line.subarray(0, -1))).toEqual({ ok: true, record: r });
    }
  });

  test('any single changed byte is caught', () => {
    const line = encodeRecord({ kind: 'event', seq: 12, parent: 11, command: 'munmap 0x1000 4K', result: '0', time: 99 }).subarray(0, -1);
    fc.assert(
      fc.property(fc.nat(line.length - 1), fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const bad = Buffer.from(line);
        bad[at] = (bad[at]! + delta) & 0xff;
        expect(decodeLine(bad).ok).toBe(false);
      }),
    );
  });

  test('the CRC-32 is zlib’s, over whole arrays and over ranges of them', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const zlibCrc32 = (zlib as unknown as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), fc.nat(), (data, seed, a, b) => {
        if (zlibCrc32) expect(crc32(data, seed >>> 0)).toBe(zlibCrc32(data, seed >>> 0));
        const start = data.length === 0 ? 0 : a % data.length;
        const end = start + (data.length === start ? 0 : b % (data.length - start + 1));
        expect(crc32Range(data, start, end, seed >>> 0)).toBe(crc32(data.subarray(start, end), seed >>> 0));
      }),
    );
  });
});

describe('writing and resuming', () => {
  test('a journal written then resumed gives the same history and position', async () => {
    await fc.assert(
      fc.asyncProperty(session(100), async (ops) => {
        const mem = new MemoryFs();
        const h = writeSession(mem, FILE, ops);
        const { history, report } = await resume(mem, FILE);
        expect(report.status).toBe('clean');
        expect(report.drift).toEqual([]);
        expect(observable(history)).toEqual(observable(h));
        expect(report.position).toBe(h.position);
      }),
      { numRuns: 60 },
    );
  });

  test('a resumed journal can be continued, and resumes again to the continued history', async () => {
    const mem = new MemoryFs();
    writeSession(mem, FILE, [...pushes(3), { k: 'undo', n: 1 }]);
    const first = await resume(mem, FILE);
    const w = JournalWriter.open(FILE, { fs: mem });
    let h = first.history;
    h = commitOp(h, w, { k: 'push', v: 42 });
    h = commitOp(h, w, { k: 'back', n: 1 });
    w.close();
    const second = await resume(mem, FILE);
    expect(second.report.status).toBe('clean');
    expect(observable(second.history)).toEqual(observable(h));
    expect(h.position).toBe(2);
    expect(h.size).toBe(5);
  });

  test('every line is synced before the call returns', () => {
    const mem = new MemoryFs();
    const clock = ticking();
    let h = History.create(toyOptions(clock));
    const w = JournalWriter.create(FILE, { fs: mem, now: clock });
    const before = mem.syncs;
    h = commitOp(h, w, { k: 'push', v: 1 });
    expect(mem.syncs).toBe(before + 1);
    expect(lines(mem.text(FILE))).toHaveLength(2);
    commitOp(h, w, { k: 'undo', n: 1 });
    expect(mem.syncs).toBe(before + 2);
  });

  test('moves that move nothing are not journalled', () => {
    const mem = new MemoryFs();
    let h = writeSession(mem, FILE, []);
    const w = JournalWriter.open(FILE, { fs: mem });
    h = commitOp(h, w, { k: 'undo', n: 3 });
    h = commitOp(h, w, { k: 'redo', n: 1 });
    h = commitOp(h, w, { k: 'goto', at: 0 });
    expect(lines(mem.text(FILE))).toHaveLength(1);
  });

  test('progress is reported as records are replayed, ending at the total', async () => {
    const mem = new MemoryFs();
    writeSession(mem, FILE, [...pushes(25), { k: 'undo', n: 5 }, ...pushes(4)]);
    const calls: [number, number][] = [];
    const { report } = await resume(mem, FILE, { progress: (d, t) => calls.push([d, t]), progressEvery: 10 });
    expect(report.events).toBe(29);
    expect(report.moves).toBe(1);
    expect(calls).toEqual([
      [10, 30],
      [20, 30],
      [30, 30],
    ]);
  });

  test('a missing journal is reported, not an error', async () => {
    const { report, history } = await resume(new MemoryFs(), FILE);
    expect(report.status).toBe('missing');
    expect(history.size).toBe(1);
  });
});

describe('damaged journals', () => {
  async function damaged(mutate: (text: Buffer) => Buffer, ops: SessionOp[] = pushes(6)) {
    const mem = new MemoryFs();
    const h = writeSession(mem, FILE, ops);
    const original = mem.files.get(FILE)!;
    const broken = mutate(original);
    mem.files.set(FILE, broken);
    const result = await resume(mem, FILE);
    const saved = result.report.damage ? mem.files.get(result.report.damage.savedTo) : undefined;
    return { mem, h, original, broken, ...result, saved, now: mem.files.get(FILE)! };
  }

  test('a truncated last line: the events before it are kept, its bytes saved aside', async () => {
    const r = await damaged((b) => b.subarray(0, b.length - 9));
    expect(r.report.status).toBe('repaired');
    expect(r.report.events).toBe(5);
    expect(r.report.damage).toMatchObject({ line: 7, reason: 'the last line is incomplete (no newline at its end)', lines: 1 });
    expect(r.report.damage!.savedTo).toBe(`${FILE}.damaged-20250102T030405.000Z`);
    expect(Buffer.concat([r.now, r.saved!]).equals(r.broken)).toBe(true);
    expect(r.history.position).toBe(5);
    expect(r.report.message).toContain('Line 7');
    // Resuming again finds nothing wrong.
    expect((await resume(r.mem, FILE)).report.status).toBe('clean');
  });

  test('garbage appended after the last line', async () => {
    const r = await damaged((b) => Buffer.concat([b, Buffer.from('\u0000\u0000{"kind":"event"')]));
    expect(r.report.status).toBe('repaired');
    expect(r.report.events).toBe(6);
    expect(r.now.equals(r.original)).toBe(true);
    expect(r.saved!.toString()).toBe('\u0000\u0000{"kind":"event"');
    expect(observable(r.history)).toEqual(observable(r.h));
  });

  test('garbage in the middle: the prefix before it is kept, everything from it on saved', async () => {
    const r = await damaged((b) => {
      const ls = lines(b.toString());
      ls[3] = ls[3]!.replace('"push 2"', '"push 7"');
      return Buffer.from(ls.map((l) => l + '\n').join(''));
    });
    expect(r.report.status).toBe('repaired');
    expect(r.report.damage).toMatchObject({ line: 4, reason: 'checksum mismatch', lines: 4, wellFormedAfter: 3 });
    expect(r.report.events).toBe(2);
    expect(r.history.size).toBe(3);
    expect(Buffer.concat([r.now, r.saved!]).equals(r.broken)).toBe(true);
    expect(r.report.message).toContain('3 lines after it (3 well-formed');
  });

  test('a duplicated event line', async () => {
    const r = await damaged((b) => {
      const ls = lines(b.toString());
      ls.splice(4, 0, ls[3]!);
      return Buffer.from(ls.map((l) => l + '\n').join(''));
    });
    expect(r.report.damage).toMatchObject({ line: 5, reason: 'event 3 again (the next event is 4)' });
    expect(r.report.events).toBe(3);
  });

  test('an event whose parent does not exist, and one that skips a number', async () => {
    const forged = (rec: JournalRecord) => async () =>
      damaged((b) => Buffer.concat([b, encodeRecord(rec)]));
    const a = await forged({ kind: 'event', seq: 7, parent: 9, command: 'pop', result: '5', time: 1 })();
    expect(a.report.damage?.reason).toBe('event 7 continues from event 9, which does not exist');
    const b = await forged({ kind: 'event', seq: 8, parent: 6, command: 'pop', result: '5', time: 1 })();
    expect(b.report.damage?.reason).toBe('event 8 where event 7 was due');
    const c = await forged({ kind: 'event', seq: 7, parent: 2, command: 'pop', result: '5', time: 1 })();
    expect(c.report.damage?.reason).toBe('event 7 continues from event 2, but the position is 6');
    const d = await forged({ kind: 'move', op: 'goto', arg: 40, from: 6, to: 40, time: 1 })();
    expect(d.report.damage?.reason).toBe('a goto to event 40, which does not exist');
  });

  test('a damaged header keeps nothing; the file restarts with a new header', async () => {
    const r = await damaged((b) => Buffer.concat([Buffer.from('x'), b]));
    expect(r.report.damage).toMatchObject({ line: 1, offset: 0 });
    expect(r.now.length).toBe(0);
    expect(r.saved!.equals(r.broken)).toBe(true);
    const w = JournalWriter.open(FILE, { fs: r.mem });
    commitOp(r.history, w, { k: 'push', v: 1 });
    const again = await resume(r.mem, FILE);
    expect(again.report.status).toBe('clean');
    expect(again.history.size).toBe(2);
  });

  test('a newer format version is left alone', async () => {
    const mem = new MemoryFs();
    const text = encodeRecord({ kind: 'header', format: 'vmasim-journal', version: JOURNAL_VERSION + 1, time: 1 });
    mem.files.set(FILE, text);
    const { report } = await resume(mem, FILE);
    expect(report.status).toBe('unsupported');
    expect(report.appendable).toBe(false);
    expect(report.message).toContain(`format version ${JOURNAL_VERSION + 1}; this vmasim reads versions 1 to ${JOURNAL_VERSION}`);
    expect(mem.files.get(FILE)!.equals(text)).toBe(true);
    expect([...mem.files.keys()]).toEqual([FILE]);
  });

  test('a version 1 journal is read, and continuing it first rewrites its header to this version', async () => {
    const mem = new MemoryFs();
    writeSession(mem, FILE, [...pushes(3), { k: 'undo', n: 1 }]);
    const lines2 = lines(mem.text(FILE));
    const v1 = Buffer.from([encodeRecord({ kind: 'header', format: 'vmasim-journal', version: 1, time: 1_700_000_001_000 }).toString(), ...lines2.slice(1).map((l) => `${l}\n`)].join(''));
    mem.files.set(FILE, v1);
    const first = await resume(mem, FILE);
    expect(first.report).toMatchObject({ status: 'clean', version: 1, events: 3, moves: 1 });
    expect(mem.files.get(FILE)!.equals(v1)).toBe(true);
    const w = JournalWriter.open(FILE, { fs: mem });
    const next = commitOp(first.history, w, { k: 'push', v: 9 });
    w.close();
    const now = lines(mem.text(FILE));
    expect(JSON.parse(now[0]!)).toMatchObject({ kind: 'header', version: JOURNAL_VERSION, time: 1_700_000_001_000 });
    expect(now.slice(1, -1)).toEqual(lines2.slice(1));
    expect([...mem.files.keys()]).toEqual([FILE]);
    const again = await resume(mem, FILE);
    expect(again.report).toMatchObject({ status: 'clean', version: JOURNAL_VERSION });
    expect(observable(again.history)).toEqual(observable(next));
  });

  test('scanJournal finds the same valid prefix whatever is cut or appended', () => {
    const mem = new MemoryFs();
    writeSession(mem, FILE, [...pushes(5), { k: 'undo', n: 2 }, ...pushes(2)]);
    const full = mem.files.get(FILE)!;
    const ends: number[] = [];
    for (let i = 0; i < full.length; i++) if (full[i] === 0x0a) ends.push(i + 1);
    fc.assert(
      fc.property(fc.nat(full.length), fc.uint8Array({ maxLength: 40 }), (cut, junk) => {
        const bytes = Buffer.concat([full.subarray(0, cut), junk]);
        const scan = scanJournal(bytes);
        const complete = ends.filter((e) => e <= cut);
        const expected = complete.at(-1) ?? 0;
        // Junk can only extend the prefix if it happens to be a valid line: not with random bytes.
        expect(scan.validBytes).toBe(expected);
        expect(scan.records.length).toBe(Math.max(0, complete.length - 1));
      }),
    );
  });
});

describe('cancel lines', () => {
  const cancel = (of: 'event' | 'move', from: number, to: number) => encodeRecord({ kind: 'cancel', of, from, to, time: 1 });

  test('a cancelled event or move is skipped; the numbering and position go on from before it', async () => {
    const mem = new MemoryFs();
    writeSession(mem, FILE, pushes(3));
    const extra = [
      cancel('event', 2, 3),
      encodeRecord({ kind: 'event', seq: 3, parent: 2, command: 'push 9', result: '3', time: 2 }),
      encodeRecord({ kind: 'move', op: 'undo', arg: 2, from: 3, to: 1, time: 3 }),
      cancel('move', 3, 1),
    ];
    mem.files.set(FILE, Buffer.concat([mem.files.get(FILE)!, ...extra]));
    const { report, history } = await resume(mem, FILE);
    expect(report).toMatchObject({ status: 'clean', events: 3, moves: 0, cancelled: 2, position: 3 });
    expect([1, 2, 3].map((k) => history.event(k)?.text)).toEqual(['push 0', 'push 1', 'push 9']);
    expect(history.event(4)).toBeUndefined();
    expect(report.message).toBe(
      'Resumed session.jsonl: 3 events and 0 moves replayed; position 3. 2 lines cancelled as they were written (their commands were reported as not done) were skipped.',
    );
  });

  test('a cancel that does not name the line before it is damage', async () => {
    const cases: [Buffer, string][] = [
      [cancel('event', 2, 2), 'a cancel of event 2 (from event 2), but the line before it is event 3'],
      [cancel('move', 2, 3), 'a cancel of the move from event 2 to 3, but the line before it is event 3'],
      [Buffer.concat([cancel('event', 2, 3), cancel('event', 1, 2)]), 'a cancel of event 2 (from event 1) that does not follow an event or move line'],
    ];
    for (const [tail, reason] of cases) {
      const mem = new MemoryFs();
      writeSession(mem, FILE, pushes(3));
      mem.files.set(FILE, Buffer.concat([mem.files.get(FILE)!, tail]));
      const { report } = await resume(mem, FILE);
      expect(report.status).toBe('repaired');
      expect(report.damage?.reason).toBe(reason);
    }
    const mem = new MemoryFs();
    mem.files.set(FILE, Buffer.concat([encodeRecord({ kind: 'header', format: 'vmasim-journal', version: JOURNAL_VERSION, time: 1 }), cancel('event', 0, 1)]));
    expect((await resume(mem, FILE)).report.damage?.reason).toBe('a cancel of event 1 (from event 0) that does not follow an event or move line');
  });
});

describe('replay drift and refusals', () => {
  test('a result that differs now is reported per event, and the replay goes on', async () => {
    const mem = new MemoryFs();
    writeSession(mem, FILE, [...pushes(3), { k: 'pop' }, { k: 'pop' }]);
    const { report, history } = await resumeHistory(FILE, {
      fs: mem,
      history: {
        ...toyOptions(ticking()),
        // A "newer model" whose pop reports the remaining depth instead of the value.
        reducer: {
          apply: (s, c) => {
            const r = toyReducer.apply(s, c);
            return c.op === 'pop' ? { state: r.state, result: -1 } : r;
          },
        },
      },
      parse: toyParse,
    });
    expect(report.status).toBe('clean');
    expect(report.drift).toEqual([
      { kind: 'result', line: 5, seq: 4, command: 'pop', recorded: '2', recomputed: '-1' },
      { kind: 'result', line: 6, seq: 5, command: 'pop', recorded: '1', recomputed: '-1' },
    ]);
    expect(history.size).toBe(6);
    expect(report.message).toContain('event 4 `pop` recorded 2, now -1');
  });

  test('a command that no longer parses stops the replay: it and the lines after it are saved aside, the journal goes on before it', async () => {
    const mem = new MemoryFs();
    writeSession(mem, FILE, pushes(4));
    const before = Buffer.from(mem.files.get(FILE)!);
    const { report, history } = await resumeHistory(FILE, {
      fs: mem,
      now: () => Date.UTC(2025, 0, 2, 3, 4, 5),
      history: toyOptions(ticking()),
      parse: (t) => (t === 'push 2' ? { ok: false, error: 'unknown command' } : toyParse(t)),
    });
    expect(report.status).toBe('stopped');
    expect(report.appendable).toBe(true);
    expect(report.stopped).toEqual({ line: 4, reason: 'event 3 `push 2` no longer parses: unknown command', transient: false });
    expect(history.size).toBe(3);
    const cutAt = before.indexOf('{"kind":"event","seq":3');
    expect(report.cut).toEqual({ offset: cutAt, bytes: before.length - cutAt, lines: 2, savedTo: `${FILE}.damaged-20250102T030405.000Z` });
    expect(mem.files.get(FILE)!.equals(before.subarray(0, cutAt))).toBe(true);
    expect(mem.files.get(report.cut!.savedTo)!.equals(before.subarray(cutAt))).toBe(true);
    expect(report.message).toBe(
      `Resumed session.jsonl: 2 events and 0 moves replayed; position 2. Replay stopped at line 4: event 3 \`push 2\` no longer parses: unknown command. ` +
        `It and the 1 line after it, ${before.length - cutAt} bytes, are saved in ${FILE}.damaged-20250102T030405.000Z; the journal now ends before it.`,
    );
    // The journal goes on from the events kept.
    const w = JournalWriter.open(FILE, { fs: mem });
    const next = commitOp(history, w, { k: 'push', v: 7 });
    w.close();
    const again = await resume(mem, FILE);
    expect(again.report.status).toBe('clean');
    expect(observable(again.history)).toEqual(observable(next));
  });

  test('a stop after which the journal is damaged too: one cut, at the stop, and the message names both lines', async () => {
    const mem = new MemoryFs();
    writeSession(mem, FILE, pushes(4));
    const before = Buffer.concat([mem.files.get(FILE)!, Buffer.from('junk')]);
    mem.files.set(FILE, before);
    const { report } = await resumeHistory(FILE, {
      fs: mem,
      history: toyOptions(ticking()),
      parse: (t) => (t === 'push 1' ? { ok: false, error: 'unknown command' } : toyParse(t)),
    });
    expect(report.status).toBe('stopped');
    expect(report.damage).toMatchObject({ line: 6, reason: 'the last line is incomplete (no newline at its end)' });
    expect(report.cut!.lines).toBe(4);
    expect(report.damage!.savedTo).toBe(report.cut!.savedTo);
    expect(Buffer.concat([mem.files.get(FILE)!, mem.files.get(report.cut!.savedTo)!]).equals(before)).toBe(true);
    expect(report.message).toMatch(/Replay stopped at line 3: .*It and the 3 lines after it \(of which line 6 is damaged: the last line is incomplete \(no newline at its end\)\), \d+ bytes, are saved in/);
  });

  test('a stop for want of something outside the journal leaves the journal as it is, and it cannot be continued', async () => {
    const mem = new MemoryFs();
    writeSession(mem, FILE, pushes(4));
    const before = Buffer.from(mem.files.get(FILE)!);
    const { report, history } = await resumeHistory(FILE, {
      fs: mem,
      history: toyOptions(ticking()),
      parse: (t) => (t === 'push 2' ? { ok: false, error: 'cannot read x: no such file', transient: true } : toyParse(t)),
    });
    expect(report.status).toBe('unfinished');
    expect(report.appendable).toBe(false);
    expect(report.cut).toBeNull();
    expect(report.stopped).toEqual({ line: 4, reason: 'event 3 `push 2` cannot be replayed now: cannot read x: no such file', transient: true });
    expect(report.message).toMatch(/Replay stopped at line 4: .*The lines from there on stay in the journal, unreplayed/);
    expect(history.size).toBe(3);
    expect(mem.files.get(FILE)!.equals(before)).toBe(true);
    expect([...mem.files.keys()]).toEqual([FILE]);
  });

  test('a command the reducer refuses stops the replay there; an error that is not a refusal is thrown on', async () => {
    class Refused extends Error {}
    const mem = new MemoryFs();
    writeSession(mem, FILE, [...pushes(3), { k: 'pop' }]);
    const refusing = (which: number, error: Error) => ({
      ...toyOptions(ticking()),
      reducer: { apply: (st: ToyStack, c: ToyCommand) => (c.op === 'push' && c.value === which ? (() => { throw error; })() : toyReducer.apply(st, c)) },
    });
    const before = Buffer.from(mem.files.get(FILE)!);
    await expect(
      resumeHistory(FILE, { fs: mem, history: refusing(1, new TypeError('a bug')), parse: toyParse, refusal: (e) => (e instanceof Refused ? e.message : undefined) }),
    ).rejects.toThrow('a bug');
    expect(mem.files.get(FILE)!.equals(before)).toBe(true);
    const { report, history } = await resumeHistory(FILE, {
      fs: mem,
      history: refusing(1, new Refused('one is taken')),
      parse: toyParse,
      refusal: (e) => (e instanceof Refused ? e.message : undefined),
    });
    expect(report.status).toBe('stopped');
    expect(report.stopped?.reason).toBe('event 2 `push 1` cannot be carried out: one is taken');
    expect(report.message).toContain('Replay stopped at line 3');
    expect(history.size).toBe(2);
  });

  test('the data an event line carries is handed back to parse', async () => {
    const mem = new MemoryFs();
    let h = History.create(toyOptions(ticking()));
    const w = JournalWriter.create(FILE, { fs: mem, eventData: (c) => ((c as ToyCommand).op === 'push' ? { pushed: [(c as { value: number }).value] } : undefined) });
    for (const op of [{ k: 'push', v: 4 }, { k: 'pop' }] as SessionOp[]) h = commitOp(h, w, op);
    w.close();
    expect(lines(mem.text(FILE)).map((l) => JSON.parse(l).data)).toEqual([undefined, { pushed: [4] }, undefined]);
    const seen: unknown[] = [];
    await resumeHistory(FILE, { fs: mem, history: toyOptions(ticking()), parse: (t, d) => (seen.push(d), toyParse(t)) });
    expect(seen).toEqual([{ pushed: [4] }, undefined]);
  });

  test('a move that lands elsewhere now is reported, and the position follows the journal', async () => {
    const mem = new MemoryFs();
    writeSession(mem, FILE, pushes(3));
    const w = JournalWriter.open(FILE, { fs: mem });
    w.recordMove({ kind: 'redo', arg: 1, from: 3, to: 1 }); // a redo cannot go up: forged
    w.close();
    const { report, history } = await resume(mem, FILE);
    expect(report.drift).toEqual([{ kind: 'move', line: 5, op: 'redo', arg: 1, from: 3, recorded: 1, recomputed: 3 }]);
    expect(history.position).toBe(1);
  });
});

describe('write failures', () => {
  function setup(ops: SessionOp[] = pushes(3)) {
    const mem = new MemoryFs();
    const h = writeSession(mem, FILE, ops);
    const w = JournalWriter.open(FILE, { fs: mem });
    return { mem, h, w, before: Buffer.from(mem.files.get(FILE)!) };
  }

  test('ENOSPC on write: a typed error, the history and the file unchanged', async () => {
    const { mem, h, w, before } = setup();
    mem.fault = (op) => {
      if (op === 'write') throw errno('ENOSPC');
    };
    const r = commitAppend(h, w, { op: 'push', value: 9 });
    expect(r.ok).toBe(false);
    if (r.ok || r.error.kind !== 'journal') throw new Error('expected a journal failure');
    expect(r.error.error).toBeInstanceOf(JournalWriteError);
    expect(r.error.error.code).toBe('ENOSPC');
    expect(r.error.error.op).toBe('write');
    expect(r.error.message).toMatch(/^Nothing changed: journal \/j\/session.jsonl: write failed: the disk is full/);
    expect(h.size).toBe(4);
    expect(mem.files.get(FILE)!.equals(before)).toBe(true);
    // Once there is room again, the same writer goes on.
    mem.fault = null;
    const ok = commitAppend(h, w, { op: 'push', value: 9 });
    expect(ok.ok).toBe(true);
    expect((await resume(mem, FILE)).history.size).toBe(5);
  });

  test('a short write then ENOSPC: the partial line is taken back', async () => {
    const { mem, h, w, before } = setup();
    mem.writeLimit = 10;
    let writes = 0;
    mem.fault = (op) => {
      if (op === 'write' && ++writes === 3) throw errno('ENOSPC');
    };
    const r = commitAppend(h, w, { op: 'push', value: 9 });
    expect(r.ok).toBe(false);
    expect(mem.files.get(FILE)!.equals(before)).toBe(true);
    mem.fault = null;
    const next = commitAppend(h, w, { op: 'push', value: 10 });
    if (!next.ok) throw new Error(next.error.message);
    const { report, history } = await resume(mem, FILE);
    expect(report.status).toBe('clean');
    expect(observable(history)).toEqual(observable(next.history));
  });

  test('fsync failing: the line is taken back', () => {
    const { mem, h, w, before } = setup();
    mem.fault = (op) => {
      if (op === 'fsync') throw errno('EIO');
    };
    const r = commitMove(h, w, { kind: 'undo', n: 1 });
    expect(r.ok).toBe(false);
    if (r.ok || r.error.kind !== 'journal') throw new Error('expected a journal failure');
    expect(r.error.error.op).toBe('sync');
    expect(mem.files.get(FILE)!.equals(before)).toBe(true);
    expect(h.position).toBe(3);
  });

  test('when the partial line cannot be taken back: torn, refused from then on, cut off on resume', async () => {
    const { mem, h, w } = setup();
    mem.writeLimit = 7;
    let writes = 0;
    mem.fault = (op) => {
      if (op === 'write' && ++writes === 2) throw errno('ENOSPC');
      if (op === 'ftruncate') throw errno('EIO');
    };
    const r = commitAppend(h, w, { op: 'push', value: 9 });
    if (r.ok || r.error.kind !== 'journal') throw new Error('expected a journal failure');
    expect(r.error.error.torn).toBe(true);
    expect(r.error.message).toContain('resuming will cut off');
    mem.fault = null;
    mem.writeLimit = null;
    const again = commitAppend(h, w, { op: 'push', value: 9 });
    expect(again.ok).toBe(false);
    const resumed = await resume(mem, FILE);
    expect(resumed.report.status).toBe('repaired');
    expect(resumed.report.damage?.bytes).toBe(7);
    expect(observable(resumed.history)).toEqual(observable(h));
  });

  test('fsync failing and the line not cut back: a cancel line follows it, and resuming skips the command', async () => {
    const { mem, h, w } = setup();
    mem.fault = (op) => {
      if (op === 'fsync' || op === 'ftruncate') throw errno('EIO');
    };
    const r = commitAppend(h, w, { op: 'push', value: 9 });
    if (r.ok || r.error.kind !== 'journal') throw new Error('expected a journal failure');
    expect(r.error.error.left).toBe('cancelled');
    expect(r.error.message).toBe(
      `Nothing changed: journal ${FILE}: sync failed: an input/output error: the disk may be failing (EIO). ` +
        'The journal could not be cut back: its line is followed by one that cancels it, so resuming skips it; no more lines can be written to it.',
    );
    expect(lines(mem.text(FILE)).slice(-2).map((l) => JSON.parse(l).kind)).toEqual(['event', 'cancel']);
    mem.fault = null;
    const later = commitMove(h, w, { kind: 'undo', n: 1 });
    if (later.ok || later.error.kind !== 'journal') throw new Error('expected a journal failure');
    expect(later.error.message).toContain('No more lines can be written to this journal since an earlier line failed');
    const resumed = await resume(mem, FILE);
    expect(resumed.report).toMatchObject({ status: 'clean', cancelled: 1 });
    expect(observable(resumed.history)).toEqual(observable(h));
  });

  test('fsync failing once: the line is cancelled, then cut back, and the writer goes on', async () => {
    const { mem, h, w, before } = setup();
    let fsyncs = 0;
    mem.fault = (op) => {
      if (op === 'fsync' && ++fsyncs === 1) throw errno('EIO');
    };
    const r = commitAppend(h, w, { op: 'push', value: 9 });
    if (r.ok || r.error.kind !== 'journal') throw new Error('expected a journal failure');
    expect(r.error.error.left).toBe('nothing');
    expect(mem.files.get(FILE)!.equals(before)).toBe(true);
    const next = commitAppend(h, w, { op: 'push', value: 10 });
    if (!next.ok) throw new Error(next.error.message);
    const resumed = await resume(mem, FILE);
    expect(resumed.report).toMatchObject({ status: 'clean', cancelled: 0 });
    expect(observable(resumed.history)).toEqual(observable(next.history));
  });

  test('when neither the cut nor the cancel line can be written, the error says resuming may replay the command', () => {
    const { mem, h, w } = setup();
    let writes = 0;
    mem.fault = (op) => {
      if (op === 'fsync' || op === 'ftruncate' || (op === 'write' && ++writes > 1)) throw errno('ENOSPC');
    };
    const r = commitAppend(h, w, { op: 'push', value: 9 });
    if (r.ok || r.error.kind !== 'journal') throw new Error('expected a journal failure');
    expect(r.error.error.left).toBe('whole');
    expect(r.error.message).toMatch(/could be neither cut back nor have the line cancelled: resuming it may replay this command; no more lines can be written to it\.$/);
  });

  test('a line that would take the journal past its size limit is refused; a journal past the limit is not resumed', async () => {
    const mem = new MemoryFs();
    const h = writeSession(mem, FILE, pushes(3));
    const size = mem.files.get(FILE)!.length;
    // Room for the line, but not for a cancel line after it as well.
    const w = JournalWriter.open(FILE, { fs: mem, maxBytes: size + 150 });
    const r = commitAppend(h, w, { op: 'push', value: 9 });
    if (r.ok || r.error.kind !== 'journal') throw new Error('expected a journal failure');
    expect(r.error.message).toBe(
      `Nothing changed: journal ${FILE}: write failed: the journal would grow past its size limit: keep this session with export and start a new journal (EFBIG).`,
    );
    expect(mem.files.get(FILE)!.length).toBe(size);
    w.close();
    const roomy = JournalWriter.open(FILE, { fs: mem, maxBytes: size + 300 });
    expect(commitAppend(h, roomy, { op: 'push', value: 9 }).ok).toBe(true);
    roomy.close();
    expect(mem.files.get(FILE)!.length - size).toBeLessThan(150);
    mem.files.set(FILE, mem.files.get(FILE)!.subarray(0, size));
    const before = Buffer.from(mem.files.get(FILE)!);
    const { report, history } = await resumeHistory(FILE, { fs: mem, maxBytes: size - 1, history: toyOptions(ticking()), parse: toyParse });
    expect(report.status).toBe('too-large');
    expect(report.appendable).toBe(false);
    expect(report.message).toBe(`${FILE} is ${(size / 2 ** 20).toFixed(1)} MiB, more than the ${((size - 1) / 2 ** 20).toFixed(1)} MiB a journal may hold. Nothing was read or changed: start a new journal.`);
    expect(history.size).toBe(1);
    expect(mem.files.get(FILE)!.equals(before)).toBe(true);
  });

  test('EACCES when creating a journal is a typed error', () => {
    const mem = new MemoryFs();
    mem.fault = (op) => {
      if (op === 'open') throw errno('EACCES');
    };
    let caught: unknown;
    try {
      JournalWriter.create(FILE, { fs: mem });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(JournalWriteError);
    expect((caught as JournalWriteError).code).toBe('EACCES');
    expect((caught as JournalWriteError).message).toContain('permission denied');
  });

  test('an existing file is not overwritten by create', () => {
    const { mem } = setup();
    expect(() => JournalWriter.create(FILE, { fs: mem })).toThrow(/exists already/);
  });

  test('if the damaged bytes cannot be saved, the journal is not cut', async () => {
    const mem = new MemoryFs();
    writeSession(mem, FILE, pushes(3));
    const broken = Buffer.concat([mem.files.get(FILE)!, Buffer.from('junk')]);
    mem.files.set(FILE, broken);
    mem.fault = (op, p) => {
      if (op === 'write' && p.includes('.damaged-')) throw errno('ENOSPC');
    };
    await expect(resume(mem, FILE)).rejects.toMatchObject({ name: 'JournalWriteError', code: 'ENOSPC', op: 'save-damaged' });
    expect(mem.files.get(FILE)!.equals(broken)).toBe(true);
    expect([...mem.files.keys()]).toEqual([FILE]);
  });
});

describe('on a real disk', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmasim-journal-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('write, tear, resume: side file next to the journal, no temporary file left', async () => {
    const file = path.join(dir, 'session.jsonl');
    const h = writeSession(undefined, file, [...pushes(4), { k: 'undo', n: 2 }, { k: 'push', v: 7 }]);
    const clean = await resume(undefined, file);
    expect(clean.report.status).toBe('clean');
    expect(observable(clean.history)).toEqual(observable(h));

    const whole = fs.readFileSync(file);
    fs.writeFileSync(file, whole.subarray(0, whole.length - 5));
    const torn = await resume(undefined, file);
    expect(torn.report.status).toBe('repaired');
    const saved = fs.readFileSync(torn.report.damage!.savedTo);
    expect(Buffer.concat([fs.readFileSync(file), saved]).equals(whole.subarray(0, whole.length - 5))).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['session.jsonl', path.basename(torn.report.damage!.savedTo)].sort());
    expect(torn.history.position).toBe(2);
  });
});
