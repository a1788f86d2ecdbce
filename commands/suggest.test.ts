import { describe, expect, test } from 'vitest';
import { didYouMean, editDistance, nearest } from './suggest.js';

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

  test('didYouMean phrasing', () => {
    expect(didYouMean('mprotct', names)).toBe("; did you mean 'mprotect'?");
    expect(didYouMean('zzz', names)).toBe('');
  });
});
