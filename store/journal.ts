/**
 * The crash-safe journal of a session: every event and every move, one line
 * each (journal-format.ts), written and fsync'ed before the call returns, so
 * a command is reported done only once its line is on disk.
 *
 * Writing: a failed write or fsync throws a JournalWriteError after cutting
 * the file back to its last complete line; if even that fails, the error says
 * the file may be torn and the writer refuses further lines.
 *
 * Resuming: the lines are checked one by one (checksum, JSON, fields, order);
 * the first bad line ends the valid prefix. The bytes from there on are saved
 * to FILE.damaged-<time>, then the file is replaced by its valid prefix
 * (temporary file, fsync, rename). The caller re-runs each event and move
 * through callbacks; an event whose result differs from the recorded one is
 * reported as drift, not hidden.
 */
import * as path from 'node:path';
import type { MoveKind } from './history.js';
import { JournalWriteError } from './journal-error.js';
import {
  JOURNAL_FORMAT,
  JOURNAL_VERSION,
  START_CURSOR,
  checkRecord,
  decodeLine,
  encodeRecord,
  type EventRecord,
  type HeaderRecord,
  type JournalCursor,
  type JournalRecord,
  type MoveRecord,
} from './journal-format.js';
import { nodeJournalFs, type JournalFs } from './journal-fs.js';

export interface JournalOptions {
  readonly fs?: JournalFs;
  /** Milliseconds since the epoch, for move lines and side-file names (default Date.now). */
  readonly now?: () => number;
}

/** Where a session's events and moves go before they count as done. */
export interface JournalSink {
  recordEvent(e: {
    readonly seq: number;
    readonly parent: number | null;
    readonly text: string;
    readonly summary: string;
    readonly time: number;
  }): void;
  recordMove(m: { readonly kind: MoveKind; readonly arg: number; readonly from: number; readonly to: number }): void;
}

export class JournalWriter implements JournalSink {
  readonly path: string;
  readonly #fs: JournalFs;
  readonly #now: () => number;
  #fd: number | null;
  /** Bytes up to the end of the last line known to be on disk. */
  #length: number;
  #broken: JournalWriteError | null = null;

  private constructor(file: string, fd: number, length: number, opts: JournalOptions) {
    this.path = file;
    this.#fd = fd;
    this.#length = length;
    this.#fs = opts.fs ?? nodeJournalFs;
    this.#now = opts.now ?? Date.now;
  }

  /** Start a new journal (an existing file is refused) with its header; `startTime` is event 0's time. */
  static create(file: string, opts: JournalOptions & { readonly startTime?: number } = {}): JournalWriter {
    const fs = opts.fs ?? nodeJournalFs;
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx', 0o644);
    } catch (err) {
      throw JournalWriteError.from(err, 'open', file);
    }
    const w = new JournalWriter(file, fd, 0, opts);
    try {
      w.#append({ kind: 'header', format: JOURNAL_FORMAT, version: JOURNAL_VERSION, time: opts.startTime ?? w.#now() });
      syncDirectory(fs, file);
    } catch (err) {
      w.close();
      throw err;
    }
    return w;
  }

  /**
   * Continue a journal that resumeJournal has checked (and cut to its valid
   * prefix). An empty file gets a header first.
   */
  static open(file: string, opts: JournalOptions & { readonly startTime?: number } = {}): JournalWriter {
    const fs = opts.fs ?? nodeJournalFs;
    let fd: number;
    let size: number;
    try {
      fd = fs.openSync(file, 'r+');
      size = fs.fstatSync(fd).size;
    } catch (err) {
      throw JournalWriteError.from(err, 'open', file);
    }
    const w = new JournalWriter(file, fd, size, opts);
    if (size === 0) {
      try {
        w.#append({ kind: 'header', format: JOURNAL_FORMAT, version: JOURNAL_VERSION, time: opts.startTime ?? w.#now() });
      } catch (err) {
        w.close();
        throw err;
      }
    }
    return w;
  }

  /** Bytes of complete lines written. */
  get length(): number {
    return this.#length;
  }

  recordEvent(e: Parameters<JournalSink['recordEvent']>[0]): void {
    if (e.parent === null) throw new RangeError('event 0 is the journal header, not a line of its own');
    this.#append({ kind: 'event', seq: e.seq, parent: e.parent, command: e.text, result: e.summary, time: e.time });
  }

  recordMove(m: Parameters<JournalSink['recordMove']>[0]): void {
    this.#append({ kind: 'move', op: m.kind, arg: m.arg, from: m.from, to: m.to, time: this.#now() });
  }

  close(): void {
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    try {
      this.#fs.closeSync(fd);
    } catch {
      // Every line was fsync'ed already; a failing close loses nothing.
    }
  }

  /** A persisted session snapshot names the journal; it does not hold its file descriptor. */
  toJSON(): { readonly journal: string } {
    return { journal: this.path };
  }

  #append(rec: JournalRecord): void {
    if (this.#broken) throw new JournalWriteError(this.#broken.code, this.#broken.op, this.path, true);
    if (this.#fd === null) throw new JournalWriteError('EBADF', 'write', this.path, false);
    const fd = this.#fd;
    const line = encodeRecord(rec);
    let written = 0;
    try {
      while (written < line.length) {
        const n = this.#fs.writeSync(fd, line, written, line.length - written, this.#length + written);
        if (!(n > 0)) throw Object.assign(new Error('write returned no progress'), { code: 'EIO' });
        written += n;
      }
      this.#fs.fsyncSync(fd);
    } catch (err) {
      // Take back whatever part of the line reached the file, so that no
      // partial line sits before the next one.
      let torn = false;
      try {
        this.#fs.ftruncateSync(fd, this.#length);
        this.#fs.fsyncSync(fd);
      } catch {
        torn = true;
      }
      const e = JournalWriteError.from(err, written === line.length ? 'sync' : 'write', this.path, torn);
      if (torn) this.#broken = e;
      throw e;
    }
    this.#length += line.length;
  }
}

