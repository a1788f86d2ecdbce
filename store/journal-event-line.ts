/**
 * A fast reader for the line almost every journal is made of: an event
 * without data, exactly as encodeRecord writes it,
 *
 *   {"kind":"event","seq":5,"parent":4,"command":"...","result":"...","time":1700000000123
 *
 * (the bytes before the checksum field). Resuming a long session reads
 * hundreds of thousands of them, and decoding each line to a string and
 * then JSON.parse was most of the cost of reading it. This reads the bytes
 * themselves and makes only the two strings it returns. Anything else —
 * another kind, a `data` field, an escape or a byte outside printable ASCII
 * in a string, a number written another way — returns undefined, and the
 * caller parses the line as JSON. What this returns is what JSON.parse
 * would have returned.
 */

import type { EventRecord } from './journal-format.js';

const bytesOf = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const HEAD = bytesOf('{"kind":"event","seq":');
const PARENT = bytesOf(',"parent":');
const COMMAND = bytesOf(',"command":');
const RESULT = bytesOf(',"result":');
const TIME = bytesOf(',"time":');

/** Reads one line; a class so that the position is a field, not a closure or module variable. */
class Reader {
  at: number;
  constructor(
    readonly bytes: Buffer,
    readonly end: number,
    start: number,
  ) {
    this.at = start;
  }

  /** A JSON integer as encodeRecord writes it (no sign, no leading zero, exact in a double), or -1. */
  integer(): number {
    const bytes = this.bytes;
    const end = this.end;
    const start = this.at;
    let i = start;
    let value = 0;
    while (i < end) {
      const c = bytes[i]!;
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      i++;
    }
    this.at = i;
    const digits = i - start;
    if (digits === 0 || digits > 15 || (digits > 1 && bytes[start] === 48)) return -1;
    return value;
  }

  /** A JSON string of printable ASCII without escapes, or undefined (JSON.parse is left to judge it). */
  plainString(): string | undefined {
    const bytes = this.bytes;
    const end = this.end;
    let i = this.at;
    if (bytes[i] !== 34) return undefined;
    const start = ++i;
    while (i < end) {
      const c = bytes[i]!;
      if (c === 34) {
        this.at = i + 1;
        // Printable ASCII reads the same in latin1 as in UTF-8, and latin1 is the cheaper decoder.
        return bytes.toString('latin1', start, i);
      }
      if (c === 92 || c < 0x20 || c > 0x7e) return undefined;
      i++;
    }
    return undefined;
  }

  key(k: Uint8Array): boolean {
    const bytes = this.bytes;
    const at = this.at;
    if (at + k.length > this.end) return false;
    for (let j = 0; j < k.length; j++) if (bytes[at + j] !== k[j]) return false;
    this.at = at + k.length;
    return true;
  }
}

/** The event in `bytes[start, end)` (a line without its checksum field), or undefined when it is not a plain one. */
export function readPlainEventLine(bytes: Buffer, start: number, end: number): EventRecord | undefined {
  const r = new Reader(bytes, end, start);
  if (!r.key(HEAD)) return undefined;
  const seq = r.integer();
  if (seq < 0 || !r.key(PARENT)) return undefined;
  const parent = r.integer();
  if (parent < 0 || !r.key(COMMAND)) return undefined;
  const command = r.plainString();
  if (command === undefined || !r.key(RESULT)) return undefined;
  const result = r.plainString();
  if (result === undefined || !r.key(TIME)) return undefined;
  const time = r.integer();
  if (time < 0 || r.at !== end) return undefined;
  return { kind: 'event', seq, parent, command, result, time };
}
