/**
 * Splitting one line of the command language into words
 * (scenario-language.md, "Lexical rules").
 *
 * Columns are 1-based and count characters (code points), so an error
 * message can point under the word whatever script a file name is written
 * in; a tab counts as one column, as most editors report it.
 *
 * A line ends at LF, CR LF or a lone CR, wherever the text comes from (a
 * scenario file, a pipe, the prompt), so that a file means the same to
 * `vmasim run` and to the REPL reading it, and so that no word can end in a
 * CR: a word's canonical text is written to the journal and must parse back
 * to the same word.
 */
import { characterCount } from './characters.js';
import { hiddenCharacter, hiddenCharacterMessage } from './hidden-characters.js';

export interface Word {
  readonly text: string;
  /** 1-based column of the word's first character. */
  readonly column: number;
}

export interface LexedLine {
  readonly words: readonly Word[];
  /** The line without its comment, line end and surrounding blanks. */
  readonly text: string;
  /** The column just after the last word: where a missing word would go. */
  readonly endColumn: number;
}

/** What is wrong with a line before its words are looked at. */
export interface LineProblem {
  readonly column: number;
  readonly message: string;
}

/**
 * The longest line, in characters: room for a command with a PATH as long
 * as Linux allows (PATH_MAX, 4,096 bytes) twice over, and short enough that
 * no line costs more than a moment to refuse.
 */
export const MAX_LINE_LENGTH = 8192;

/** Splits text into lines the way every reader of the language does. */
export const LINE_END = /\r\n|\r|\n/;

/** Whether a line has more than MAX_LINE_LENGTH characters. */
export function isTooLong(line: string): boolean {
  // A string has at most as many characters as UTF-16 units: most lines are decided without counting.
  return line.length > MAX_LINE_LENGTH && characterCount(line) > MAX_LINE_LENGTH;
}

export function isBlank(ch: string): boolean {
  return ch === ' ' || ch === '\t';
}

/** The line up to its line end (the first CR), without its `#` comment. */
function withoutComment(raw: string): string {
  const cr = raw.indexOf('\r');
  const line = cr < 0 ? raw : raw.slice(0, cr);
  const hash = line.indexOf('#');
  return hash < 0 ? line : line.slice(0, hash);
}

/** Printable ASCII, spaces and tabs: nothing hidden, no line end, one column a UTF-16 unit. */
const PLAIN = /^[\x20-\x7e\t]*$/;

/**
 * lexLine for a plain line: words by index, without walking code points;
 * null as soon as a character is not plain. Testing as it splits, rather
 * than before, reads each character once.
 */
function lexPlain(content: string): LexedLine | null {
  const words: Word[] = [];
  const n = content.length;
  let i = 0;
  while (i < n) {
    const c = content.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    for (; i < n; i++) {
      const d = content.charCodeAt(i);
      if (d === 32 || d === 9) break;
      if (d < 0x20 || d > 0x7e) return null;
    }
    words.push({ text: content.slice(start, i), column: start + 1 });
  }
  const first = words[0];
  if (first === undefined) return { words, text: '', endColumn: 1 };
  const last = words[words.length - 1]!;
  const endColumn = last.column + last.text.length;
  // The words span the line without its surrounding blanks.
  return { words, text: content.slice(first.column - 1, endColumn - 1), endColumn };
}

export function lexLine(raw: string): LexedLine {
  const content = withoutComment(raw);
  const plain = lexPlain(content);
  if (plain !== null) return plain;
  const words: Word[] = [];
  let current = '';
  let start = 0;
  let column = 0;
  for (const ch of content) {
    column++;
    if (isBlank(ch)) {
      if (current !== '') words.push({ text: current, column: start });
      current = '';
    } else {
      if (current === '') start = column;
      current += ch;
    }
  }
  if (current !== '') words.push({ text: current, column: start });
  const last = words[words.length - 1];
  const endColumn = last === undefined ? 1 : last.column + [...last.text].length;
  return { words, text: trimBlanks(content), endColumn };
}

/**
 * The first thing that keeps a line from being read as words: more than
 * MAX_LINE_LENGTH characters, text after a CR (a second line), or a
 * character that looks like a blank, or like nothing, but is not one.
 * Comments may hold anything.
 */
export function lineProblem(raw: string): LineProblem | null {
  if (raw.length <= MAX_LINE_LENGTH && PLAIN.test(raw)) return null;
  if (isTooLong(raw)) return { column: MAX_LINE_LENGTH + 1, message: `the line has ${characterCount(raw)} characters; at most ${MAX_LINE_LENGTH} are allowed` };
  const cr = raw.indexOf('\r');
  if (cr >= 0 && !isBlankOrComment(raw.slice(cr).replaceAll('\r', ''))) {
    return { column: characterCount(raw.slice(0, cr)) + 1, message: 'a CR ends the line here, and more text follows it; write one command a line' };
  }
  let column = 0;
  for (const ch of withoutComment(raw)) {
    column++;
    const hidden = hiddenCharacter(ch);
    if (hidden !== undefined) return { column, message: hiddenCharacterMessage(hidden) };
  }
  return null;
}

/**
 * lexLine for a line that lineProblem passes, or the problem. A line whose
 * words are plain (almost every line) is tested once and split without
 * walking code points: a comment may hold anything but a CR, after which
 * more text would be a second line.
 */
export function lexCheckedLine(raw: string): LexedLine | LineProblem {
  if (raw.length <= MAX_LINE_LENGTH) {
    const hash = raw.indexOf('#');
    const plain = hash < 0 ? lexPlain(raw) : raw.indexOf('\r', hash) < 0 ? lexPlain(raw.slice(0, hash)) : null;
    if (plain !== null) return plain;
  }
  return lineProblem(raw) ?? lexLine(raw);
}

export function isLineProblem(x: LexedLine | LineProblem): x is LineProblem {
  return 'message' in x;
}

function isBlankOrComment(s: string): boolean {
  const t = trimBlanks(s);
  return t === '' || t.startsWith('#');
}

/** Trims spaces and tabs only: other characters belong to words. */
function trimBlanks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isBlank(s[a]!)) a++;
  while (b > a && isBlank(s[b - 1]!)) b--;
  return s.slice(a, b);
}
