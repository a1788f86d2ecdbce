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
