/**
 * The kinds of value a command's argument can be: how each is parsed, how it
 * is described in "expected ..., got ..." messages, how it is written in the
 * canonical text, and where completion finds candidates for it.
 */

import { ADVICES, type Advice, type Prot } from './ast.js';
import { knownMnemonics } from '../kernel-sim/flags.js';
import { parseNumber } from './numbers.js';
import type { ParseContext } from './parse-context.js';
import { quote } from './printable.js';
import { PROT_WORDS, parseProt } from './prot.js';
import { didYouMean } from './suggest.js';

/** Candidates only the running program knows; the REPL supplies them. */
export type DynamicKind = 'address' | 'path';

export type CompletionSource =
  | { readonly kind: 'none' }
  | { readonly kind: 'words'; readonly words: readonly string[] }
  /** NAMEs declared by `file` lines so far. */
  | { readonly kind: 'files' }
  /** A comma-separated list of VmFlags mnemonics. */
  | { readonly kind: 'mnemonics' }
  /** Command names, for `help`. */
  | { readonly kind: 'commands' }
  /** Subcommands of the command named by the previous word, for `help vma ...`. */
  | { readonly kind: 'subcommands' }
  | { readonly kind: 'dynamic'; readonly what: DynamicKind; readonly words?: readonly string[] };

export type ArgResult<T> =
  | { readonly ok: true; readonly value: T; readonly canonical: string }
  | {
      readonly ok: false;
      readonly message: string;
      /** Characters into the word where the problem is, when not at its start. */
      readonly offset?: number;
      /**
       * Set when the word is not this kind of value at all (rather than a bad
       * one of its kind), so that a caller who also accepted other words can
       * list them as alternatives; `hint` is what the message adds after the word.
       */
      readonly mismatch?: { readonly hint: string };
    };

export interface ArgType<T> {
  /** What a good value looks like: `a PROT like rw- or none`. */
  readonly expected: string;
  /** `name` is the argument's name in the syntax (LEN, PROT), for messages. */
  readonly parse: (text: string, name: string, ctx: ParseContext) => ArgResult<T>;
  readonly completion: CompletionSource;
}

/** `expected a number like 4096 for LEN, got 'x'`; the name is left out where the description already says it. */
export function expectedGot(expected: string, name: string, text: string, hint = ''): string {
  const saysName = new RegExp(`\\b${name.replace(/[^A-Za-z0-9_]/g, '\\$&')}\\b`).test(expected);
  const forName = saysName ? '' : ` for ${name}`;
  return `expected ${expected}${forName}, got ${quote(text)}${hint}`;
}

function mismatch(expected: string, name: string, text: string, hint = ''): ArgResult<never> {
  return { ok: false, message: expectedGot(expected, name, text, hint), mismatch: { hint } };
}

const NUMBER_EXPECTED = 'a number like 4096, 0x1000 or 16K';

function numberValue(text: string, name: string, expected: string): ArgResult<bigint> {
  const r = parseNumber(text);
  if (r.ok) return { ok: true, value: r.value, canonical: text };
  switch (r.problem) {
    case 'too-big':
      return { ok: false, message: `${name} ${quote(text)} does not fit in 64 bits` };
    case 'too-big-after-suffix':
      return { ok: false, message: `${name} ${quote(text)} does not fit in 64 bits once multiplied by its suffix` };
    case 'not-a-number':
      return mismatch(expected, name, text, r.hint ? ` (${r.hint})` : '');
  }
}

export const numberArg: ArgType<bigint> = {
  expected: NUMBER_EXPECTED,
  parse: (text, name) => numberValue(text, name, NUMBER_EXPECTED),
  completion: { kind: 'none' },
};

const ADDRESS_EXPECTED = 'an address like 0x100000000000';

/** A number that names an address: completion offers the VMAs' start addresses. */
export const addressArg: ArgType<bigint> = {
  expected: ADDRESS_EXPECTED,
  parse: (text, name) => numberValue(text, name, ADDRESS_EXPECTED),
  completion: { kind: 'dynamic', what: 'address' },
};

