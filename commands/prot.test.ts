import { describe, expect, test } from 'vitest';
import { PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE } from './ast.js';
import { PROT_WORDS, parseProt, protToString } from './prot.js';

describe('parseProt', () => {
  test('maps order r, w, x', () => {
    expect(parseProt('rw-')).toBe(PROT_READ | PROT_WRITE);
    expect(parseProt('r-x')).toBe(PROT_READ | PROT_EXEC);
    expect(parseProt('rwx')).toBe(PROT_READ | PROT_WRITE | PROT_EXEC);
    expect(parseProt('-w-')).toBe(PROT_WRITE);
    expect(parseProt('---')).toBe(PROT_NONE);
  });

  test('none is ---', () => {
    expect(parseProt('none')).toBe(PROT_NONE);
  });

  test('case-insensitive', () => {
    expect(parseProt('RW-')).toBe(PROT_READ | PROT_WRITE);
    expect(parseProt('R-X')).toBe(PROT_READ | PROT_EXEC);
    expect(parseProt('NONE')).toBe(PROT_NONE);
    expect(parseProt('None')).toBe(PROT_NONE);
  });

  test('refuses anything else', () => {
    for (const t of ['', 'rw', 'rw-p', 'wr-', 'rwz', 'x--', 'r w', '3', 'read', 'no']) expect(parseProt(t), t).toBeNull();
  });

  test('protToString inverts parseProt', () => {
    for (const w of PROT_WORDS) expect(protToString(parseProt(w)!)).toBe(w === 'none' ? '---' : w);
  });

  test('PROT_WORDS covers all eight combinations', () => {
    const bits = new Set(PROT_WORDS.map((w) => parseProt(w)));
    expect(bits.size).toBe(8);
  });
});
