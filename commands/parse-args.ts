/**
 * Matching a command's argument words against its definition: positionals in
 * order, then options in any order. Every word is checked here, so that
 * a definition's `build` only has to check how words combine.
 */

import { characterCount } from './characters.js';
import type { CommandDef, Failure, OptionSpec } from './command-def.js';
import { isFailure, optionText } from './command-def.js';
import type { Word } from './lexer.js';
import { defTable, MatchedArgs, type DefTable } from './matched-args.js';
import type { ParseContext } from './parse-context.js';
import { quote } from './printable.js';
import { didYouMean } from './suggest.js';

/** The option a word names, if any: `fixed`, or `file=...` by its key. */
export function findOption(def: CommandDef, text: string): OptionSpec | undefined {
  return optionNamed(defTable(def), text);
}

function optionNamed(table: DefTable, text: string): OptionSpec | undefined {
  // Most words are positionals: an ASCII first character settles it without lower-casing the word.
  const first = text.charCodeAt(0);
  if (first < 0x80 && !table.optionInitials.includes(first >= 0x41 && first <= 0x5a ? first + 0x20 : first)) return undefined;
  const lower = text.toLowerCase();
  const eq = lower.indexOf('=');
  if (eq < 0) return table.keywords.get(lower);
  return table.valueOptions.get(lower.slice(0, eq));
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

function syntax(def: CommandDef): string {
  return ` (syntax: ${def.syntax})`;
}

/** The words from `from` on, against the definition's arguments. */
export function matchArgs(def: CommandDef, words: readonly Word[], from: number, ctx: ParseContext, commandColumn: number, endColumn: number): MatchedArgs | Failure {
  const table = defTable(def);
  const args = new MatchedArgs(table, commandColumn);
  let next = 0;
  let optionSeen = false;

  for (let i = from; i < words.length; i++) {
    const word = words[i]!;
    const option = optionNamed(table, word.text);
    if (option !== undefined) {
      if (next < table.required) return { failure: `missing ${def.positionals[next]!.name} before ${quote(word.text)}${syntax(def)}`, column: word.column };
      const failure = checkOption(def, table, option, args, word, i === words.length - 1);
      if (failure !== undefined) return failure;
      const matched = matchOption(option, word, ctx);
      if (isFailure(matched)) return matched;
      args.set(option, matched.value, word.column, matched.canonical);
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
      args.set(p, r.value, word.column, r.canonical);
      next++;
      continue;
    }
    if (def.options.length > 0) {
      return { failure: `expected one of ${optionList(def)}, got ${quote(word.text)}${optionSuggestion(def, word.text)}`, column: word.column };
    }
    return { failure: `unexpected extra word ${quote(word.text)}${syntax(def)}`, column: word.column };
  }
  if (next < table.required) return { failure: `missing ${def.positionals[next]!.name}${syntax(def)}`, column: endColumn };
  return args;
}

/** Rules about where and how often an option may appear. */
function checkOption(def: CommandDef, table: DefTable, option: OptionSpec, args: MatchedArgs, word: Word, isLast: boolean): Failure | undefined {
  const at = word.column;
  if (args.has(option)) return { failure: `'${optionText(option)}' is given twice`, column: at };
  if (option.kind !== 'keyword') return undefined;
  if (option.group !== undefined) {
    const rival = def.options.find((o) => o !== option && o.kind === 'keyword' && o.group === option.group && args.has(o));
    if (rival !== undefined) {
      const members = def.options.filter((o) => o.kind === 'keyword' && o.group === option.group).map((o) => `'${optionText(o)}'`);
      return { failure: `${table.id} takes at most one of ${members.join(' and ')}`, column: at };
    }
  }
  if (option.last === true && !isLast) return { failure: `'${option.word}' must be the last word of the line`, column: at };
  return undefined;
}

function matchOption(option: OptionSpec, word: Word, ctx: ParseContext): { value: unknown; canonical: string } | Failure {
  if (option.kind === 'keyword') return { value: true, canonical: option.word };
  const eq = word.text.indexOf('=');
  const valueText = word.text.slice(eq + 1);
  const valueColumn = word.column + characterCount(word.text.slice(0, eq + 1));
  if (valueText === '') return { failure: `missing ${option.name} after '${option.key}='`, column: valueColumn };
  const r = option.type.parse(valueText, option.name, ctx);
  if (!r.ok) return { failure: r.message, column: valueColumn + (r.offset ?? 0) };
  return { value: r.value, canonical: `${option.key}=${r.canonical}` };
}
