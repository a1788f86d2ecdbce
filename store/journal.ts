/**
 * The crash-safe journal of a session: every event and every move, one line
 * each (journal-format.ts), written and fsync'ed before the call returns, so
 * a command is reported done only once its line is on disk.
 *
 * Writing: a failed write or fsync throws a JournalWriteError after cutting
 * the file back to its last complete line. A whole line whose fsync failed
 * may reach the disk anyway, so a cancel line goes after it before the cut:
 * if the cut is lost, resuming still skips the command the user was told
 * failed. When the cut fails, the error says what the file may hold and the
 * writer refuses further lines. A line that would take the journal past its
 * size limit is refused. Before the first line it adds to a version 1
 * journal, the writer rewrites its header to this version (temporary file,
 * rename), so that older programs refuse the journal instead of misreading it.
 *
 * Resuming: the lines are checked one by one (checksum, JSON, fields, order);
 * the first bad line ends the valid prefix. The caller re-runs each event and
 * move through callbacks; an event whose result differs from the recorded one
 * is reported as drift, not hidden, and an event the callback cannot carry
 * out stops the replay there. The bytes from the first bad line, or from the
 * line the replay stopped at, are saved to FILE.damaged-<time>, then the file
 * is replaced by the part before them (temporary file, fsync, rename), so the
 * session goes on recording after the events it kept. A stop for want of
 * something outside the journal (the file an old journal's import names)
 * cuts nothing there: resuming again where the file can be read may succeed.
 */
import * as path from 'node:path';
import type { MoveKind } from './history.js';
import { JournalWriteError, type LineLeft } from './journal-error.js';
import {
  JOURNAL_FORMAT,
  JOURNAL_VERSION,
  MAX_JOURNAL_BYTES,
  cancelOf,
  decodeLine,
  encodeRecord,
  type EventRecord,
  type HeaderRecord,
  type JournalRecord,
  type MoveRecord,
} from './journal-format.js';
import { nodeJournalFs, type JournalFs } from './journal-fs.js';
import { countNewlines, JournalReader, type BadLine } from './journal-reader.js';

export interface JournalOptions {
  readonly fs?: JournalFs;
  /** Milliseconds since the epoch, for move lines and side-file names (default Date.now). */
  readonly now?: () => number;
  /** The largest a journal may grow (default MAX_JOURNAL_BYTES); a larger one is not resumed. */
  readonly maxBytes?: number;
}

export interface WriterOptions extends JournalOptions {
  /**
   * What an event's line carries besides its command's text (the `data`
   * field), taken from the command; undefined for nothing. It must be plain
   * JSON: the replay gets it back through JSON.parse.
   */
  readonly eventData?: (command: unknown) => unknown;
}

/** Where a session's events and moves go before they count as done. */
export interface JournalSink {
  recordEvent(e: {
    readonly seq: number;
    readonly parent: number | null;
    readonly text: string;
    readonly summary: string;
    readonly time: number;
    readonly command?: unknown;
  }): void;
  recordMove(m: { readonly kind: MoveKind; readonly arg: number; readonly from: number; readonly to: number }): void;
}

export class JournalWriter implements JournalSink {
  readonly path: string;
  readonly #fs: JournalFs;
  readonly #now: () => number;
  readonly #maxBytes: number;
  readonly #eventData: ((command: unknown) => unknown) | null;
  #fd: number | null;
  /** Bytes up to the end of the last line known to be on disk. */
  #length: number;
  #broken: JournalWriteError | null = null;
  /** The header of an older version, to be rewritten before the first line is added. */
  #oldHeader: HeaderRecord | null = null;

  private constructor(file: string, fd: number, length: number, opts: WriterOptions) {
    this.path = file;
    this.#fd = fd;
    this.#length = length;
    this.#fs = opts.fs ?? nodeJournalFs;
    this.#now = opts.now ?? Date.now;
    this.#maxBytes = opts.maxBytes ?? MAX_JOURNAL_BYTES;
    this.#eventData = opts.eventData ?? null;
  }

