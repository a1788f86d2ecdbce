/**
 * Reading a journal's bytes line by line (the format is journal-format.ts):
 * each line decoded and checked against the lines before it, up to the
 * first line that is not valid.
 *
 * A reader hands out one record at a time, so that resuming replays each
 * record as it is read and keeps none of them: a journal of a million
 * events would otherwise hold a million decoded records until the end of
 * the replay. The one record it holds back is the last one read, because a
 * cancel line right after it takes it back.
 */
import {
  JOURNAL_VERSION,
  decodeLineAt,
  type EventRecord,
  type HeaderRecord,
  type JournalCursor,
  type JournalRecord,
  type MoveRecord,
  JournalSequence,
} from './journal-format.js';

export interface ScannedRecord<T extends JournalRecord = EventRecord | MoveRecord> {
  /** 1-based line number. */
  readonly line: number;
  /** Byte offset where the line starts. */
  readonly offset: number;
  readonly record: T;
}

export interface BadLine {
  readonly line: number;
  /** Byte offset where the line starts: the end of the valid prefix. */
  readonly offset: number;
  readonly reason: string;
}

/** What reading the whole journal found, besides its records. */
export interface JournalEnd {
  readonly header: HeaderRecord | null;
  /** Lines of the valid prefix that a cancel line took back. */
  readonly cancelled: number;
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

export interface JournalScan extends JournalEnd {
  /** The events and moves of the valid prefix that no cancel line took back, in order. */
  readonly records: readonly ScannedRecord[];
}

/** Check a journal's bytes line by line and keep every record; pure (no file access). */
export function scanJournal(data: Uint8Array): JournalScan {
  const reader = new JournalReader(data);
  const records: ScannedRecord[] = [];
  for (let r = reader.next(); r !== null; r = reader.next()) records.push(r);
  return { ...reader.end(), records };
}

export class JournalReader {
  readonly #bytes: Buffer;
  #offset = 0;
  readonly #sequence = new JournalSequence();
  #header: HeaderRecord | null = null;
  /** The last event or move read, which the next line may still cancel. */
  #held: ScannedRecord | null = null;
  #cancelled = 0;
  #bad: BadLine | null = null;
  #unsupportedVersion: number | null = null;
  /** No more valid lines: the end, a bad line, or a newer version. */
  #done = false;

  constructor(data: Uint8Array) {
    this.#bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    // The header first, so that header and unsupportedVersion are known before any record is asked for.
    this.#readLine();
  }

  get header(): HeaderRecord | null {
    return this.#header;
  }

  get unsupportedVersion(): number | null {
    return this.#unsupportedVersion;
  }

  /** Lines read so far, the header included. */
  get linesRead(): number {
    return this.#sequence.lines;
  }

  /** Complete lines in the journal (each with its newline), valid or not. */
  completeLines(): number {
    return countNewlines(this.#bytes);
  }

  /** The next event or move that no cancel line takes back, or null after the last one of the valid prefix. */
  next(): ScannedRecord | null {
    while (!this.#done) {
      const before = this.#held;
      const read = this.#readLine();
      if (read === 'record' && before !== null) return before;
      if (read === 'cancel' || (read === 'record' && before === null)) continue;
      // Any other line changes nothing held.
    }
    const last = this.#held;
    this.#held = null;
    return last;
  }

  /** Read the rest without keeping records (where a replay stopped early), and say what the journal holds. */
  end(): JournalEnd {
    while (!this.#done) this.#readLine();
    this.#held = null;
    const bytes = this.#bytes;
    let damagedLines = 0;
    let wellFormedAfterBad = 0;
    if (this.#bad !== null) {
      const from = this.#offset;
      for (let at = from; at < bytes.length; damagedLines++) {
        const nl = bytes.indexOf(0x0a, at);
        const end = nl < 0 ? bytes.length : nl;
        if (at !== from && nl >= 0 && decodeLineAt(bytes, at, end).ok) wellFormedAfterBad++;
        at = end + 1;
      }
    }
    return {
      header: this.#header,
      cancelled: this.#cancelled,
      validBytes: this.#offset,
      totalBytes: bytes.length,
      bad: this.#bad,
      damagedLines,
      wellFormedAfterBad,
      unsupportedVersion: this.#unsupportedVersion,
      cursor: this.#sequence.cursor(),
    };
  }

  /** One line: what kind it was, having held, dropped or noted what it says; 'stop' once there is no valid line left. */
  #readLine(): 'record' | 'cancel' | 'header' | 'stop' {
    const bytes = this.#bytes;
    const offset = this.#offset;
    if (offset >= bytes.length) return this.#stop();
    const nl = bytes.indexOf(0x0a, offset);
    const line = this.#sequence.lines + 1;
    if (nl < 0) return this.#stop({ line, offset, reason: 'the last line is incomplete (no newline at its end)' });
    const d = decodeLineAt(bytes, offset, nl);
    if (!d.ok) return this.#stop({ line, offset, reason: d.reason });
    const rec = d.record;
    if (line === 1 && rec.kind === 'header' && rec.version > JOURNAL_VERSION) {
      this.#unsupportedVersion = rec.version;
      return this.#stop();
    }
    const refused = this.#sequence.accept(rec);
    if (refused !== null) return this.#stop({ line, offset, reason: refused });
    this.#offset = nl + 1;
    switch (rec.kind) {
      case 'header':
        this.#header = rec;
        return 'header';
      case 'cancel':
        // The sequence let it through: it names the record just before, which is the one held.
        this.#held = null;
        this.#cancelled++;
        return 'cancel';
      default:
        this.#held = { line, offset, record: rec };
        return 'record';
    }
  }

  #stop(bad: BadLine | null = null): 'stop' {
    this.#bad = bad;
    this.#done = true;
    return 'stop';
  }
}

export function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) n++;
  return n;
}