function syncDirectory(fs: JournalFs, file: string): void {
  // Makes a new or renamed file's directory entry durable. Some file systems
  // refuse fsync on directories; the data itself is synced either way.
  let fd: number | null = null;
  try {
    fd = fs.openSync(path.dirname(path.resolve(file)), 'r');
    fs.fsyncSync(fd);
  } catch {
    /* best effort */
  } finally {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        /* nothing to do */
      }
    }
  }
}

/** Write a whole new file durably; on failure remove what was written and throw. */
function writeNewFile(fs: JournalFs, file: string, data: Uint8Array, op: 'write' | 'save-damaged'): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o644);
  } catch (err) {
    throw JournalWriteError.from(err, op, file);
  }
  try {
    for (let off = 0; off < data.length; ) {
      const n = fs.writeSync(fd, data, off, data.length - off, off);
      if (!(n > 0)) throw Object.assign(new Error('write returned no progress'), { code: 'EIO' });
      off += n;
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch (err) {
    try {
      fs.closeSync(fd);
    } catch {
      /* already closed or unusable */
    }
    try {
      fs.unlinkSync(file);
    } catch {
      /* nothing left to remove */
    }
    throw JournalWriteError.from(err, op, file);
  }
}

// ---------------------------------------------------------------------------
// Reading

export interface ScannedRecord<T extends JournalRecord = EventRecord | MoveRecord> {
  /** 1-based line number. */
  readonly line: number;
  readonly record: T;
}

export interface BadLine {
  readonly line: number;
  /** Byte offset where the line starts: the end of the valid prefix. */
  readonly offset: number;
  readonly reason: string;
}

export interface JournalScan {
  readonly header: HeaderRecord | null;
  /** The events and moves of the valid prefix, in order. */
  readonly records: readonly ScannedRecord[];
  /** Length of the valid prefix in bytes. */
  readonly validBytes: number;
  readonly totalBytes: number;
  /** The first line that is not valid, if any. */
  readonly bad: BadLine | null;
  /** Lines from the bad one to the end (a last line without newline included). */
  readonly damagedLines: number;
  /** Of the lines after the bad one, how many are well-formed on their own. */
  readonly wellFormedAfterBad: number;
  /** A header of a newer format version than this program reads, if so. */
  readonly unsupportedVersion: number | null;
  /** Position and next event number at the end of the valid prefix. */
  readonly cursor: JournalCursor;
}

/** Check a journal's bytes line by line; pure (no file access). */
export function scanJournal(bytes: Uint8Array): JournalScan {
  let offset = 0;
  let cursor = START_CURSOR;
  let header: HeaderRecord | null = null;
  const records: ScannedRecord[] = [];
  let bad: BadLine | null = null;
  let unsupportedVersion: number | null = null;
  while (offset < bytes.length) {
    const nl = bytes.indexOf(0x0a, offset);
    const line = cursor.lines + 1;
    if (nl < 0) {
      bad = { line, offset, reason: 'the last line is incomplete (no newline at its end)' };
      break;
    }
    const d = decodeLine(bytes.subarray(offset, nl));
    if (!d.ok) {
      bad = { line, offset, reason: d.reason };
      break;
    }
    if (cursor.lines === 0 && d.record.kind === 'header' && d.record.version > JOURNAL_VERSION) {
      unsupportedVersion = d.record.version;
      break;
    }
    const c = checkRecord(cursor, d.record);
    if (!c.ok) {
      bad = { line, offset, reason: c.reason };
      break;
    }
    cursor = c.cursor;
    if (d.record.kind === 'header') header = d.record;
    else records.push({ line, record: d.record });
    offset = nl + 1;
  }
  let damagedLines = 0;
  let wellFormedAfterBad = 0;
  if (bad !== null) {
    for (let at = offset; at < bytes.length; damagedLines++) {
      const nl = bytes.indexOf(0x0a, at);
      const end = nl < 0 ? bytes.length : nl;
      if (at !== offset && nl >= 0 && decodeLine(bytes.subarray(at, end)).ok) wellFormedAfterBad++;
      at = end + 1;
    }
  }
  return {
    header,
    records,
    validBytes: offset,
    totalBytes: bytes.length,
    bad,
    damagedLines,
    wellFormedAfterBad,
    unsupportedVersion,
    cursor,
  };
}

export interface ReplayHandlers {
  /** Called once before the first record, with the header (null for an empty journal) and the number of records. */
  begin?(header: HeaderRecord | null, total: number): void;
  /**
   * Run the event's command again at the current position (which is
   * `rec.parent`) with its recorded time; return the result summary it gives
   * now, or an error (a command that no longer parses) to stop the replay.
   */
  event(rec: EventRecord): { readonly summary: string } | { readonly error: string };
  /**
   * Repeat the move and return where the move itself landed. Whatever it
   * landed on, leave the position at `rec.to`, as the journal says: later
   * lines continue from there.
   */
  move(rec: MoveRecord): { readonly landed: number } | { readonly error: string };
  /** Called every `progressEvery` records and once at the end. */
  progress?(done: number, total: number): void;
}

export type Drift =
  | {
      readonly kind: 'result';
      readonly line: number;
      readonly seq: number;
      readonly command: string;
      readonly recorded: string;
      readonly recomputed: string;
    }
  | {
      readonly kind: 'move';
      readonly line: number;
      readonly op: MoveKind;
      readonly arg: number;
      readonly from: number;
      readonly recorded: number;
      readonly recomputed: number;
    };

export interface Damage extends BadLine {
  /** Bytes from the bad line to the end, now in `savedTo`. */
  readonly bytes: number;
  readonly lines: number;
  readonly wellFormedAfter: number;
  readonly savedTo: string;
}

export type ResumeStatus =
  /** No journal file. */
  | 'missing'
  /** Every line valid, everything replayed. */
  | 'clean'
  /** A damaged tail was cut off (and saved); the valid prefix replayed. */
  | 'repaired'
  /** Written by a newer version: nothing read, nothing changed. */
  | 'unsupported'
  /** A callback refused a record; the replay stopped there. */
  | 'stopped';

export interface ResumeReport {
  readonly path: string;
  readonly status: ResumeStatus;
  readonly version: number | null;
  /** The header's time: event 0's time. */
  readonly startTime: number | null;
  /** Events and moves replayed. */
  readonly events: number;
  readonly moves: number;
  /** The journal's position after the lines replayed. */
  readonly position: number;
  readonly damage: Damage | null;
  readonly drift: readonly Drift[];
  readonly stopped: { readonly line: number; readonly reason: string } | null;
  /** Whether JournalWriter.open may continue this journal. */
  readonly appendable: boolean;
  /** What happened, for people. */
  readonly message: string;
}

export interface ResumeOptions extends JournalOptions {
  /** Records between progress calls (and between yields to the event loop); default 1000. */
  readonly progressEvery?: number;
}

/** Read, check, repair and replay a journal (see the top of this file). */
export async function resumeJournal(file: string, handlers: ReplayHandlers, opts: ResumeOptions = {}): Promise<ResumeReport> {
  const fs = opts.fs ?? nodeJournalFs;
  const now = opts.now ?? Date.now;
  const empty = { path: file, version: null, startTime: null, events: 0, moves: 0, position: 0, damage: null, drift: [], stopped: null };
  if (!fs.existsSync(file)) {
    return { ...empty, status: 'missing', appendable: false, message: `No journal at ${file}.` };
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw JournalWriteError.from(err, 'read', file);
  }
  const scan = scanJournal(bytes);
  if (scan.unsupportedVersion !== null) {
    return {
      ...empty,
      status: 'unsupported',
      version: scan.unsupportedVersion,
      appendable: false,
      message:
        `${file} is a journal of format version ${scan.unsupportedVersion}; this vmasim reads version ${JOURNAL_VERSION}. ` +
        'Nothing was read or changed: use a newer vmasim, or start a new journal.',
    };
  }

  let damage: Damage | null = null;
  if (scan.bad !== null) {
    const savedTo = sideFileName(fs, file, now());
    // Damaged bytes first, so that they are safe before the journal shrinks.
    writeNewFile(fs, savedTo, bytes.subarray(scan.validBytes), 'save-damaged');
    replaceWithPrefix(fs, file, bytes.subarray(0, scan.validBytes), now());
    damage = {
      ...scan.bad,
      bytes: scan.totalBytes - scan.validBytes,
      lines: scan.damagedLines,
      wellFormedAfter: scan.wellFormedAfterBad,
      savedTo,
    };
  }

  const every = Math.max(1, opts.progressEvery ?? 1000);
  const total = scan.records.length;
  handlers.begin?.(scan.header, total);
  const drift: Drift[] = [];
  let events = 0;
  let moves = 0;
  let position = 0;
  let stopped: ResumeReport['stopped'] = null;
  for (let i = 0; i < total; i++) {
    const { line, record: rec } = scan.records[i]!;
    if (rec.kind === 'event') {
      const r = handlers.event(rec);
      if ('error' in r) {
        stopped = { line, reason: r.error };
        break;
      }
      if (r.summary !== rec.result) {
        drift.push({ kind: 'result', line, seq: rec.seq, command: rec.command, recorded: rec.result, recomputed: r.summary });
      }
      events++;
      position = rec.seq;
    } else {
      const r = handlers.move(rec);
      if ('error' in r) {
        stopped = { line, reason: r.error };
        break;
      }
      if (r.landed !== rec.to) {
        drift.push({ kind: 'move', line, op: rec.op, arg: rec.arg, from: rec.from, recorded: rec.to, recomputed: r.landed });
      }
      moves++;
      position = rec.to;
    }
    if ((i + 1) % every === 0 && i + 1 < total) {
      handlers.progress?.(i + 1, total);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  handlers.progress?.(events + moves, total);

  const status: ResumeStatus = stopped ? 'stopped' : damage ? 'repaired' : 'clean';
  const report = {
    path: file,
    status,
    version: scan.header?.version ?? null,
    startTime: scan.header?.time ?? null,
    events,
    moves,
    position,
    damage,
    drift,
    stopped,
    appendable: stopped === null,
  };
  return { ...report, message: describeResume(report) };
}

function sideFileName(fs: JournalFs, file: string, time: number): string {
  const stamp = new Date(time).toISOString().replace(/[-:]/g, '');
  let name = `${file}.damaged-${stamp}`;
  for (let k = 2; fs.existsSync(name); k++) name = `${file}.damaged-${stamp}-${k}`;
  return name;
}

/** Replace the journal by its first bytes, atomically: a crash leaves either the old file or the new one. */
function replaceWithPrefix(fs: JournalFs, file: string, prefix: Uint8Array, time: number): void {
  const tmp = `${file}.tmp-${process.pid}-${time}`;
  writeNewFile(fs, tmp, prefix, 'write');
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* nothing left to remove */
    }
    throw JournalWriteError.from(err, 'rename', file);
  }
  syncDirectory(fs, file);
}

const MAX_DRIFT_LISTED = 5;

export function describeResume(r: Omit<ResumeReport, 'message'>): string {
  const parts: string[] = [];
  const name = path.basename(r.path);
  parts.push(`Resumed ${name}: ${plural(r.events, 'event')} and ${plural(r.moves, 'move')} replayed; position ${r.position}.`);
  if (r.damage) {
    const d = r.damage;
    const after = d.lines - 1;
    parts.push(
      `Line ${d.line} (byte ${d.offset}) is damaged: ${d.reason}. ` +
        (after > 0
          ? `It and the ${plural(after, 'line')} after it (${d.wellFormedAfter} well-formed, not trusted after a damaged line)`
          : 'It') +
        `, ${plural(d.bytes, 'byte')}, ${after > 0 ? 'are' : 'is'} saved in ${d.savedTo}; the journal now ends before it.`,
    );
  }
  if (r.drift.length > 0) {
    const listed = r.drift.slice(0, MAX_DRIFT_LISTED).map((x) =>
      x.kind === 'result'
        ? `event ${x.seq} \`${x.command}\` recorded ${x.recorded}, now ${x.recomputed}`
        : `line ${x.line}: ${x.op} ${x.arg} from ${x.from} went to ${x.recorded}, now to ${x.recomputed}`,
    );
    const more = r.drift.length - listed.length;
    parts.push(
      `${plural(r.drift.length, 'line')} replayed differently from the record: ${listed.join('; ')}` +
        (more > 0 ? `; and ${more} more.` : '.'),
    );
  }
  if (r.stopped) {
    parts.push(
      `Replay stopped at line ${r.stopped.line}: ${r.stopped.reason}. The lines from there on are kept in the file but not replayed, ` +
        'so this journal cannot be continued: start a new one.',
    );
  }
  return parts.join(' ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