  /** Start a new journal (an existing file is refused) with its header; `startTime` is event 0's time. */
  static create(file: string, opts: WriterOptions & { readonly startTime?: number } = {}): JournalWriter {
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
   * prefix). An empty file gets a header first; an older version's header is
   * brought to this version.
   */
  static open(file: string, opts: WriterOptions & { readonly startTime?: number } = {}): JournalWriter {
    const fs = opts.fs ?? nodeJournalFs;
    let fd: number | null = null;
    let size: number;
    let header: HeaderRecord | null;
    try {
      fd = fs.openSync(file, 'r+');
      size = fs.fstatSync(fd).size;
      header = size > 0 ? readHeader(fs, fd, size) : null;
    } catch (err) {
      if (fd !== null) closeQuietly(fs, fd);
      throw JournalWriteError.from(err, 'open', file);
    }
    const w = new JournalWriter(file, fd, size, opts);
    if (header !== null && header.version < JOURNAL_VERSION) w.#oldHeader = header;
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
    const data = e.command !== undefined && this.#eventData ? this.#eventData(e.command) : undefined;
    this.#append({
      kind: 'event',
      seq: e.seq,
      parent: e.parent,
      command: e.text,
      result: e.summary,
      time: e.time,
      ...(data !== undefined ? { data } : {}),
    });
  }

  recordMove(m: Parameters<JournalSink['recordMove']>[0]): void {
    this.#append({ kind: 'move', op: m.kind, arg: m.arg, from: m.from, to: m.to, time: this.#now() });
  }

  close(): void {
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    // Every line was fsync'ed already; a failing close loses nothing.
    closeQuietly(this.#fs, fd);
  }

  /** A persisted session snapshot names the journal; it does not hold its file descriptor. */
  toJSON(): { readonly journal: string } {
    return { journal: this.path };
  }

  #append(rec: JournalRecord): void {
    if (this.#broken) throw new JournalWriteError(this.#broken.code, this.#broken.op, this.path, 'earlier');
    if (this.#fd === null) throw new JournalWriteError('EBADF', 'write', this.path);
    if (this.#oldHeader !== null) this.#upgrade(this.#oldHeader);
    const fd = this.#fd!;
    const line = encodeRecord(rec);
    if (this.#length + line.length + CANCEL_ROOM > this.#maxBytes) throw new JournalWriteError('EFBIG', 'write', this.path);
    let written = 0;
    try {
      while (written < line.length) {
        const n = this.#fs.writeSync(fd, line, written, line.length - written, this.#length + written);
        if (!(n > 0)) throw Object.assign(new Error('write returned no progress'), { code: 'EIO' });
        written += n;
      }
      this.#fs.fsyncSync(fd);
    } catch (err) {
      const left = this.#takeBack(fd, rec, written === line.length ? line.length : null);
      const e = JournalWriteError.from(err, written === line.length ? 'sync' : 'write', this.path, left);
      if (left !== 'nothing') this.#broken = e;
      throw e;
    }
    this.#length += line.length;
  }

  /** Rewrite the header to this version: the lines after it stay as they are. On failure nothing changed. */
  #upgrade(header: HeaderRecord): void {
    const fs = this.#fs;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.path).subarray(0, this.#length);
    } catch (err) {
      throw JournalWriteError.from(err, 'read', this.path);
    }
    const upgraded = Buffer.concat([encodeRecord({ ...header, version: JOURNAL_VERSION }), bytes.subarray(bytes.indexOf(0x0a) + 1)]);
    replaceWith(fs, this.path, upgraded, this.#now());
    // The name now holds the new file: write through it from here on.
    let fd: number;
    try {
      fd = fs.openSync(this.path, 'r+');
    } catch (err) {
      this.#broken = JournalWriteError.from(err, 'open', this.path);
      throw this.#broken;
    }
    closeQuietly(fs, this.#fd!);
    this.#fd = fd;
    this.#length = upgraded.length;
    this.#oldHeader = null;
  }

  /**
   * Remove what a failed line put in the file. `whole`: the line's length if
   * all of it was written (only its fsync failed), else null.
   */
  #takeBack(fd: number, rec: JournalRecord, whole: number | null): LineLeft {
    // A whole line may reach the disk whatever its fsync said. Cancelled and
    // synced first, it is skipped on resume even if the cut below is lost.
    let cancelled = false;
    if (whole !== null && (rec.kind === 'event' || rec.kind === 'move')) {
      try {
        writeAll(this.#fs, fd, encodeRecord(cancelOf(rec, this.#now())), this.#length + whole);
        cancelled = true;
        this.#fs.fsyncSync(fd);
      } catch {
        // The cut may still work; if not, `cancelled` says whether the cancel line is there.
      }
    }
    try {
      this.#fs.ftruncateSync(fd, this.#length);
      this.#fs.fsyncSync(fd);
      return 'nothing';
    } catch {
      if (whole === null || rec.kind === 'header' || rec.kind === 'cancel') return 'partial';
      return cancelled ? 'cancelled' : 'whole';
    }
  }
}

/**
 * Room kept below the size limit for a cancel line (at most about 110
 * bytes), so that a line cancelled at the limit does not make the journal
 * one that is refused on resume.
 */
const CANCEL_ROOM = 128;

function writeAll(fs: JournalFs, fd: number, data: Uint8Array, at: number): void {
  for (let off = 0; off < data.length; ) {
    const n = fs.writeSync(fd, data, off, data.length - off, at + off);
    if (!(n > 0)) throw Object.assign(new Error('write returned no progress'), { code: 'EIO' });
    off += n;
  }
}

function closeQuietly(fs: JournalFs, fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    /* already closed or unusable */
  }
}

/** The journal's first line if it is a header that decodes, else null. */
function readHeader(fs: JournalFs, fd: number, size: number): HeaderRecord | null {
  // A header is about a hundred bytes; one that does not fit is not a header.
  const buf = Buffer.alloc(Math.min(size, 4096));
  let got = 0;
  while (got < buf.length) {
    const n = fs.readSync(fd, buf, got, buf.length - got, got);
    if (n <= 0) break;
    got += n;
  }
  const nl = buf.subarray(0, got).indexOf(0x0a);
  if (nl < 0) return null;
  const d = decodeLine(buf.subarray(0, nl));
  return d.ok && d.record.kind === 'header' ? d.record : null;
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
    if (fd !== null) closeQuietly(fs, fd);
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
    writeAll(fs, fd, data, 0);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch (err) {
    closeQuietly(fs, fd);
    try {
      fs.unlinkSync(file);
    } catch {
      /* nothing left to remove */
    }
    throw JournalWriteError.from(err, op, file);
  }
}

/** Replace the journal by new bytes, atomically: a crash leaves either the old file or the new one. */
function replaceWith(fs: JournalFs, file: string, bytes: Uint8Array, time: number): void {
  const tmp = `${file}.tmp-${process.pid}-${time}`;
  writeNewFile(fs, tmp, bytes, 'write');
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

// ---------------------------------------------------------------------------
// Reading

export { scanJournal, type JournalScan, type ScannedRecord } from './journal-reader.js';

export interface ReplayHandlers {
  /** Called once before the first record, with the header (null for an empty journal) and the number of lines after it. */
  begin?(header: HeaderRecord | null, total: number): void;
  /**
   * Run the event's command again at the current position (which is
   * `rec.parent`) with its recorded time; return the result summary it gives
   * now (and a note for people, if any), or an error to stop the replay: an
   * event that no longer parses or cannot be carried out. `transient`: what
   * is missing lies outside the journal (a file an import reads) and may be
   * there another time, so the journal is not cut.
   */
  event(rec: EventRecord): { readonly summary: string; readonly note?: string } | { readonly error: string; readonly transient?: boolean };
  /**
   * Repeat the move and return where the move itself landed. Whatever it
   * landed on, leave the position at `rec.to`, as the journal says: later
   * lines continue from there.
   */
  move(rec: MoveRecord): { readonly landed: number } | { readonly error: string };
  /** Called with the lines read after the header and their total, every `progressEvery` lines or so and once at the end. */
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

/** Where the replay stopped, and why. */
export interface Stop {
  readonly line: number;
  readonly reason: string;
  /** What is missing lies outside the journal: the lines from `line` on stay in it, unreplayed (status 'unfinished'). */
  readonly transient: boolean;
}

/** The end of the journal that was cut off and saved aside. */
export interface Cut {
  /** Where the journal now ends. */
  readonly offset: number;
  readonly bytes: number;
  readonly lines: number;
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
  /** Larger than a journal may grow: nothing read, nothing changed. */
  | 'too-large'
  /** An event could not be carried out: the replay stopped there; that line and the rest were cut off (and saved). */
  | 'stopped'
  /** An event needs what is not there now (a transient Stop): the replay stopped there; the journal keeps those lines. */
  | 'unfinished';

export interface ResumeReport {
  readonly path: string;
  readonly status: ResumeStatus;
  readonly version: number | null;
  /** The header's time: event 0's time. */
  readonly startTime: number | null;
  /** Events and moves replayed. */
  readonly events: number;
  readonly moves: number;
  /** Lines skipped because a cancel line took them back. */
  readonly cancelled: number;
  /** The journal's position after the lines replayed. */
  readonly position: number;
  readonly damage: Damage | null;
  readonly drift: readonly Drift[];
  /** What the replay said about single lines. */
  readonly notes: readonly { readonly line: number; readonly text: string }[];
  readonly stopped: Stop | null;
  /** What was cut off the journal (for damage or a stop), if anything. */
  readonly cut: Cut | null;
  /** Whether JournalWriter.open may continue this journal. */
  readonly appendable: boolean;
  /** What happened, for people. */
  readonly message: string;
}

export interface ResumeOptions extends JournalOptions {
  /** Lines between progress calls (and between yields to the event loop); default 1000. */
  readonly progressEvery?: number;
}

/** Read, check, replay and repair a journal (see the top of this file). */
export async function resumeJournal(file: string, handlers: ReplayHandlers, opts: ResumeOptions = {}): Promise<ResumeReport> {
  const fs = opts.fs ?? nodeJournalFs;
  const now = opts.now ?? Date.now;
  const maxBytes = opts.maxBytes ?? MAX_JOURNAL_BYTES;
  const empty = {
    path: file,
    version: null,
    startTime: null,
    events: 0,
    moves: 0,
    cancelled: 0,
    position: 0,
    damage: null,
    drift: [],
    notes: [],
    stopped: null,
    cut: null,
    appendable: false,
  };
  if (!fs.existsSync(file)) {
    return { ...empty, status: 'missing', message: `No journal at ${file}.` };
  }
  const tooLarge = (size: number): ResumeReport => ({
    ...empty,
    status: 'too-large',
    message:
      `${file} is ${mebibytes(size)}, more than the ${mebibytes(maxBytes)} a journal may hold. ` +
      'Nothing was read or changed: start a new journal.',
  });
  let bytes: Buffer;
  try {
    // The size first, so that a huge file is refused without reading it.
    const fd = fs.openSync(file, 'r');
    let size: number;
    try {
      size = fs.fstatSync(fd).size;
    } finally {
      closeQuietly(fs, fd);
    }
    if (size > maxBytes) return tooLarge(size);
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw JournalWriteError.from(err, 'read', file);
  }
  if (bytes.length > maxBytes) return tooLarge(bytes.length);
  const reader = new JournalReader(bytes);
  if (reader.unsupportedVersion !== null) {
    return {
      ...empty,
      status: 'unsupported',
      version: reader.unsupportedVersion,
      message:
        `${file} is a journal of format version ${reader.unsupportedVersion}; this vmasim reads versions 1 to ${JOURNAL_VERSION}. ` +
        'Nothing was read or changed: use a newer vmasim, or start a new journal.',
    };
  }

  const every = Math.max(1, opts.progressEvery ?? 1000);
  // Progress counts lines, which are known without decoding them; the header is not one to replay.
  const total = Math.max(0, reader.completeLines() - reader.linesRead);
  const done = () => Math.max(0, reader.linesRead - 1);
  handlers.begin?.(reader.header, total);
  const drift: Drift[] = [];
  const notes: { line: number; text: string }[] = [];
  let events = 0;
  let moves = 0;
  let position = 0;
  let stopped: Stop | null = null;
  let stoppedAt = 0;
  let nextProgress = every;
  for (let scanned = reader.next(); scanned !== null; scanned = reader.next()) {
    const { line, offset, record: rec } = scanned;
    if (rec.kind === 'event') {
      const r = handlers.event(rec);
      if ('error' in r) {
        stopped = { line, reason: r.error, transient: r.transient === true };
        stoppedAt = offset;
        break;
      }
      if (r.note !== undefined) notes.push({ line, text: r.note });
      if (r.summary !== rec.result) {
        drift.push({ kind: 'result', line, seq: rec.seq, command: rec.command, recorded: rec.result, recomputed: r.summary });
      }
      events++;
      position = rec.seq;
    } else {
      const r = handlers.move(rec);
      if ('error' in r) {
        stopped = { line, reason: r.error, transient: false };
        stoppedAt = offset;
        break;
      }
      if (r.landed !== rec.to) {
        drift.push({ kind: 'move', line, op: rec.op, arg: rec.arg, from: rec.from, recorded: rec.to, recomputed: r.landed });
      }
      moves++;
      position = rec.to;
    }
    if (done() >= nextProgress && done() < total) {
      nextProgress = done() + every;
      handlers.progress?.(done(), total);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  const replayed = done();
  const scan = reader.end();
  handlers.progress?.(replayed, total);

  // Cut where the journal stops being usable: at the line the replay could
  // not carry out, else at the first bad line.
  const cutAt = stopped !== null && !stopped.transient ? stoppedAt : scan.bad !== null ? scan.validBytes : null;
  let cut: Cut | null = null;
  if (cutAt !== null) {
    const savedTo = sideFileName(fs, file, now());
    // The cut-off bytes first, so that they are safe before the journal shrinks.
    writeNewFile(fs, savedTo, bytes.subarray(cutAt), 'save-damaged');
    replaceWith(fs, file, bytes.subarray(0, cutAt), now());
    cut = { offset: cutAt, bytes: bytes.length - cutAt, lines: countLines(bytes.subarray(cutAt)), savedTo };
  }
  const damage: Damage | null =
    scan.bad === null || cut === null
      ? null
      : {
          ...scan.bad,
          bytes: scan.totalBytes - scan.validBytes,
          lines: scan.damagedLines,
          wellFormedAfter: scan.wellFormedAfterBad,
          savedTo: cut.savedTo,
        };

  const status: ResumeStatus = stopped ? (stopped.transient ? 'unfinished' : 'stopped') : damage ? 'repaired' : 'clean';
  const report = {
    path: file,
    status,
    version: scan.header?.version ?? null,
    startTime: scan.header?.time ?? null,
    events,
    moves,
    cancelled: scan.cancelled,
    position,
    damage,
    drift,
    notes,
    stopped,
    cut,
    appendable: status !== 'unfinished',
  };
  return { ...report, message: describeResume(report) };
}

/** Lines in `bytes`, a last one without its newline included. */
function countLines(bytes: Uint8Array): number {
  const unended = bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? 1 : 0;
  return countNewlines(bytes) + unended;
}

function mebibytes(n: number): string {
  return `${(n / 2 ** 20).toFixed(n % 2 ** 20 === 0 ? 0 : 1)} MiB`;
}

function sideFileName(fs: JournalFs, file: string, time: number): string {
  const stamp = new Date(time).toISOString().replace(/[-:]/g, '');
  let name = `${file}.damaged-${stamp}`;
  for (let k = 2; fs.existsSync(name); k++) name = `${file}.damaged-${stamp}-${k}`;
  return name;
}

const MAX_LISTED = 5;

export function describeResume(r: Omit<ResumeReport, 'message'>): string {
  const parts: string[] = [];
  const name = path.basename(r.path);
  parts.push(`Resumed ${name}: ${plural(r.events, 'event')} and ${plural(r.moves, 'move')} replayed; position ${r.position}.`);
  const d = r.damage;
  const stop = r.stopped;
  if (d && !(stop && !stop.transient)) {
    const after = d.lines - 1;
    parts.push(
      `Line ${d.line} (byte ${d.offset}) is damaged: ${d.reason}. ` +
        (after > 0
          ? `It and the ${plural(after, 'line')} after it (${d.wellFormedAfter} well-formed, not trusted after a damaged line)`
          : 'It') +
        `, ${plural(d.bytes, 'byte')}, ${after > 0 ? 'are' : 'is'} saved in ${d.savedTo}; the journal now ends before it.`,
    );
  }
  if (r.cancelled > 0) {
    parts.push(
      `${plural(r.cancelled, 'line')} cancelled as ${r.cancelled === 1 ? 'it was' : 'they were'} written ` +
        `(${r.cancelled === 1 ? 'its command was' : 'their commands were'} reported as not done) ${r.cancelled === 1 ? 'was' : 'were'} skipped.`,
    );
  }
  if (r.drift.length > 0) {
    const listed = r.drift.slice(0, MAX_LISTED).map((x) =>
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
  if (r.notes.length > 0) {
    const listed = r.notes.slice(0, MAX_LISTED).map((n) => `line ${n.line}: ${n.text}`);
    const more = r.notes.length - listed.length;
    parts.push(`${capitalize(listed.join('; '))}${more > 0 ? `; and ${more} more like ${more === 1 ? 'it' : 'them'}.` : '.'}`);
  }
  if (stop && stop.transient) {
    parts.push(
      `Replay stopped at line ${stop.line}: ${stop.reason}. The lines from there on stay in the journal, unreplayed: ` +
        'resume it again once that is fixed. Until then it cannot be continued.',
    );
  } else if (stop && r.cut) {
    const c = r.cut;
    const after = c.lines - 1;
    parts.push(
      `Replay stopped at line ${stop.line}: ${stop.reason}. ` +
        (after > 0 ? `It and the ${plural(after, 'line')} after it` : 'It') +
        (d ? ` (of which line ${d.line} is damaged: ${d.reason})` : '') +
        `, ${plural(c.bytes, 'byte')}, ${after > 0 ? 'are' : 'is'} saved in ${c.savedTo}; the journal now ends before it.`,
    );
  }
  return parts.join(' ');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
