/**
 * Characters that look like nothing, or like a space, but are not the blanks
 * of the language (a space or a tab). Pasted from a web page or a word
 * processor, they split nothing and show nothing, so a line that holds one
 * reads as two words, or as a word it is not; the parser names them instead
 * (scenario-language.md, "Lexical rules": words are separated by spaces or tabs).
 */

export type HiddenKind =
  /** Looks like a space. */
  | 'blank'
  /** A line end to some programs, not to the language. */
  | 'line-end'
  /** Shows nothing at all. */
  | 'invisible'
  /** Changes the order in which the rest of the line is shown. */
  | 'reordering'
  /** U+FEFF: a byte order mark at the start of the input, invisible elsewhere. */
  | 'bom';

export interface HiddenCharacter {
  /** `U+00A0` */
  readonly code: string;
  readonly name: string;
  readonly kind: HiddenKind;
}

const TABLE: readonly (readonly [number, string, HiddenKind])[] = [
  [0x000b, 'LINE TABULATION', 'blank'],
  [0x000c, 'FORM FEED', 'blank'],
  [0x0085, 'NEXT LINE', 'line-end'],
  [0x00a0, 'NO-BREAK SPACE', 'blank'],
  [0x00ad, 'SOFT HYPHEN', 'invisible'],
  [0x061c, 'ARABIC LETTER MARK', 'reordering'],
  [0x1680, 'OGHAM SPACE MARK', 'blank'],
  [0x180e, 'MONGOLIAN VOWEL SEPARATOR', 'invisible'],
  [0x2000, 'EN QUAD', 'blank'],
  [0x2001, 'EM QUAD', 'blank'],
  [0x2002, 'EN SPACE', 'blank'],
  [0x2003, 'EM SPACE', 'blank'],
  [0x2004, 'THREE-PER-EM SPACE', 'blank'],
  [0x2005, 'FOUR-PER-EM SPACE', 'blank'],
  [0x2006, 'SIX-PER-EM SPACE', 'blank'],
  [0x2007, 'FIGURE SPACE', 'blank'],
  [0x2008, 'PUNCTUATION SPACE', 'blank'],
  [0x2009, 'THIN SPACE', 'blank'],
  [0x200a, 'HAIR SPACE', 'blank'],
  [0x200b, 'ZERO WIDTH SPACE', 'invisible'],
  [0x200c, 'ZERO WIDTH NON-JOINER', 'invisible'],
  [0x200d, 'ZERO WIDTH JOINER', 'invisible'],
  [0x200e, 'LEFT-TO-RIGHT MARK', 'reordering'],
  [0x200f, 'RIGHT-TO-LEFT MARK', 'reordering'],
  [0x2028, 'LINE SEPARATOR', 'line-end'],
  [0x2029, 'PARAGRAPH SEPARATOR', 'line-end'],
  [0x202a, 'LEFT-TO-RIGHT EMBEDDING', 'reordering'],
  [0x202b, 'RIGHT-TO-LEFT EMBEDDING', 'reordering'],
  [0x202c, 'POP DIRECTIONAL FORMATTING', 'reordering'],
  [0x202d, 'LEFT-TO-RIGHT OVERRIDE', 'reordering'],
  [0x202e, 'RIGHT-TO-LEFT OVERRIDE', 'reordering'],
  [0x202f, 'NARROW NO-BREAK SPACE', 'blank'],
  [0x205f, 'MEDIUM MATHEMATICAL SPACE', 'blank'],
  [0x2060, 'WORD JOINER', 'invisible'],
  [0x2061, 'FUNCTION APPLICATION', 'invisible'],
  [0x2062, 'INVISIBLE TIMES', 'invisible'],
  [0x2063, 'INVISIBLE SEPARATOR', 'invisible'],
  [0x2064, 'INVISIBLE PLUS', 'invisible'],
  [0x2066, 'LEFT-TO-RIGHT ISOLATE', 'reordering'],
  [0x2067, 'RIGHT-TO-LEFT ISOLATE', 'reordering'],
  [0x2068, 'FIRST STRONG ISOLATE', 'reordering'],
  [0x2069, 'POP DIRECTIONAL ISOLATE', 'reordering'],
  [0x3000, 'IDEOGRAPHIC SPACE', 'blank'],
  [0x3164, 'HANGUL FILLER', 'invisible'],
  [0xfeff, 'BYTE ORDER MARK', 'bom'],
];

const BY_CODE: ReadonlyMap<number, HiddenCharacter> = new Map(
  TABLE.map(([code, name, kind]) => [code, { code: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`, name, kind }]),
);

/** The character `ch` (one code point) if it is one of the hidden ones. */
export function hiddenCharacter(ch: string): HiddenCharacter | undefined {
  return BY_CODE.get(ch.codePointAt(0)!);
}

/** What to say about a hidden character found inside a line. */
export function hiddenCharacterMessage(h: HiddenCharacter): string {
  const what = `${h.code} ${h.name}`;
  switch (h.kind) {
    case 'blank':
      return `${what} is not a blank; use a plain space`;
    case 'line-end':
      return `${what} is not a line end; end lines with LF (or CR LF)`;
    case 'invisible':
      return `${what} is an invisible character; delete it`;
    case 'reordering':
      return `${what} changes the order in which the line is shown; delete it`;
    case 'bom':
      return `${what} is allowed only at the very start of the input; delete it`;
  }
}

export const BYTE_ORDER_MARK = '\ufeff';

/** The input without the byte order mark an editor may write at its very start. */
export function withoutByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
}
