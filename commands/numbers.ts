/**
 * Numbers of the command language (scenario-language.md, "Lexical rules"):
 * decimal or 0x hex, an optional size suffix, 64 bits unsigned.
 *
 * A leading 0 is decimal, not octal: `010` is ten. The result is a bigint so
 * that every one of the 64 bits reaches the system call intact.
 */

export const U64_MAX = (1n << 64n) - 1n;

export const PAGE_SIZE = 4096n;

/** `p` is lower case only: an upper-case P would read as "peta" to some. */
const SUFFIXES: Readonly<Record<string, bigint>> = {
  k: 1n << 10n,
  K: 1n << 10n,
  m: 1n << 20n,
  M: 1n << 20n,
  g: 1n << 30n,
  G: 1n << 30n,
  p: PAGE_SIZE,
};

const NUMBER = /^(?:0[xX]([0-9a-fA-F]+)|([0-9]+))([KkMmGgp]?)$/;
/** A number followed by one letter that is not a suffix, for a better hint. */
const NUMBER_WITH_LETTER = /^(?:0[xX][0-9a-fA-F]+|[0-9]+)([a-zA-Z])$/;

export type NumberProblem = 'not-a-number' | 'too-big' | 'too-big-after-suffix';

export type NumberResult =
  | { readonly ok: true; readonly value: bigint }
  | { readonly ok: false; readonly problem: NumberProblem; readonly hint?: string };

export function parseNumber(text: string): NumberResult {
  const exact = exactInDouble(text);
  if (exact !== undefined) return { ok: true, value: BigInt(exact) };
  const m = NUMBER.exec(text);
  if (m === null) return { ok: false, problem: 'not-a-number', ...hintFor(text) };
  const [, hex, dec, suffix] = m;
  // Up to 13 hex or 15 decimal digits fit a double exactly, which converts faster than a string.
  const digits =
    hex !== undefined
      ? hex.length <= 13 ? BigInt(parseInt(hex, 16)) : BigInt('0x' + hex)
      : dec!.length <= 15 ? BigInt(Number(dec)) : BigInt(dec!);
  if (digits > U64_MAX) return { ok: false, problem: 'too-big' };
  const value = suffix ? digits * SUFFIXES[suffix]! : digits;
  if (value > U64_MAX) return { ok: false, problem: 'too-big-after-suffix' };
  return { ok: true, value };
}

function hintFor(text: string): { hint?: string } {
  if (text.startsWith('-')) return { hint: 'numbers cannot be negative' };
  const letter = NUMBER_WITH_LETTER.exec(text)?.[1];
  if (letter === 'P') return { hint: 'the page suffix is a lower-case p' };
  if (letter !== undefined) return { hint: 'the size suffixes are K, M, G and p' };
  return {};
}

/** What each suffix multiplies by, by its character code; 0 for a character that is not one. */
function suffixFactor(code: number): number {
  switch (code) {
    case 0x4b: // K
    case 0x6b: // k
      return 2 ** 10;
    case 0x4d: // M
    case 0x6d: // m
      return 2 ** 20;
    case 0x47: // G
    case 0x67: // g
      return 2 ** 30;
    case 0x70: // p
      return 4096;
    default:
      return 0;
  }
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/**
 * The value of a number that a double holds exactly, without a regular
 * expression or a bigint in between: up to 13 hex or 15 decimal digits, times
 * a suffix (a power of two, so the product is exact too), below 2^64.
 * Undefined for anything else, which NUMBER then decides; never a different value.
 */
function exactInDouble(text: string): number | undefined {
  let end = text.length;
  const factor = suffixFactor(text.charCodeAt(end - 1));
  if (factor !== 0) end--;
  let value = 0;
  if (end > 2 && text.charCodeAt(0) === 0x30 && (text.charCodeAt(1) | 0x20) === 0x78) {
    if (end - 2 > 13) return undefined;
    for (let i = 2; i < end; i++) {
      const d = hexDigit(text.charCodeAt(i));
      if (d < 0) return undefined;
      value = value * 16 + d;
    }
  } else {
    if (end === 0 || end > 15) return undefined;
    for (let i = 0; i < end; i++) {
      const d = text.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) return undefined;
      value = value * 10 + d;
    }
  }
  if (factor !== 0) value *= factor;
  return value < 2 ** 64 ? value : undefined;
}
