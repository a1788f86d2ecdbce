/**
 * Fuzzing the journal with damage: torn tails, garbage in the middle,
 * duplicated, missing, swapped and renumbered lines, cancel lines that name
 * the wrong line, flipped bytes, CRLF. One of the journals damaged holds
 * cancel lines of its own. Each damaged journal is resumed the way
 * `vmasim --session FILE` resumes it (openSession), on real files.
 *
 * For every input: nothing throws and the session opens; every event whose
 * line lies wholly before the first damaged byte is kept (unless a cancel
 * line before that byte took it back), with its command;
 * the position is the one the valid lines reach; the journal keeps exactly
 * its valid lines and the rest is saved beside it, byte for byte; the
 * message names the damaged line; and the session goes on recording.
 */
import fc from 'fast-check';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newParseContext } from '../../commands/parse-context.js';
import { openSession } from '../../cli/repl/open-session.js';
import { runLine } from '../../cli/repl/run-line.js';
import { decodeLine, encodeRecord, type EventRecord } from '../../store/journal-format.js';
import { JournalWriter, scanJournal } from '../../store/journal.js';
import { nodeJournalFs, type JournalFs } from '../../store/journal-fs.js';
import { resumeHistory } from '../../store/resume.js';
import { journalParser } from '../../store/testing/sim-session.js';
import { actorSession, simHistoryOptions } from '../../cli/repl/session.js';
import { messageProblems } from './support/checks.js';
import { FUZZ_SEED, runs, summarize } from './support/fuzz.js';
import { sandbox } from './support/sandbox.js';
import { simSession } from './support/session.js';
import { SESSION_LINES as LINES } from './support/session-lines.js';
import { rng } from './support/soak-ops.js';

const box = sandbox();
afterAll(() => box.remove());


const BASES: Buffer[] = [];

beforeAll(async () => {
  for (const [k, n] of [[1, 30], [2, 60], [3, 15]] as const) {
    const file = join(box.dir, `base-${k}.jsonl`);
    const session = simSession(box.dir, JournalWriter.create(file));
    const r = rng(k);
    const ctx = newParseContext();
    runLine(session, ctx, 'file data 64K', { file: 'base', line: 0 });
    for (let i = 0; i < n; i++) runLine(session, ctx, LINES[Math.floor(r() * LINES.length)]!, { file: 'base', line: i + 1 });
    session.close();
    BASES.push(readFileSync(file));
  }
  BASES.push(await withCancelLines(join(box.dir, 'base-4.jsonl')));
});

/**
 * A journal with cancel lines in it, as a failing disk leaves them: each
 * round ends with a command whose fsync and take-back failed (its line and a
 * cancel line stay, and the writer stops), and the next round resumes the
 * journal and goes on.
 */
async function withCancelLines(file: string): Promise<Buffer> {
  let failing = false;
  const eio = () => Object.assign(new Error('EIO'), { code: 'EIO' });
  const fs: JournalFs = {
    ...nodeJournalFs,
    fsyncSync: (fd) => {
      if (failing) throw eio();
      nodeJournalFs.fsyncSync(fd);
    },
    ftruncateSync: (fd, len) => {
      if (failing) throw eio();
      nodeJournalFs.ftruncateSync(fd, len);
    },
  };
  const r = rng(4);
  const ctx = newParseContext();
  let session = simSession(box.dir, JournalWriter.create(file, { fs }));
  runLine(session, ctx, 'file data 64K', { file: 'base', line: 0 });
  for (let round = 1; round <= 4; round++) {
    for (let i = 0; i < 8; i++) runLine(session, ctx, LINES[Math.floor(r() * LINES.length)]!, { file: 'base', line: i + 1 });
    failing = true;
    const refused = runLine(session, ctx, 'mmap 0x100000030000 4K rw- fixed', { file: 'base', line: 9 });
    failing = false;
    if (!(refused.result.kind === 'outcome' && refused.result.outcome.kind === 'refused')) throw new Error('the failing line was not refused');
    session.close();
    const make = simHistoryOptions();
    const resumed = await resumeHistory(file, { history: make.options, parse: journalParser(make, newParseContext()) });
    if (resumed.report.cancelled !== round || resumed.report.status !== 'clean') throw new Error(`round ${round}: ${resumed.report.message}`);
    session = actorSession({ history: resumed.history, make, journal: JournalWriter.open(file, { fs }), baseDir: box.dir });
  }
  runLine(session, ctx, 'munmap 0x100000000000 4K', { file: 'base', line: 10 });
  session.close();
  return readFileSync(file);
}

