import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { lexCheckedLine, lexLine, lineProblem, MAX_LINE_LENGTH } from './lexer.js';

const words = (line: string) => lexLine(line).words.map((w) => [w.text, w.column]);

describe('lexLine', () => {
  test('splits on spaces and tabs, with 1-based columns', () => {
    expect(words('mmap  -\t4K rw-')).toEqual([
      ['mmap', 1],
      ['-', 7],
      ['4K', 9],
      ['rw-', 12],
    ]);
  });

  test('leading blanks shift the columns', () => {
    expect(words(' \t munmap 0x1000 4K')).toEqual([
      ['munmap', 4],
      ['0x1000', 11],
      ['4K', 18],
    ]);
  });

  test('a trailing CR is ignored', () => {
    const l = lexLine('fork\r');
    expect(l.words).toEqual([{ text: 'fork', column: 1 }]);
    expect(l.text).toBe('fork');
  });

  test('a CR ends the line: no word holds one', () => {
    expect(words('a\rb')).toEqual([['a', 1]]);
    expect(words('name 0 4K heap\r\r')).toEqual([
      ['name', 1],
      ['0', 6],
      ['4K', 8],
      ['heap', 11],
    ]);
  });

  test('# starts a comment, even inside a word', () => {
    expect(words('munmap 0 4K # gone')).toEqual([
      ['munmap', 1],
      ['0', 8],
      ['4K', 10],
    ]);
    expect(words('name 0 4K heap#2')).toEqual([
      ['name', 1],
      ['0', 6],
      ['4K', 8],
      ['heap', 11],
    ]);
  });

  test('blank and comment-only lines have no words', () => {
    expect(lexLine('').words).toEqual([]);
    expect(lexLine(' \t ').words).toEqual([]);
    expect(lexLine('# just a comment').words).toEqual([]);
    expect(lexLine('   # indented comment\r').words).toEqual([]);
  });

  test('text is the line without comment, CR and surrounding blanks', () => {
    expect(lexLine('\t mmap - 4K  rw-   # note\r').text).toBe('mmap - 4K  rw-');
  });

  test('other whitespace belongs to words', () => {
    expect(words('name 0 4K a\u00a0b')).toEqual([
      ['name', 1],
      ['0', 6],
      ['4K', 8],
      ['a\u00a0b', 11],
    ]);
  });

  test('columns count characters, not UTF-16 units', () => {
    expect(words('file 😀 4K')).toEqual([
      ['file', 1],
      ['😀', 6],
      ['4K', 8],
    ]);
  });

  test('endColumn is just after the last word', () => {
    expect(lexLine('munmap 0x1000').endColumn).toBe(14);
    expect(lexLine('munmap 0x1000   # c').endColumn).toBe(14);
    expect(lexLine('').endColumn).toBe(1);
  });
});

describe('lineProblem', () => {
  test('a plain line, a CRLF line, CRs and a comment after the command have none', () => {
    for (const line of ['mmap - 4K rw-', 'mmap - 4K rw-\r', 'name 0 4K heap\r\r', 'fork\r # note', 'fork # a\u00a0b\u200b\r', '']) {
      expect(lineProblem(line), JSON.stringify(line)).toBeNull();
    }
  });

  test('text after a CR is a second line', () => {
    expect(lineProblem('fork\rfork')).toEqual({ column: 5, message: 'a CR ends the line here, and more text follows it; write one command a line' });
    expect(lineProblem('\rfork')?.column).toBe(1);
  });

  test('a character that looks like a blank, or like nothing, is named with its column', () => {
    expect(lineProblem('mmap\u00a00x1000 4K rw-')).toEqual({ column: 5, message: 'U+00A0 NO-BREAK SPACE is not a blank; use a plain space' });
    expect(lineProblem('file \u{1f600}\u3000 4K')?.message).toBe('U+3000 IDEOGRAPHIC SPACE is not a blank; use a plain space');
    expect(lineProblem('file \u{1f600}\u3000 4K')?.column).toBe(7);
    expect(lineProblem('fo\u200brk')).toEqual({ column: 3, message: 'U+200B ZERO WIDTH SPACE is an invisible character; delete it' });
    expect(lineProblem('file \u202eatad 4K')?.message).toMatch(/^U\+202E RIGHT-TO-LEFT OVERRIDE changes the order/);
    expect(lineProblem('fork\u2028')?.message).toMatch(/^U\+2028 LINE SEPARATOR is not a line end/);
    expect(lineProblem('\ufefffork')).toEqual({ column: 1, message: 'U+FEFF BYTE ORDER MARK is allowed only at the very start of the input; delete it' });
  });

  test(`a line of more than ${MAX_LINE_LENGTH} characters is refused at the first one beyond`, () => {
    expect(lineProblem('#'.repeat(MAX_LINE_LENGTH))).toBeNull();
    // Characters, not UTF-16 units: astral characters take two each.
    expect(lineProblem('\u{1f600}'.repeat(MAX_LINE_LENGTH - 1).replace(/^/, '#'))).toBeNull();
    expect(lineProblem('x'.repeat(MAX_LINE_LENGTH + 1))).toEqual({ column: MAX_LINE_LENGTH + 1, message: `the line has ${MAX_LINE_LENGTH + 1} characters; at most ${MAX_LINE_LENGTH} are allowed` });
  });
});

describe('lexCheckedLine', () => {
  const slow = (line: string) => lineProblem(line) ?? lexLine(line);

  test('is lineProblem, or else lexLine, whether the line is plain, commented, or neither', () => {
    for (const line of [
      'mprotect 0x1000 1p r--',
      '\t mmap - 4K  rw-   # note\r',
      'fork # a\u00a0b\u200b',
      'fork # a\rb',
      'fork # a\r',
      'fork\r # note',
      'mmap\u00a00x1000 4K rw-',
      'file \u{1f600} 4K # \u{1f600}',
      '# \u{1f600}\r',
      '',
      '#',
      'x'.repeat(MAX_LINE_LENGTH + 1),
      '#'.repeat(MAX_LINE_LENGTH + 1),
    ]) {
      expect(lexCheckedLine(line), JSON.stringify(line)).toEqual(slow(line));
    }
  });

  test('agrees with lineProblem and lexLine on any line of blanks, words, comments, CRs and unusual characters', () => {
    const piece = fc.constantFrom(' ', '\t', '#', '\r', '\n', 'mmap', '0x1000', 'é', '\u00a0', '\u200b', '\u{1f600}', '\ud800', '\x00', '\x7f', 'K');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const line = pieces.join('');
        expect(lexCheckedLine(line)).toEqual(slow(line));
      }),
    );
  });
});
