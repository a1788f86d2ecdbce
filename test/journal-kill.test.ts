/**
 * A session killed at any point loses nothing it acknowledged.
 *
 * A child process (test/journal-kill-child.ts) opens a journal the way the
 * REPL does and runs commands, printing ACK after each event the session
 * reports done. It is SIGKILLed after a random number of acknowledged events
 * (counted, not timed), again and again on the same journal: each child
 * resumes what the last one left. After each kill the journal is resumed
 * here and must hold every acknowledged event, with its command, and at most
 * one line more (the one being written when the signal came); the resume
 * report must add up; and where the tail was damaged (some rounds tear it on
 * purpose, as a crash in the middle of a write would), the damaged bytes must
 * be in the side file and out of the journal.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { simHistoryOptions } from '../cli/repl/session.js';
import { newParseContext } from '../commands/parse-context.js';
import { validateState } from '../kernel-sim/validate.js';
import { Rng } from '../live/fuzz-generate.js';
import { JOURNAL_VERSION } from '../store/journal-format.js';
import { resumeHistory } from '../store/resume.js';
import { journalParser } from '../store/testing/sim-session.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./journal-kill-child.ts', import.meta.url));
const ROUNDS = 20;

const dir = mkdtempSync(join(tmpdir(), 'vmasim-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Child {
  readonly proc: ChildProcessWithoutNullStreams;
  /** Resolves once the child has loaded and waits for the go. */
  readonly ready: Promise<void>;
  readonly lines: string[];
  readonly stderr: string[];
  /** Resolves when the child has exited and its output is read to the end. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  onLine: ((line: string) => void) | null;
}

function start(journal: string, seed: number): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, journal, String(seed)], { cwd: ROOT, stdio: 'pipe' });
  const lines: string[] = [];
  const stderr: string[] = [];
  proc.stderr.on('data', (d) => stderr.push(String(d)));
  let ready!: () => void;
  const child: Child = {
    proc,
    ready: new Promise<void>((r) => (ready = r)),
    lines,
    stderr,
    onLine: null,
    done: Promise.all([
      new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.on('exit', (code, signal) => r({ code, signal }))),
      new Promise<void>((r) => proc.stdout.on('end', () => r())),
    ]).then(([exit]) => exit),
  };
  createInterface({ input: proc.stdout }).on('line', (line) => {
    if (line === 'READY') return ready();
    lines.push(line);
    child.onLine?.(line);
  });
  return child;
}

interface Acked {
  readonly seq: number;
  readonly text: string;
}

/** What the child reported before it died. */
function acknowledged(lines: readonly string[]) {
  const events: Acked[] = [];
  let moves = 0;
  let position: number | null = null;
  let open: { position: number; newest: number } | null = null;
  for (const l of lines) {
    let m: RegExpExecArray | null;
    if ((m = /^OPEN (\d+) (\d+)$/.exec(l))) {
      open = { position: Number(m[1]), newest: Number(m[2]) };
      position = open.position;
    } else if ((m = /^ACK (\d+) (\d+)\t(.*)$/.exec(l))) {
      events.push({ seq: Number(m[1]), text: m[3]! });
      position = Number(m[2]);
    } else if ((m = /^MOVED (\d+)$/.exec(l))) {
      moves++;
      position = Number(m[1]);
    } else if (l !== 'SAME' && l !== 'REFUSED') {
      throw new Error(`unexpected line from the child: ${l}`);
    }
  }
  return { open, events, moves, position };
}

/** Damage a journal's tail as a write cut short would; returns the bytes added. */
function tear(journal: string, round: number): Buffer | null {
  const bytes = readFileSync(journal);
  const lastLine = bytes.subarray(bytes.lastIndexOf(0x0a, bytes.length - 2) + 1);
  let added: Buffer;
  if (round % 4 === 1) {
    // Part of a line, without its newline.
    added = Buffer.from(lastLine.subarray(0, Math.max(1, lastLine.length >> 1)));
  } else if (round % 4 === 3) {
    // A line whose bytes changed, then a well-formed line after it.
    const bad = Buffer.from(lastLine);
    bad[10] = bad[10] === 0x41 ? 0x42 : 0x41;
    added = Buffer.concat([bad, lastLine]);
  } else {
    return null;
  }
  appendFileSync(journal, added);
  return added;
}

