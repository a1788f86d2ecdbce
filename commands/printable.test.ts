import { describe, expect, test } from 'vitest';
import { printable, printableLines, quote, QUOTE_LIMIT } from './printable.js';

describe('printable', () => {
  test('what a terminal would act on is written as an escape; the rest, tab included, as it is', () => {
    expect(printable('a\x1b[2Jb\x07\r\n\x00\x7f\x9b')).toBe('a\\x1b[2Jb\\x07\\r\\n\\x00\\x7f\\x9b');
    expect(printable('x\ty é 😀 ４０９６')).toBe('x\ty é 😀 ４０９６');
    expect(printable('\u202eabc\u2028\u2066')).toBe('\\u202eabc\\u2028\\u2066');
    expect(printable('\ud800x\udc00')).toBe('\\ud800x\\udc00');
  });

  test('printableLines keeps the line breaks', () => {
    expect(printableLines('a\x1b\nb\r')).toBe('a\\x1b\nb\\r');
  });
});

describe('quote', () => {
  test('a short word whole, escaped', () => {
    expect(quote('rwz')).toBe("'rwz'");
    expect(quote('a\x1bb')).toBe("'a\\x1bb'");
    expect(quote('x'.repeat(QUOTE_LIMIT))).toBe(`'${'x'.repeat(QUOTE_LIMIT)}'`);
  });

  test('a long word as its start, its end and its length in characters', () => {
    expect(quote('a'.repeat(40) + 'b'.repeat(1000) + 'c'.repeat(12))).toBe(`'${'a'.repeat(40)}…${'c'.repeat(12)}' (1052 characters)`);
    // Astral characters count once and are never cut in half.
    expect(quote('😀'.repeat(QUOTE_LIMIT))).toBe(`'${'😀'.repeat(QUOTE_LIMIT)}'`);
    expect(quote('😀'.repeat(100))).toBe(`'${'😀'.repeat(40)}…${'😀'.repeat(12)}' (100 characters)`);
    expect(quote('x' + '😀'.repeat(100))).toBe(`'x${'😀'.repeat(39)}…${'😀'.repeat(12)}' (101 characters)`);
  });

  test('a word of a megabyte is quoted at once', () => {
    const t0 = performance.now();
    expect(quote('\x1b'.repeat(1_000_000)).length).toBeLessThan(400);
    expect(performance.now() - t0).toBeLessThan(100);
  });
});
