import { describe, expect, test } from 'vitest';
import { lexLine } from './lexer.js';

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

  test('only a trailing CR is removed', () => {
    expect(words('a\rb')).toEqual([['a\rb', 1]]);
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
