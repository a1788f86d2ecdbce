/**
 * Splitting one line of the command language into words
 * (scenario-language.md, "Lexical rules").
 *
 * Columns are 1-based and count characters (code points), so an error
 * message can point under the word whatever script a file name is written
 * in; a tab counts as one column, as most editors report it.
 */

export interface Word {
  readonly text: string;
  /** 1-based column of the word's first character. */
  readonly column: number;
}

export interface LexedLine {
  readonly words: readonly Word[];
  /** The line without its comment, trailing CR and surrounding blanks. */
  readonly text: string;
  /** The column just after the last word: where a missing word would go. */
  readonly endColumn: number;
}

export function isBlank(ch: string): boolean {
  return ch === ' ' || ch === '\t';
}

/** The line with a trailing CR and any `#` comment removed. */
function withoutComment(raw: string): string {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const hash = line.indexOf('#');
  return hash < 0 ? line : line.slice(0, hash);
}

export function lexLine(raw: string): LexedLine {
  const content = withoutComment(raw);
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

/** Trims spaces and tabs only: other characters belong to words. */
function trimBlanks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isBlank(s[a]!)) a++;
  while (b > a && isBlank(s[b - 1]!)) b--;
  return s.slice(a, b);
}
