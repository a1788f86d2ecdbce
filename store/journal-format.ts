/**
 * The journal's line format: JSON Lines, one record a line, each line
 * carrying a CRC-32 of its own bytes.
 *
 *   {"kind":"header","format":"vmasim-journal","version":2,"time":1700000000000,"crc":"de51d07e"}
 *   {"kind":"event","seq":1,"parent":0,"command":"mmap - 8K rw-","result":"0x7ffff7ffd000","time":1700000000123,"crc":"51312578"}
 *   {"kind":"move","op":"undo","arg":1,"from":1,"to":0,"time":1700000000456,"crc":"c60bac8f"}
 *   {"kind":"cancel","of":"move","from":1,"to":0,"time":1700000000789,"crc":"89c1130c"}
 *
 * Version 2 added two things, which a version 1 program would misread (so
 * it must refuse the journal, which it does for any version above its own):
 * - an event may carry `data`: what its command needs beyond its text to be
 *   carried out again (an import's loaded file), so that replaying it never
 *   depends on files outside the journal. Version 1 events have none.
 * - a `cancel` line takes back the event or move line just before it: a
 *   line that reached the file although its command was reported as not
 *   done (its fsync failed and the file could not be cut back).
 * Both versions are read.
 *
 * The checksum is the last field: the CRC-32 of the line's bytes up to
 * `,"crc"` followed by `}` (the line as it was before the field was added),
 * as 8 lower-case hex digits. A line counts only with its newline.
 *
 * Besides each line on its own, the sequence must make sense (JournalSequence):
 * one header first; events numbered 1, 2, 3, ... without gaps or repeats,
 * each continuing from the position the lines before it left; moves starting
 * from that position and ending at an event that exists; a cancel right after
 * the event or move line it names, leaving things as they were before it.
 */
import { crc32, crc32Range } from './crc32.js';
import { readPlainEventLine } from './journal-event-line.js';
import type { MoveKind } from './history.js';

export const JOURNAL_FORMAT = 'vmasim-journal';
export const JOURNAL_VERSION = 2;

/**
 * The largest journal written or resumed: resuming reads it whole, and each
 * line is decoded as one string (V8 strings stop near 512 MiB).
 */
export const MAX_JOURNAL_BYTES = 256 * 1024 * 1024;

export interface HeaderRecord {
  readonly kind: 'header';
  readonly format: typeof JOURNAL_FORMAT;
  readonly version: number;
  /** When the journal was started: the time of event 0. */
  readonly time: number;
}

export interface EventRecord {
  readonly kind: 'event';
  readonly seq: number;
  readonly parent: number;
  /** The command's canonical text. */
  readonly command: string;
  /** The result summary. */
  readonly result: string;
  readonly time: number;
  /** What the command needs beyond its text to run again (version 2), as JSON. */
  readonly data?: unknown;
}

export interface MoveRecord {
  readonly kind: 'move';
  readonly op: MoveKind;
  /** What was asked: the count for undo, redo, back and forward; the event for goto. */
  readonly arg: number;
  readonly from: number;
  readonly to: number;
  readonly time: number;
}

/**
 * The event or move line just before did not happen. `from` and `to` name it:
 * the position it moved from and to (an event's parent and its number).
 */
export interface CancelRecord {
  readonly kind: 'cancel';
  readonly of: 'event' | 'move';
  readonly from: number;
  readonly to: number;
  readonly time: number;
}

export type JournalRecord = HeaderRecord | EventRecord | MoveRecord | CancelRecord;

/** The cancel line for an event or move line. */
export function cancelOf(rec: EventRecord | MoveRecord, time: number): CancelRecord {
  return rec.kind === 'event'
    ? { kind: 'cancel', of: 'event', from: rec.parent, to: rec.seq, time }
    : { kind: 'cancel', of: 'move', from: rec.from, to: rec.to, time };
}

const MOVE_KINDS: readonly string[] = ['undo', 'redo', 'goto', 'back', 'forward'] satisfies readonly MoveKind[];

const CRC_HEAD = ',"crc":"';
const CRC_SUFFIX_LENGTH = ',"crc":"00000000"}'.length;
const CLOSE_BRACE = new Uint8Array([0x7d]);

