/**
 * Matching a command's argument words against its definition: positionals in
 * order, then options in any order. Every word is checked here, so that
 * a definition's `build` only has to check how words combine.
 */

import type { Args, CommandDef, Failure, KeywordOption, OptionSpec, Positional, ValueOption } from './command-def.js';
import { commandId, isFailure, optionText } from './command-def.js';
import type { Word } from './lexer.js';
import type { ParseContext } from './parse-context.js';
import { quote } from './printable.js';
import { didYouMean } from './suggest.js';

export interface Matched {
  readonly args: Args;
  /** Each word in canonical form, in the order written. */
  readonly canonical: readonly string[];
}

interface Slot {
  readonly value: unknown;
  readonly column: number;
}

/** Definitions are built once, so each spec's key is made once and looked up after. */
const slotKeys = new WeakMap<object, string>();

function slotKey(x: Positional<unknown> | OptionSpec): string {
  let key = slotKeys.get(x);
  if (key === undefined) {
    key = 'kind' in x ? (x.kind === 'keyword' ? `k:${x.word}` : `v:${x.key}`) : `p:${x.name}`;
    slotKeys.set(x, key);
  }
  return key;
}

function makeArgs(slots: ReadonlyMap<string, Slot>, commandColumn: number): Args {
  const column = (x: Positional<unknown> | OptionSpec): number => slots.get(slotKey(x))?.column ?? commandColumn;
  return {
    get<T>(p: Positional<T>): T {
      const slot = slots.get(slotKey(p));
      if (slot === undefined) throw new Error(`required argument ${p.name} was not matched`);
      return slot.value as T;
    },
    opt<T>(p: Positional<T> | ValueOption<T>): T | undefined {
      return slots.get(slotKey(p))?.value as T | undefined;
    },
    has: (k: KeywordOption) => slots.has(slotKey(k)),
    column,
    fail: (x, message) => ({ failure: message, column: column(x) }),
  };
}

/** The option a word names, if any: `fixed`, or `file=...` by its key. */
export function findOption(def: CommandDef, text: string): OptionSpec | undefined {
  const lower = text.toLowerCase();
  const eq = lower.indexOf('=');
  if (eq < 0) return def.options.find((o) => o.kind === 'keyword' && o.word === lower);
  const key = lower.slice(0, eq);
  return def.options.find((o) => o.kind === 'value' && o.key === key);
}

function optionList(def: CommandDef): string {
  return def.options.map(optionText).join(', ');
}

/** What a misspelt option might have been: keywords by their word, key=value options by `key=`. */
function optionSuggestion(def: CommandDef, text: string): string {
  const eq = text.indexOf('=');
  const forms = def.options.map((o) => (o.kind === 'keyword' ? o.word : `${o.key}=`));
  return didYouMean(eq < 0 ? text : text.slice(0, eq + 1), forms);
}

export function matchArgs(def: CommandDef, words: readonly Word[], ctx: ParseContext, commandColumn: number, endColumn: number): Matched | Failure {
  const slots = new Map<string, Slot>();
  const canonical: string[] = [];
  const syntax = (): string => ` (syntax: ${def.syntax})`;
  let required = 0;
  for (const p of def.positionals) if (!p.optional) required++;
  let next = 0;
  let optionSeen = false;

  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const option = findOption(def, word.text);
    if (option !== undefined) {
      if (next < required) return { failure: `missing ${def.positionals[next]!.name} before ${quote(word.text)}${syntax()}`, column: word.column };
      const failure = checkOption(def, option, slots, word, i === words.length - 1);
      if (failure !== undefined) return failure;
      const matched = matchOption(option, word, ctx);
      if (isFailure(matched)) return matched;
      slots.set(slotKey(option), { value: matched.value, column: word.column });
      canonical.push(matched.canonical);
      optionSeen = true;
      continue;
    }
    const p = def.positionals[next];
    if (p !== undefined && !optionSeen) {
      const r = p.type.parse(word.text, p.name, ctx);
      if (!r.ok) {
        // Where an optional positional may be left out, the word could also have been an option.
        const message =
          p.optional && def.options.length > 0 && r.mismatch !== undefined
            ? `expected ${p.name} (${p.type.expected}) or one of ${optionList(def)}, got ${quote(word.text)}${r.mismatch.hint}`
            : r.message;
        return { failure: message, column: word.column + (r.offset ?? 0) };
      }
      slots.set(slotKey(p), { value: r.value, column: word.column });
      canonical.push(r.canonical);
      next++;
      continue;
    }
    if (def.options.length > 0) {
      return { failure: `expected one of ${optionList(def)}, got ${quote(word.text)}${optionSuggestion(def, word.text)}`, column: word.column };
    }
    return { failure: `unexpected extra word ${quote(word.text)}${syntax()}`, column: word.column };
  }
  if (next < required) return { failure: `missing ${def.positionals[next]!.name}${syntax()}`, column: endColumn };
  return { args: makeArgs(slots, commandColumn), canonical };
}

/** Rules about where and how often an option may appear. */
function checkOption(def: CommandDef, option: OptionSpec, slots: ReadonlyMap<string, Slot>, word: Word, isLast: boolean): Failure | undefined {
  const at = word.column;
  if (slots.has(slotKey(option))) return { failure: `'${optionText(option)}' is given twice`, column: at };
  if (option.kind !== 'keyword') return undefined;
  if (option.group !== undefined) {
    const rival = def.options.find((o) => o !== option && o.kind === 'keyword' && o.group === option.group && slots.has(slotKey(o)));
    if (rival !== undefined) {
      const members = def.options.filter((o) => o.kind === 'keyword' && o.group === option.group).map((o) => `'${optionText(o)}'`);
      return { failure: `${commandId(def)} takes at most one of ${members.join(' and ')}`, column: at };
    }
  }
  if (option.last === true && !isLast) return { failure: `'${option.word}' must be the last word of the line`, column: at };
  return undefined;
}

function matchOption(option: OptionSpec, word: Word, ctx: ParseContext): { value: unknown; canonical: string } | Failure {
  if (option.kind === 'keyword') return { value: true, canonical: option.word };
  const eq = word.text.indexOf('=');
  const valueText = word.text.slice(eq + 1);
  const valueColumn = word.column + [...word.text.slice(0, eq + 1)].length;
  if (valueText === '') return { failure: `missing ${option.name} after '${option.key}='`, column: valueColumn };
  const r = option.type.parse(valueText, option.name, ctx);
  if (!r.ok) return { failure: r.message, column: valueColumn + (r.offset ?? 0) };
  return { value: r.value, canonical: `${option.key}=${r.canonical}` };
}
