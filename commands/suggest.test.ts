import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { didYouMean, editDistance, MAX_SLIP_LENGTH, nearest } from './suggest.js';

describe('editDistance', () => {
  test('insertions, deletions, substitutions', () => {
    expect(editDistance('mprotect', 'mprotect')).toBe(0);
    expect(editDistance('mprotct', 'mprotect')).toBe(1);
    expect(editDistance('mprotext', 'mprotect')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  test('a swap of neighbours is one edit', () => {
    expect(editDistance('munmpa', 'munmap')).toBe(1);
  });

  test('with a bound: exact up to it, bound + 1 beyond it', () => {
    expect(editDistance('munmpa', 'munmap', 1)).toBe(1);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
    expect(editDistance('x'.repeat(100_000), 'mmap', 3)).toBe(4);
    fc.assert(
      fc.property(fc.string({ maxLength: 9, unit: fc.constantFrom('a', 'b', 'c') }), fc.string({ maxLength: 9, unit: fc.constantFrom('a', 'b', 'c') }), fc.nat(6), (a, b, max) => {
        expect(editDistance(a, b, max)).toBe(Math.min(editDistance(a, b), max + 1));
      }),
      { numRuns: 2000, seed: 11 },
    );
  });
});

describe('nearest', () => {
  const names = ['mmap', 'munmap', 'mprotect', 'madvise', 'mremap', 'mlock', 'munlock'];

  test('the closest within about one edit per three letters', () => {
    expect(nearest('mprotct', names)).toBe('mprotect');
    expect(nearest('MPROTECT', names)).toBe('mprotect');
    expect(nearest('munmpa', names)).toBe('munmap');
    expect(nearest('mremop', names)).toBe('mremap');
  });

  test('nothing when nothing is close', () => {
    expect(nearest('frobnicate', names)).toBeNull();
    expect(nearest('x', names)).toBeNull();
  });

  test('a unique prefix', () => {
    expect(nearest('madv', names)).toBe('madvise');
    expect(nearest('mu', names)).toBeNull();
  });

  test(`a word longer than ${MAX_SLIP_LENGTH} characters is no slip: nothing is suggested, at once`, () => {
    const t0 = performance.now();
    expect(nearest('mprotect' + 'x'.repeat(100_000), names)).toBeNull();
    expect(nearest('a'.repeat(MAX_SLIP_LENGTH + 1), ['a'.repeat(MAX_SLIP_LENGTH)])).toBeNull();
    expect(nearest('a'.repeat(MAX_SLIP_LENGTH), ['a'.repeat(MAX_SLIP_LENGTH - 1) + 'b'])).toBe('a'.repeat(MAX_SLIP_LENGTH - 1) + 'b');
    expect(performance.now() - t0).toBeLessThan(50);
  });

  test('long candidates cost nothing when their length alone rules them out', () => {
    const t0 = performance.now();
    expect(nearest('dat', ['x'.repeat(100_000), 'data'])).toBe('data');
    expect(performance.now() - t0).toBeLessThan(50);
  });

  test('didYouMean phrasing', () => {
    expect(didYouMean('mprotct', names)).toBe("; did you mean 'mprotect'?");
    expect(didYouMean('zzz', names)).toBe('');
  });
});
