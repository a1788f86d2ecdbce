/**
 * The prompt's line: text and cursor, and the edits a shell's line editor
 * makes. Pure: every edit returns a new line.
 */
export interface Line {
  readonly text: string;
  /** 0..text.length, a string index. */
  readonly cursor: number;
}

export const EMPTY_LINE: Line = { text: '', cursor: 0 };

export function lineOf(text: string): Line {
  return { text, cursor: text.length };
}

export function insert(l: Line, s: string): Line {
  return { text: l.text.slice(0, l.cursor) + s + l.text.slice(l.cursor), cursor: l.cursor + s.length };
}

export function backspace(l: Line): Line {
  if (l.cursor === 0) return l;
  return { text: l.text.slice(0, l.cursor - 1) + l.text.slice(l.cursor), cursor: l.cursor - 1 };
}

export function deleteForward(l: Line): Line {
  if (l.cursor >= l.text.length) return l;
  return { text: l.text.slice(0, l.cursor) + l.text.slice(l.cursor + 1), cursor: l.cursor };
}

export function left(l: Line): Line {
  return { ...l, cursor: Math.max(0, l.cursor - 1) };
}

export function right(l: Line): Line {
  return { ...l, cursor: Math.min(l.text.length, l.cursor + 1) };
}

export function home(l: Line): Line {
  return { ...l, cursor: 0 };
}

export function end(l: Line): Line {
  return { ...l, cursor: l.text.length };
}

/** Ctrl-U: delete from the start of the line to the cursor. */
export function killToStart(l: Line): Line {
  return { text: l.text.slice(l.cursor), cursor: 0 };
}

/** Ctrl-K: delete from the cursor to the end. */
export function killToEnd(l: Line): Line {
  return { text: l.text.slice(0, l.cursor), cursor: l.cursor };
}

/** Ctrl-W: delete the word before the cursor and the blanks after it. */
export function killWordBack(l: Line): Line {
  let i = l.cursor;
  while (i > 0 && /\s/.test(l.text[i - 1]!)) i--;
  while (i > 0 && !/\s/.test(l.text[i - 1]!)) i--;
  return { text: l.text.slice(0, i) + l.text.slice(l.cursor), cursor: i };
}

/** Replace text[start, end) and put the cursor after the replacement. */
export function replaceRange(l: Line, start: number, endAt: number, s: string): Line {
  return { text: l.text.slice(0, start) + s + l.text.slice(endAt), cursor: start + s.length };
}