type Damage =
  | { readonly op: 'cut' | 'flip' | 'nul' | 'crlf'; readonly at: number; readonly x: number }
  | { readonly op: 'garbage' | 'append'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'dup' | 'del' | 'swap' | 'reseq' | 'reparent' | 'cancel'; readonly line: number; readonly by: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ op: fc.constantFrom('cut' as const, 'flip' as const, 'nul' as const, 'crlf' as const), at: fc.nat(), x: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constantFrom('garbage' as const, 'append' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  fc.record({ op: fc.constantFrom('dup' as const, 'del' as const, 'swap' as const, 'reseq' as const, 'reparent' as const, 'cancel' as const), line: fc.nat(), by: fc.constantFrom(-2, -1, 1, 2, 1000, 2 ** 53) }),
);

function lineSpans(b: Buffer): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < b.length; ) {
    const nl = b.indexOf(0x0a, s);
    const e = nl < 0 ? b.length : nl + 1;
    out.push([s, e]);
    s = e;
  }
  return out;
}

function damaged(base: Buffer, d: Damage): Buffer {
  if ('at' in d) {
    const at = base.length === 0 ? 0 : d.at % base.length;
    switch (d.op) {
      case 'cut':
        return base.subarray(0, at);
      case 'flip':
      case 'nul': {
        const b = Buffer.from(base);
        b[at] = d.op === 'nul' ? 0 : b[at]! ^ d.x;
        return b;
      }
      case 'crlf':
        return Buffer.concat([base.subarray(0, at), Buffer.from(base.subarray(at).toString('latin1').replace(/\n/g, '\r\n'), 'latin1')]);
      case 'garbage':
        return Buffer.concat([base.subarray(0, at), d.bytes, base.subarray(at)]);
      case 'append':
        return Buffer.concat([base, d.bytes]);
    }
  }
  const spans = lineSpans(base);
  const parts = spans.map(([s, e]) => base.subarray(s, e));
  if (parts.length === 0) return base;
  const i = d.line % parts.length;
  switch (d.op) {
    case 'dup':
      parts.splice(i, 0, parts[i]!);
      break;
    case 'del':
      parts.splice(i, 1);
      break;
    case 'swap':
      if (i + 1 < parts.length) [parts[i], parts[i + 1]] = [parts[i + 1]!, parts[i]!];
      break;
    case 'reseq':
    case 'reparent': {
      // A well-formed line (its checksum right) that breaks the numbering.
      const r = decodeLine(parts[i]!.subarray(0, parts[i]!.length - 1));
      if (r.ok && r.record.kind === 'event') {
        const e: EventRecord = r.record;
        parts[i] = encodeRecord(d.op === 'reseq' ? { ...e, seq: Math.max(1, e.seq + d.by) } : { ...e, parent: Math.max(0, e.parent + d.by) });
      }
      break;
    }
    case 'cancel': {
      // A well-formed cancel line that names another line than the one before it.
      const r = decodeLine(parts[i]!.subarray(0, parts[i]!.length - 1));
      const rec = r.ok && (r.record.kind === 'event' || r.record.kind === 'move') ? r.record : null;
      const from = rec === null ? 0 : rec.kind === 'event' ? rec.parent : rec.from;
      const to = rec === null ? 0 : rec.kind === 'event' ? rec.seq : rec.to;
      parts.splice(i + 1, 0, encodeRecord({ kind: 'cancel', of: rec?.kind ?? 'event', from, to: to + Math.abs(d.by), time: 1 }));
      break;
    }
  }
  return Buffer.concat(parts);
}

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