describe('a journal whose writer is killed', () => {
  it(
    `keeps every acknowledged event, through ${ROUNDS} SIGKILLs at random points`,
    async () => {
      const journal = join(dir, 'session.journal');
      const rng = new Rng(0x6b111);
      const seeds = Array.from({ length: ROUNDS }, (_, i) => 1000 + i);
      // Children load ahead of their turn (loading takes longer than a round).
      const queue: Child[] = seeds.slice(0, 2).map((s) => start(journal, s));
      let known = { events: 0, moves: 0, position: 0 };
      const summary: string[] = [];

      try {
        for (let round = 0; round < ROUNDS; round++) {
          const child = queue.shift()!;
          if (round + 2 < ROUNDS) queue.push(start(journal, seeds[round + 2]!));
          const killAfter = rng.range(1, 40);
          await child.ready;
          let acks = 0;
          child.onLine = (line) => {
            if (line.startsWith('ACK ') && ++acks === killAfter) child.proc.kill('SIGKILL');
          };
          child.proc.stdin.write('go\n');
          const exit = await child.done;
          expect(exit.signal, `round ${round}: ${child.stderr.join('')}`).toBe('SIGKILL');

          const got = acknowledged(child.lines);
          // The child resumed what the last round left.
          expect(got.open, `round ${round}`).toEqual({ position: known.position, newest: known.events });
          expect(got.events.length).toBeGreaterThanOrEqual(killAfter);
          expect(got.events.map((e) => e.seq)).toEqual(got.events.map((_, i) => known.events + 1 + i));

          const sizeBefore = statSync(journal).size;
          const torn = tear(journal, round);

          const make = simHistoryOptions();
          const { history, report } = await resumeHistory(journal, {
            history: make.options,
            parse: journalParser(make, newParseContext()),
          });

          // Every acknowledged event is there, with its command; at most one line more.
          const ackedEvents = known.events + got.events.length;
          const ackedMoves = known.moves + got.moves;
          expect(history.newest).toBe(report.events);
          for (const e of got.events) expect(history.event(e.seq)?.text, `round ${round}: event ${e.seq}`).toBe(e.text);
          const extraEvents = report.events - ackedEvents;
          const extraMoves = report.moves - ackedMoves;
          expect({ extraEvents, extraMoves }, `round ${round}`).toSatisfy(
            (x: { extraEvents: number; extraMoves: number }) => x.extraEvents >= 0 && x.extraMoves >= 0 && x.extraEvents + x.extraMoves <= 1,
          );
          if (extraEvents + extraMoves === 0) expect(history.position, `round ${round}`).toBe(got.position);
          if (extraEvents === 1) expect(history.position).toBe(history.newest);

          // The report adds up.
          expect(report.drift).toEqual([]);
          expect(report.stopped).toBeNull();
          expect(report.appendable).toBe(true);
          expect(report.version).toBe(JOURNAL_VERSION);
          expect(report.position).toBe(history.position);
          expect(report.message).toMatch(
            new RegExp(`^Resumed ${basename(journal)}: ${report.events} events? and ${report.moves} moves? replayed; position ${history.position}\\.`),
          );
          expect(validateState(history.current.state)).toEqual([]);

          // Damage: cut off, saved aside, and the journal ends where its valid part did.
          if (torn) {
            expect(report.status, `round ${round}`).toBe('repaired');
            const d = report.damage!;
            expect(d.offset).toBe(sizeBefore);
            expect(d.bytes).toBe(torn.length);
            expect(d.lines).toBe(round % 4 === 1 ? 1 : 2);
            expect(d.wellFormedAfter).toBe(round % 4 === 1 ? 0 : 1);
            expect(existsSync(d.savedTo)).toBe(true);
            expect(readFileSync(d.savedTo).equals(torn)).toBe(true);
            expect(statSync(journal).size).toBe(sizeBefore);
            expect(report.message).toContain(`saved in ${d.savedTo}`);
          } else if (report.status === 'repaired') {
            // A kill in the middle of a write: only that one line may be damaged.
            const d = report.damage!;
            expect(d.lines).toBe(1);
            expect(readFileSync(d.savedTo).length).toBe(d.bytes);
            expect(statSync(journal).size).toBe(d.offset);
          } else {
            expect(report.status).toBe('clean');
            expect(report.damage).toBeNull();
          }

          summary.push(`${killAfter}/${got.events.length}${extraEvents + extraMoves ? '+1' : ''}${torn ? ' torn' : ''}`);
          known = { events: report.events, moves: report.moves, position: history.position };
        }
      } finally {
        for (const c of queue) c.proc.kill('SIGKILL');
      }
      expect(queue).toEqual([]);
      expect(known.events).toBeGreaterThanOrEqual(ROUNDS);
      console.info(`journal kills (kill after / acknowledged): ${summary.join(', ')}; ${known.events} events, ${known.moves} moves in the end`);
    },
    120_000,
  );
});
