/**
 * Input shown back in a message. A word may hold anything a file can: an
 * escape sequence that clears the screen, a CR that sends the cursor back
 * over the message, a bidirectional override that reverses what follows.
 * Printed raw, these act on the user's terminal instead of being read, so
 * messages show them escaped; and a word of a megabyte is shown as an
 * excerpt, so that the message stays one line a person can read.
 */
import { characterCount, firstCharacters, lastCharacters } from './characters.js';

/**
 * What a terminal acts on instead of showing: C0 and C1 controls but the
 * tab (a blank of the language, which only moves the cursor on), DEL, the
 * Unicode line and paragraph separators, bidirectional controls, and halves
 * of surrogate pairs (not characters at all).
 */
const ACTIVE = /[\u{0}-\u{8}\u{a}-\u{1f}\u{7f}-\u{9f}\u{2028}\u{2029}\u{61c}\u{200e}\u{200f}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{d800}-\u{dfff}]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every character a terminal would act on written as an escape (`\x1b`, `\r`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(ACTIVE, escapeOne);
}

/** Text of several lines, each made printable. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/** Longer words are quoted as an excerpt: their start, `…`, their end. */
export const QUOTE_LIMIT = 60;
const HEAD = 40;
const TAIL = 12;

/**
 * A word of the input as a message quotes it: `'rwz'`, escaped as
 * `printable` does; beyond QUOTE_LIMIT characters, `'mmapxxxx…xxxx' (20000 characters)`.
 */
export function quote(text: string): string {
  // A string of this many UTF-16 units has no more characters than that.
  if (text.length <= QUOTE_LIMIT) return `'${printable(text)}'`;
  const count = characterCount(text);
  if (count <= QUOTE_LIMIT) return `'${printable(text)}'`;
  return `'${printable(firstCharacters(text, HEAD))}…${printable(lastCharacters(text, TAIL))}' (${count} characters)`;
}
