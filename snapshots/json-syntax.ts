/**
 * Where JSON text stops being JSON (RFC 8259, as JSON.parse reads it), and
 * why. V8's own messages give a position for some errors only ("Unexpected
 * token 'x', "..." is not valid JSON" has none), so the place is found here,
 * by reading the text again, only once JSON.parse has refused it.
 *
 * The reader keeps its nesting on an explicit stack: text nested 100,000
 * deep must not overflow the call stack.
 */

export interface JsonSyntaxError {
  /** Where, in UTF-16 code units from the start (JSON.parse's "position"). */
  readonly offset: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in characters (code points) from the start of the line. */
  readonly column: number;
  readonly reason: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** A character as a message can show it: printable ones quoted, the others by code point. */
function showChar(c: string): string {
  const cp = c.codePointAt(0)!;
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp === 0xfeff) return `a byte order mark (${code})`;
  if (cp === 0) return `a NUL byte (${code})`;
  if (cp === 0xfffd) return `an invalid UTF-8 byte (read as ${code})`;
  // Controls, separators, formatting, private use and lone surrogates print badly or not at all.
  if (/[\p{C}\p{Z}]/u.test(c)) return code;
  return `'${c}'`;
}

type Frame = { readonly kind: 'array'; state: 'first' | 'next' } | { readonly kind: 'object'; state: 'first' | 'key' | 'colon' | 'next' };

class Stop {
  constructor(
    readonly at: number,
    readonly reason: string,
  ) {}
}

/** The first place `text` is not JSON, or null if it is JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const stop = scan(text);
  return stop === null ? null : { offset: stop.at, ...lineAndColumn(text, stop.at), reason: stop.reason };
}

function lineAndColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: [...text.slice(lineStart, at)].length + 1 };
}

function scan(text: string): Stop | null {
  let i = 0;
  const n = text.length;
  const skip = () => {
    while (i < n && WHITESPACE.has(text[i]!)) i++;
  };
  const charAt = (k: number) => String.fromCodePoint(text.codePointAt(k)!);
  const unexpected = (expected: string): Stop =>
    i >= n ? new Stop(n, `the text ends where ${expected} should follow`) : new Stop(i, `expected ${expected}, got ${showChar(charAt(i))}`);

  /** A string from the opening quote at i; leaves i after the closing quote. */
  const string = (): Stop | null => {
    const open = i++;
    while (i < n) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return null;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === undefined) break;
        if (ESCAPES.has(e)) i += 2;
        else if (e === 'u') {
          for (let k = i + 2; k < i + 6; k++) if (!/[0-9a-fA-F]/.test(text[k] ?? '')) return new Stop(Math.min(k, n), 'expected 4 hex digits after \\u');
          i += 6;
        } else return new Stop(i + 1, `a backslash before ${showChar(charAt(i + 1))}: not an escape JSON knows`);
        continue;
      }
      if (c < ' ') return new Stop(i, `${showChar(c)} inside a string: control characters must be escaped`);
      i++;
    }
    return new Stop(open, 'this string is not closed');
  };

  const digits = () => {
    const from = i;
    while (i < n && text[i]! >= '0' && text[i]! <= '9') i++;
    return i > from;
  };
  const number = (): Stop | null => {
    if (text[i] === '-') i++;
    if (text[i] === '0') {
      i++;
      if (text[i]! >= '0' && text[i]! <= '9') return new Stop(i, 'a number may not start with 0 followed by more digits');
    } else if (!digits()) return unexpected('a digit after the minus sign');
    if (text[i] === '.') {
      i++;
      if (!digits()) return unexpected("a digit after the number's '.'");
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!digits()) return unexpected("a digit in the number's exponent");
    }
    return null;
  };

  /** A value at i (whitespace skipped); pushes a frame for [ and {. */
  const value = (stack: Frame[]): Stop | null => {
    skip();
    const c = text[i];
    if (c === undefined) return unexpected('a value');
    if (c === '{') {
      i++;
      stack.push({ kind: 'object', state: 'first' });
      return null;
    }
    if (c === '[') {
      i++;
      stack.push({ kind: 'array', state: 'first' });
      return null;
    }
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    const word = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : null;
    if (word === null) return unexpected('a value (an object, array, string, number, true, false or null)');
    for (const w of word) {
      if (text[i] !== w) return i >= n ? new Stop(n, `the text ends inside '${word}'`) : new Stop(i, `expected '${word}', got ${showChar(charAt(i))}`);
      i++;
    }
    return null;
  };

  const stack: Frame[] = [];
  let stop = value(stack);
  while (stop === null && stack.length > 0) {
    const top = stack[stack.length - 1]!;
    skip();
    const c = text[i];
    if (top.kind === 'array') {
      if (top.state === 'first' && c === ']') {
        i++;
        stack.pop();
      } else if (top.state === 'first') {
        top.state = 'next';
        stop = value(stack);
      } else if (c === ',') {
        i++;
        stop = value(stack);
      } else if (c === ']') {
        i++;
        stack.pop();
      } else stop = unexpected("',' or ']'");
      continue;
    }
    switch (top.state) {
      case 'first':
      case 'key':
        if (top.state === 'first' && c === '}') {
          i++;
          stack.pop();
        } else if (c === '"') {
          top.state = 'colon';
          stop = string();
        } else stop = unexpected(top.state === 'first' ? "a property name in double quotes or '}'" : 'a property name in double quotes');
        break;
      case 'colon':
        if (c === ':') {
          i++;
          top.state = 'next';
          stop = value(stack);
        } else stop = unexpected("':'");
        break;
      case 'next':
        if (c === ',') {
          i++;
          top.state = 'key';
        } else if (c === '}') {
          i++;
          stack.pop();
        } else stop = unexpected("',' or '}'");
        break;
    }
  }
  if (stop !== null) return stop;
  skip();
  return i < n ? new Stop(i, `${showChar(charAt(i))} after the end of the JSON value`) : null;
}