describe('journals under damage', () => {
  it('resuming keeps every event before the damage, saves the rest, says where, and goes on', async () => {
    const inputs = fc.sample(fc.record({ base: fc.nat({ max: 3 }), damage: fc.array(damage, { minLength: 1, maxLength: 2 }) }), { numRuns: runs(120), seed: FUZZ_SEED });
    const t0 = performance.now();
    const outcomes: Record<string, number> = {};
    const failures: { input: string; problem: string }[] = [];
    let crashes = 0;
    let problems = 0;
    let kept = 0;
    for (const [n, input] of inputs.entries()) {
      const original = BASES[input.base]!;
      const bytes = input.damage.reduce(damaged, original);
      const dir = join(box.dir, `case-${n}`);
      mkdirSync(dir);
      const file = join(dir, 'j.jsonl');
      writeFileSync(file, bytes);
      const scan = scanJournal(bytes);
      const p: string[] = [];
      try {
        const opened = await openSession(null, { kind: 'empty' }, file, newParseContext());
        if ('error' in opened) {
          p.push(`the session did not open: ${opened.error}`);
        } else {
          const { session, notes } = opened;
          const h = session.engine.history;
          // Events whose lines lie wholly before the first changed byte were acknowledged and are
          // intact, unless a cancel line among them took one back.
          const d = firstDifference(original, bytes);
          const intactEnd = lineSpans(original).filter(([, e]) => e <= d).at(-1)?.[1] ?? 0;
          const intact = scanJournal(original.subarray(0, intactEnd)).records;
          let events = 0;
          for (const r of intact) {
            if (r.record.kind !== 'event') continue;
            events++;
            const ev = h.event(r.record.seq);
            if (ev?.text !== r.record.command) p.push(`event ${r.record.seq} (${r.record.command}) before the damage is ${ev ? `now ${ev.text}` : 'lost'}`);
          }
          kept += events;
          if (h.position !== scan.cursor.position) p.push(`position ${h.position}, the valid lines reach ${scan.cursor.position}`);
          if (h.newest !== scan.cursor.nextSeq - 1) p.push(`${h.newest} events, the valid lines hold ${scan.cursor.nextSeq - 1}`);
          p.push(...messageProblems(notes[0]));
          const now = readFileSync(file);
          const sides = readdirSync(dir).filter((f) => f !== 'j.jsonl');
          if (scan.bad) {
            if (!new RegExp(`Line ${scan.bad.line} \\(byte ${scan.bad.offset}\\) is damaged`).test(notes[0] ?? '')) p.push(`the message does not name line ${scan.bad.line}: ${notes[0]}`);
            if (sides.length !== 1 || !readFileSync(join(dir, sides[0]!)).equals(bytes.subarray(scan.validBytes))) p.push(`the damaged bytes are not saved whole beside the journal (${sides.join(', ')})`);
          } else if (sides.length) p.push(`files left beside an undamaged journal: ${sides.join(', ')}`);
          const prefixKept = scan.validBytes === 0 ? scanJournal(now).bad === null && scanJournal(now).records.length === 0 : now.equals(bytes.subarray(0, scan.validBytes));
          if (!prefixKept) p.push(`the journal is not its valid prefix (${now.length} bytes, valid ${scan.validBytes})`);
          if (session.journalPath === null) p.push(`the resumed session is not recorded: ${notes.join(' ')}`);
          // The session goes on: a command is recorded after the kept events, and resumes cleanly.
          if (n % 3 === 0 && session.journalPath !== null) {
            const out = runLine(session, newParseContext(['data']), 'mmap 0x100000020000 4K rw- fixed', { file: '<stdin>', line: 1 });
            if (!(out.result.kind === 'outcome' && out.result.outcome.kind === 'event')) p.push('the next command was not recorded');
            session.close();
            const again = await openSession(null, { kind: 'empty' }, file, newParseContext());
            if ('error' in again) p.push(`the continued journal does not open: ${again.error}`);
            else {
              if (again.session.engine.history.newest !== h.newest + 1) p.push(`resumed again: ${again.session.engine.history.newest} events, expected ${h.newest + 1}`);
              if (/is damaged|Replay stopped/.test(again.notes[0] ?? '')) p.push(`resumed again: ${again.notes[0]}`);
              again.session.close();
            }
          } else session.close();
        }
      } catch (e) {
        crashes++;
        p.push(`threw ${(e as Error).stack ?? String(e)}`);
      }
      const outcome = scan.bad ? `repaired at line ${scan.bad.line > 1 ? 'n>1' : '1'}` : 'clean';
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (p.length) {
        problems++;
        if (failures.length < 5) failures.push({ input: JSON.stringify(input.damage).slice(0, 160), problem: p.join('; ') });
      }
    }
    summarize({ name: 'journal fuzz', inputs: inputs.length, crashes, problems, failures, outcomes: { ...outcomes, 'acknowledged events checked': kept }, ms: performance.now() - t0 });
    expect(crashes).toBe(0);
    expect(failures).toEqual([]);
  });
});
