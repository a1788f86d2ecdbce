/**
 * Messages quote what they were given, but a value can be a megabyte long:
 * they quote its start and say how long it was.
 */

/** At most this many characters of a value are quoted. */
export const QUOTE_MAX = 60;

/** The first `max` code points of `s`, or null when `s` has no more than that. */
function head(s: string, max: number): string | null {
  if (s.length <= max) return null;
  const chars = Array.from(s.slice(0, 2 * max + 2));
  return chars.length > max ? chars.slice(0, max).join('') : null;
}

const count = (s: string) => `${s.length.toLocaleString('en-US')} characters`;

/** `s` itself, or its first `max` characters, `…` and its length. */
export function shortText(s: string, max = QUOTE_MAX): string {
  const h = head(s, max);
  return h === null ? s : `${h}… (${count(s)})`;
}

/** A value as JSON, cut as shortText cuts (a string stays a quoted string). */
export function shortJson(value: unknown, max = QUOTE_MAX): string {
  if (typeof value === 'string') {
    const h = head(value, max);
    return h === null ? JSON.stringify(value) : `${JSON.stringify(h)}… (${count(value)})`;
  }
  const text = JSON.stringify(value) ?? String(value);
  const h = head(text, max);
  return h === null ? text : `${h}… (${count(text)} of JSON)`;
}

/** The longest message a reader gives: a net for messages that quote input of their own. */
export const MESSAGE_MAX = 300;

/** `s`, or its first `max` characters and `…`. */
export function capMessage(s: string, max = MESSAGE_MAX): string {
  const h = head(s, max);
  return h === null ? s : `${h}…`;
}