const ADDRESS_OR_NULL_EXPECTED = 'an address like 0x100000000000 or - (NULL)';

/** mmap's ADDR: `-` is NULL, which is not the same as address 0 written out. */
export const addressOrNullArg: ArgType<bigint | null> = {
  expected: ADDRESS_OR_NULL_EXPECTED,
  parse: (text, name) => (text === '-' ? { ok: true, value: null, canonical: '-' } : numberValue(text, name, ADDRESS_OR_NULL_EXPECTED)),
  completion: { kind: 'dynamic', what: 'address', words: ['-'] },
};

const PROT_EXPECTED = 'a PROT like rw- or none';

export const protArg: ArgType<Prot> = {
  expected: PROT_EXPECTED,
  parse(text, name) {
    const prot = parseProt(text);
    if (prot === null) return mismatch(PROT_EXPECTED, name, text);
    return { ok: true, value: prot, canonical: text.toLowerCase() };
  },
  completion: { kind: 'words', words: PROT_WORDS },
};

/** A keyword out of a fixed list, case-insensitive, written in lower case. */
export function choiceArg<const W extends string>(words: readonly W[], expected: string): ArgType<W> {
  return {
    expected,
    parse(text, name) {
      const lower = text.toLowerCase();
      const found = words.find((w) => w === lower);
      if (found === undefined) return mismatch(expected, name, text, didYouMean(text, words));
      return { ok: true, value: found, canonical: found };
    },
    completion: { kind: 'words', words },
  };
}

export const adviceArg: ArgType<Advice> = choiceArg(ADVICES, 'an ADVICE like dontneed or willneed');

const ON_OFF = choiceArg(['on', 'off'], 'on or off');

export const onOffArg: ArgType<boolean> = {
  expected: ON_OFF.expected,
  parse(text, name, ctx) {
    const r = ON_OFF.parse(text, name, ctx);
    return r.ok ? { ok: true, value: r.value === 'on', canonical: r.canonical } : r;
  },
  completion: ON_OFF.completion,
};

/** Any word, kept exactly as written (names are case-sensitive). */
export function wordArg(expected: string, completion: CompletionSource = { kind: 'none' }): ArgType<string> {
  return {
    expected,
    parse: (text) => ({ ok: true, value: text, canonical: text }),
    completion,
  };
}

export const pathArg: ArgType<string> = wordArg('a PATH', { kind: 'dynamic', what: 'path' });

/** A NAME that an earlier `file` line declared. */
export const declaredFileArg: ArgType<string> = {
  expected: 'the NAME of a declared file',
  parse(text, _name, ctx) {
    if (ctx.files.has(text)) return { ok: true, value: text, canonical: text };
    const message = `no earlier 'file' line declares ${quote(text)}` + didYouMean(text, [...ctx.files]);
    return { ok: false, message };
  },
  completion: { kind: 'files' },
};

/**
 * VmFlags mnemonics as smaps prints them, comma-separated. They are literal
 * (scenario-language.md, internal VMA API), so a repeated or empty entry is
 * more likely a slip than intent and is refused.
 */
const MNEMONICS: readonly string[] = knownMnemonics();
const MNEMONIC_SET: ReadonlySet<string> = new Set(MNEMONICS);

export const flagsArg: ArgType<readonly string[]> = {
  expected: 'FLAGS, comma-separated smaps mnemonics like rd,wr,mr,mw',
  parse(text, name) {
    const out: string[] = [];
    let offset = 0;
    for (const part of text.split(',')) {
      const m = part.toLowerCase();
      if (m === '') return { ok: false, offset, message: `empty mnemonic in ${name} ${quote(text)}` };
      if (!MNEMONIC_SET.has(m)) {
        return { ok: false, offset, message: `unknown VmFlags mnemonic ${quote(part)} in ${name}` + didYouMean(part, MNEMONICS) };
      }
      if (out.includes(m)) return { ok: false, offset, message: `${quote(m)} appears twice in ${name}` };
      out.push(m);
      offset += [...part].length + 1;
    }
    return { ok: true, value: out, canonical: out.join(',') };
  },
  completion: { kind: 'mnemonics' },
};
