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

const HEAD = '{"kind":"event","seq":';
const PARENT = ',"parent":';
const COMMAND = ',"command":';
const RESULT = ',"result":';
const TIME = ',"time":';

/** Where the reader is in the line; module state, as the reader neither recurses nor yields. */
let at = 0;

/** A JSON integer as encodeRecord writes it (no sign, no leading zero, exact in a double), or -1. */
function integer(text: string, end: number): number {
  const start = at;
  let value = 0;
  while (at < end) {
    const c = text.charCodeAt(at);
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
    at++;
  }
  const digits = at - start;
  if (digits === 0 || digits > 15 || (digits > 1 && text.charCodeAt(start) === 48)) return -1;
  return value;
}

/** A JSON string without escapes or control characters, or undefined (JSON.parse is left to judge it). */
function plainString(text: string, end: number): string | undefined {
  if (text.charCodeAt(at) !== 34) return undefined;
  const start = ++at;
  while (at < end) {
    const c = text.charCodeAt(at);
    if (c === 34) return text.slice(start, at++);
    if (c === 92 || c < 0x20) return undefined;
    at++;
  }
  return undefined;
}

function key(text: string, k: string): boolean {
  if (!text.startsWith(k, at)) return false;
  at += k.length;
  return true;
}

export function readPlainEventLine(text: string, end: number): Record<string, unknown> | undefined {
  if (!text.startsWith(HEAD)) return undefined;
  at = HEAD.length;
  const seq = integer(text, end);
  if (seq < 0 || !key(text, PARENT)) return undefined;
  const parent = integer(text, end);
  if (parent < 0 || !key(text, COMMAND)) return undefined;
  const command = plainString(text, end);
  if (command === undefined || !key(text, RESULT)) return undefined;
  const result = plainString(text, end);
  if (result === undefined || !key(text, TIME)) return undefined;
  const time = integer(text, end);
  if (time < 0 || at !== end) return undefined;
  return { kind: 'event', seq, parent, command, result, time };
}