/** The line for a record, newline included. */
export function encodeRecord(rec: JournalRecord): Buffer {
  const body = Buffer.from(JSON.stringify(rec), 'utf8');
  const crc = crc32(body).toString(16).padStart(8, '0');
  return Buffer.concat([body.subarray(0, body.length - 1), Buffer.from(`,"crc":"${crc}"}\n`, 'utf8')]);
}

export type Decoded = { readonly ok: true; readonly record: JournalRecord } | { readonly ok: false; readonly reason: string };

/** One line's bytes, without its newline: checksum, JSON, and the fields of its kind. */
export function decodeLine(line: Uint8Array): Decoded {
  return decodeLineAt(Buffer.from(line.buffer, line.byteOffset, line.byteLength), 0, line.length);
}

/** The line in `bytes[start, end)`, without its newline, as decodeLine reads it; no copy or view of it is made. */
export function decodeLineAt(bytes: Buffer, start: number, end: number): Decoded {
  // Not a strict decoder: the checksum over the raw bytes catches any change.
  const cut = end - CRC_SUFFIX_LENGTH;
  const written = cut < start ? -1 : checksumField(bytes, cut);
  if (written < 0) return { ok: false, reason: 'no checksum at the end of the line' };
  if (crc32(CLOSE_BRACE, crc32Range(bytes, start, cut)) !== written) return { ok: false, reason: 'checksum mismatch' };
  const plain = readPlainEventLine(bytes, start, cut);
  // The plain reader has checked every field's type already; only seq ≥ 1 is left.
  if (plain !== undefined && plain.seq >= 1) return { ok: true, record: plain };
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8', start, end));
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  return checkFields(value);
}

/** The value of the `,"crc":"…"}` ending at `at` (8 lower-case hex digits), or -1 when there is none. */
function checksumField(bytes: Uint8Array, at: number): number {
  for (let j = 0; j < CRC_HEAD.length; j++) if (bytes[at + j] !== CRC_HEAD.charCodeAt(j)) return -1;
  const digits = at + CRC_HEAD.length;
  if (bytes[digits + 8] !== 0x22 || bytes[digits + 9] !== 0x7d) return -1;
  let value = 0;
  for (let j = digits; j < digits + 8; j++) {
    const c = bytes[j]!;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0) return -1;
    value = value * 16 + d;
  }
  return value;
}

function checkFields(v: unknown): Decoded {
  if (typeof v !== 'object' || v === null) return { ok: false, reason: 'not a JSON object' };
  const o = v as Record<string, unknown>;
  const bad = (field: string, what: string): Decoded => ({ ok: false, reason: `${String(o.kind)} line: ${field} must be ${what}` });
  const seqField = (f: string) => typeof o[f] === 'number' && Number.isSafeInteger(o[f]) && (o[f] as number) >= 0;
  if (typeof o.time !== 'number' || !Number.isFinite(o.time)) return bad('time', 'a number');
  switch (o.kind) {
    case 'header':
      if (o.format !== JOURNAL_FORMAT) return bad('format', `"${JOURNAL_FORMAT}"`);
      if (!seqField('version') || (o.version as number) < 1) return bad('version', 'a whole number ≥ 1');
      return { ok: true, record: { kind: 'header', format: JOURNAL_FORMAT, version: o.version as number, time: o.time } };
    case 'event':
      if (!seqField('seq') || (o.seq as number) < 1) return bad('seq', 'a whole number ≥ 1');
      if (!seqField('parent')) return bad('parent', 'a whole number ≥ 0');
      if (typeof o.command !== 'string') return bad('command', 'a string');
      if (typeof o.result !== 'string') return bad('result', 'a string');
      return {
        ok: true,
        record: {
          kind: 'event',
          seq: o.seq as number,
          parent: o.parent as number,
          command: o.command,
          result: o.result,
          time: o.time,
          ...(o.data !== undefined ? { data: o.data } : {}),
        },
      };
    case 'move':
      if (typeof o.op !== 'string' || !MOVE_KINDS.includes(o.op)) return bad('op', MOVE_KINDS.join(', '));
      if (!seqField('arg')) return bad('arg', 'a whole number ≥ 0');
      if (!seqField('from')) return bad('from', 'a whole number ≥ 0');
      if (!seqField('to')) return bad('to', 'a whole number ≥ 0');
      return {
        ok: true,
        record: { kind: 'move', op: o.op as MoveKind, arg: o.arg as number, from: o.from as number, to: o.to as number, time: o.time },
      };
    case 'cancel':
      if (o.of !== 'event' && o.of !== 'move') return bad('of', 'event or move');
      if (!seqField('from')) return bad('from', 'a whole number ≥ 0');
      if (!seqField('to')) return bad('to', 'a whole number ≥ 0');
      return { ok: true, record: { kind: 'cancel', of: o.of, from: o.from as number, to: o.to as number, time: o.time } };
    default:
      return { ok: false, reason: `unknown kind ${JSON.stringify(o.kind)}` };
  }
}

