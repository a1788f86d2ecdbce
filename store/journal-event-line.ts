/**
 * A fast reader for the line almost every journal is made of: an event
 * without data, exactly as encodeRecord writes it,
 *
 *   {"kind":"event","seq":5,"parent":4,"command":"...","result":"...","time":1700000000123
 *
 * (the text before the checksum field). Resuming a long session reads
 * hundreds of thousands of them, and JSON.parse was half the cost of each.
 * Anything else — another kind, a `data` field, an escape in a string, a
 * number written another way — returns undefined, and the caller parses the
 * line as JSON. What this returns is what JSON.parse would have returned.
 */

import type { EventRecord } from './journal-format.js';

const HEAD = '{"kind":"event","seq":';
const PARENT = ',"parent":';
const COMMAND = ',"command":';
const RESULT = ',"result":';
const TIME = ',"time":';

/** Reads one line; a class so that the position is a field, not a closure or module variable. */
class Reader {
  at: number;
  constructor(
    readonly text: string,
    readonly end: number,
    start: number,
  ) {
    this.at = start;
  }

  /** A JSON integer as encodeRecord writes it (no sign, no leading zero, exact in a double), or -1. */
  integer(): number {
    const text = this.text;
    const end = this.end;
    const start = this.at;
    let i = start;
    let value = 0;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      i++;
    }
    this.at = i;
    const digits = i - start;
    if (digits === 0 || digits > 15 || (digits > 1 && text.charCodeAt(start) === 48)) return -1;
    return value;
  }

  /** A JSON string without escapes or control characters, or undefined (JSON.parse is left to judge it). */
  plainString(): string | undefined {
    const text = this.text;
    const end = this.end;
    let i = this.at;
    if (text.charCodeAt(i) !== 34) return undefined;
    const start = ++i;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        this.at = i + 1;
        return text.slice(start, i);
      }
      if (c === 92 || c < 0x20) return undefined;
      i++;
    }
    return undefined;
  }

  key(k: string): boolean {
    if (!this.text.startsWith(k, this.at)) return false;
    this.at += k.length;
    return true;
  }
}

export function readPlainEventLine(text: string, end: number): EventRecord | undefined {
  if (!text.startsWith(HEAD)) return undefined;
  const r = new Reader(text, end, HEAD.length);
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
