import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { U64_MAX, parseNumber } from './numbers.js';

const value = (text: string) => {
  const r = parseNumber(text);
  if (!r.ok) throw new Error(`${text}: ${r.problem}`);
  return r.value;
};
const problem = (text: string) => {
  const r = parseNumber(text);
  return r.ok ? 'ok' : r.problem;
};

describe('parseNumber', () => {
  test('decimal', () => {
    expect(value('0')).toBe(0n);
    expect(value('4096')).toBe(4096n);
  });

  test('a leading 0 is still decimal', () => {
    expect(value('010')).toBe(10n);
    expect(value('0009')).toBe(9n);
  });

  test('hex with 0x or 0X, digits in either case', () => {
    expect(value('0x1000')).toBe(4096n);
    expect(value('0X1000')).toBe(4096n);
    expect(value('0xDeadBeef')).toBe(0xdeadbeefn);
  });

  test('suffixes K M G in either case', () => {
    expect(value('16K')).toBe(16n * 1024n);
    expect(value('16k')).toBe(16n * 1024n);
    expect(value('2M')).toBe(2n * 1024n ** 2n);
    expect(value('2m')).toBe(2n * 1024n ** 2n);
    expect(value('3G')).toBe(3n * 1024n ** 3n);
    expect(value('3g')).toBe(3n * 1024n ** 3n);
  });

  test('p is pages of 4096, lower case only', () => {
    expect(value('3p')).toBe(3n * 4096n);
    expect(value('0x10p')).toBe(16n * 4096n);
    const upper = parseNumber('3P');
    expect(upper).toEqual({ ok: false, problem: 'not-a-number', hint: 'the page suffix is a lower-case p' });
  });

  test('suffixes apply to hex too', () => {
    expect(value('0x10K')).toBe(16n * 1024n);
  });

  test('the largest 64-bit value fits', () => {
    expect(value('18446744073709551615')).toBe(U64_MAX);
    expect(value('0xffffffffffffffff')).toBe(U64_MAX);
    expect(value('17179869183G')).toBe(17179869183n << 30n);
    expect(value('4503599627370495p')).toBe(4503599627370495n * 4096n);
  });

  test('more than 64 bits before the suffix', () => {
    expect(problem('18446744073709551616')).toBe('too-big');
    expect(problem('0x10000000000000000')).toBe('too-big');
    expect(problem('18446744073709551616K')).toBe('too-big');
  });

  test('more than 64 bits after the suffix', () => {
    expect(problem('17179869184G')).toBe('too-big-after-suffix');
    expect(problem('4503599627370496p')).toBe('too-big-after-suffix');
    expect(problem('0xffffffffffffffffK')).toBe('too-big-after-suffix');
    expect(problem('18014398509481984K')).toBe('too-big-after-suffix');
  });

  test('not numbers', () => {
    for (const t of ['', 'x', '0x', '0xg', '1.5', '1_000', '+1', '4KB', '4 K', 'K', '0b101', '1e3', '٣']) {
      expect(problem(t), t).toBe('not-a-number');
    }
  });

  test('hints for near misses', () => {
    expect(parseNumber('-1')).toMatchObject({ hint: 'numbers cannot be negative' });
    expect(parseNumber('4T')).toMatchObject({ hint: 'the size suffixes are K, M, G and p' });
    expect(parseNumber('abc')).not.toHaveProperty('hint');
  });
});

describe('parseNumber, any 64-bit value', () => {
  const u64 = fc.bigInt({ min: 0n, max: U64_MAX });

  test('decimal and hex round-trip', () => {
    fc.assert(
      fc.property(u64, (n) => {
        expect(value(n.toString())).toBe(n);
        expect(value('0x' + n.toString(16))).toBe(n);
        expect(value('0X' + n.toString(16).toUpperCase())).toBe(n);
      }),
    );
  });

  const suffixes: [string, bigint][] = [['K', 1024n], ['m', 1024n ** 2n], ['G', 1024n ** 3n], ['p', 4096n]];

  test('a suffix multiplies, or overflows exactly when the product passes 2^64 - 1', () => {
    fc.assert(
      fc.property(u64, fc.constantFrom(...suffixes), (n, [s, f]) => {
        const r = parseNumber(`${n}${s}`);
        if (n * f > U64_MAX) expect(r).toEqual({ ok: false, problem: 'too-big-after-suffix' });
        else expect(r).toEqual({ ok: true, value: n * f });
      }),
    );
  });

  test('the same for hex, and for numbers of every length, leading zeros included', () => {
    // Short numbers are the common ones, and the most digits a double holds exactly lie around 2^53.
    const around = fc.oneof(u64, fc.bigInt({ min: 0n, max: 1n << 20n }), fc.bigInt({ min: (1n << 52n) - 4096n, max: (1n << 54n) + 4096n }));
    fc.assert(
      fc.property(around, fc.constantFrom<[string, bigint]>(['', 1n], ...suffixes), fc.nat(3), fc.boolean(), (n, [s, f], zeros, hex) => {
        const digits = '0'.repeat(zeros) + (hex ? n.toString(16) : n.toString());
        const r = parseNumber(`${hex ? '0x' : ''}${digits}${s}`);
        if (n * f > U64_MAX) expect(r).toEqual({ ok: false, problem: 'too-big-after-suffix' });
        else expect(r).toEqual({ ok: true, value: n * f });
      }),
    );
  });
});