/** Where a journal stands after the lines read so far. */
export interface JournalCursor {
  readonly lines: number;
  /** The number the next event must have. */
  readonly nextSeq: number;
  /** The current position after the lines read so far. */
  readonly position: number;
}

/**
 * The journal's lines in order, checked one at a time: whether each may
 * follow the ones before it. Mutable, because a resume checks every line of
 * a long journal and an immutable cursor cost three objects a line.
 */
export class JournalSequence implements JournalCursor {
  lines = 0;
  nextSeq = 1;
  position = 0;
  /** The last line, if it is an event or a move (which a cancel line may take back), and where things stood before it. */
  #last: EventRecord | MoveRecord | null = null;
  #nextSeqBefore = 1;
  #positionBefore = 0;

  /** Take `rec` as the next line; null, or why it may not follow (and then nothing changes). */
  accept(rec: JournalRecord): string | null {
    if (this.lines === 0) {
      if (rec.kind !== 'header') return 'the first line is not a header';
      this.lines = 1;
      return null;
    }
    switch (rec.kind) {
      case 'header':
        return 'a second header';
      case 'event':
        if (rec.seq < this.nextSeq) return `event ${rec.seq} again (the next event is ${this.nextSeq})`;
        if (rec.seq > this.nextSeq) return `event ${rec.seq} where event ${this.nextSeq} was due`;
        if (rec.parent >= this.nextSeq) return `event ${rec.seq} continues from event ${rec.parent}, which does not exist`;
        if (rec.parent !== this.position) return `event ${rec.seq} continues from event ${rec.parent}, but the position is ${this.position}`;
        this.#takeBack(rec);
        this.nextSeq = rec.seq + 1;
        this.position = rec.seq;
        return null;
      case 'move':
        if (rec.from !== this.position) return `a ${rec.op} from event ${rec.from}, but the position is ${this.position}`;
        if (rec.to >= this.nextSeq) return `a ${rec.op} to event ${rec.to}, which does not exist`;
        this.#takeBack(rec);
        this.position = rec.to;
        return null;
      case 'cancel': {
        const what = rec.of === 'event' ? `event ${rec.to} (from event ${rec.from})` : `the move from event ${rec.from} to ${rec.to}`;
        const last = this.#last;
        if (last === null) return `a cancel of ${what} that does not follow an event or move line`;
        const named = last.kind === 'event' ? { of: 'event', from: last.parent, to: last.seq } : { of: 'move', from: last.from, to: last.to };
        if (named.of !== rec.of || named.from !== rec.from || named.to !== rec.to) {
          return `a cancel of ${what}, but the line before it is ${last.kind === 'event' ? `event ${last.seq}` : `a ${last.op} from event ${last.from} to ${last.to}`}`;
        }
        this.lines++;
        this.nextSeq = this.#nextSeqBefore;
        this.position = this.#positionBefore;
        this.#last = null;
        return null;
      }
    }
  }

  /** Where things stand now, as a value. */
  cursor(): JournalCursor {
    return { lines: this.lines, nextSeq: this.nextSeq, position: this.position };
  }

  /** Only one step back is kept: a cancel line takes back the line just before it, no more. */
  #takeBack(rec: EventRecord | MoveRecord): void {
    this.lines++;
    this.#last = rec;
    this.#nextSeqBefore = this.nextSeq;
    this.#positionBefore = this.position;
  }
}
