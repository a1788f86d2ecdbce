/**
 * Tab completion for the word at the cursor, from the registry. Candidates
 * that only the running program knows (VMA start addresses, paths on disk)
 * come from a provider the REPL passes in, so this stays pure.
 */

import type { CompletionSource, DynamicKind } from './arg-types.js';
import { knownMnemonics } from '../kernel-sim/flags.js';
import type { CommandDef, OptionSpec } from './command-def.js';
import { isBlank, lexLine } from './lexer.js';
import { findOption } from './parse-args.js';
import type { ParseContext } from './parse-context.js';
import { commandWords, findEntry, findSub } from './registry.js';

/**
 * Dynamic candidates for the word being completed. The provider receives
 * the word as typed so far and returns whole words; they are offered as they
 * come (an address provider may match `0X7F` against `0x7f...` as it likes).
 */
export type CompletionProvider = (what: DynamicKind, prefix: string) => readonly string[];

export interface Completion {
  /** The candidates replace lineSoFar.slice(start, end): the word up to the cursor. */
  readonly start: number;
  readonly end: number;
  readonly candidates: readonly string[];
}

interface Situation {
  readonly ctx: ParseContext;
  readonly provider: CompletionProvider | undefined;
  /** The word before the one being completed, for `help vma <TAB>`. */
  readonly previous: string | undefined;
}

/** `cursor` is a string index into lineSoFar, as a line editor keeps it. */
export function complete(lineSoFar: string, cursor: number, ctx: ParseContext, provider?: CompletionProvider): Completion {
  const before = lineSoFar.slice(0, cursor);
  let start = before.length;
  while (start > 0 && !isBlank(before[start - 1]!)) start--;
  const prefix = before.slice(start);
  const none: Completion = { start, end: cursor, candidates: [] };
  if (before.includes('#')) return none;

  const words = lexLine(before.slice(0, start)).words.map((w) => w.text);
  const at = { ctx, provider, previous: words[words.length - 1] };
  const candidates = candidatesFor(words, prefix, at);
  return { start, end: cursor, candidates: [...new Set(candidates)] };
}

function candidatesFor(words: readonly string[], prefix: string, at: Situation): string[] {
  const [first, ...rest] = words;
  if (first === undefined) return startingWith(commandWords(), prefix).sort();
  const entry = findEntry(first);
  if (entry === undefined) return [];
  if (entry.kind === 'command') return argumentCandidates(entry.def, rest, prefix, at);
  const [second, ...args] = rest;
  const subs = entry.group.subs.map((d) => d.sub!);
  if (second === undefined) return startingWith(subs, prefix);
  const def = findSub(entry.group, second);
  return def === undefined ? [] : argumentCandidates(def, args, prefix, at);
}

/** Replays how the parser would take the words so far, then offers what may come next. */
function argumentCandidates(def: CommandDef, args: readonly string[], prefix: string, at: Situation): string[] {
  const used = new Set<OptionSpec>();
  let next = 0;
  for (const word of args) {
    const option = findOption(def, word);
    if (option !== undefined) used.add(option);
    else if (next < def.positionals.length && used.size === 0) next++;
    else return [];
  }

  const eq = prefix.indexOf('=');
  if (eq >= 0) {
    const option = findOption(def, prefix);
    if (option === undefined || option.kind !== 'value' || used.has(option)) return [];
    const key = prefix.slice(0, eq + 1);
    return fromSource(option.type.completion, prefix.slice(eq + 1), at).map((v) => key + v);
  }

  const out: string[] = [];
  const pending = used.size === 0 ? def.positionals[next] : undefined;
  if (pending !== undefined) out.push(...fromSource(pending.type.completion, prefix, at));
  const required = def.positionals.filter((p) => !p.optional).length;
  if (next >= required) out.push(...startingWith(availableOptions(def, used), prefix));
  return out;
}

function availableOptions(def: CommandDef, used: ReadonlySet<OptionSpec>): string[] {
  const usedGroups = new Set([...used].map((o) => (o.kind === 'keyword' ? o.group : undefined)));
  return def.options
    .filter((o) => !used.has(o) && !(o.kind === 'keyword' && o.group !== undefined && usedGroups.has(o.group)))
    .map((o) => (o.kind === 'keyword' ? o.word : `${o.key}=`));
}

function fromSource(source: CompletionSource, prefix: string, at: Situation): string[] {
  switch (source.kind) {
    case 'none':
      return [];
    case 'words':
      return startingWith(source.words, prefix);
    case 'files':
      // Names are case-sensitive.
      return [...at.ctx.files].filter((f) => f.startsWith(prefix)).sort();
    case 'mnemonics':
      return mnemonicCandidates(prefix);
    case 'commands':
      return startingWith(commandWords(), prefix).sort();
    case 'subcommands': {
      const entry = at.previous === undefined ? undefined : findEntry(at.previous);
      return entry?.kind === 'group' ? startingWith(entry.group.subs.map((d) => d.sub!), prefix) : [];
    }
    case 'dynamic':
      return [...startingWith(source.words ?? [], prefix), ...(at.provider?.(source.what, prefix) ?? [])];
  }
}

/** Completes the mnemonic after the last comma, leaving out those already listed. */
function mnemonicCandidates(prefix: string): string[] {
  const comma = prefix.lastIndexOf(',');
  const head = prefix.slice(0, comma + 1);
  const listed = head.toLowerCase().split(',');
  const fresh = knownMnemonics().filter((m) => !listed.includes(m));
  return startingWith(fresh, prefix.slice(comma + 1)).map((m) => head + m);
}

/** Keywords match case-insensitively. */
function startingWith(words: readonly string[], prefix: string): string[] {
  const p = prefix.toLowerCase();
  return words.filter((w) => w.toLowerCase().startsWith(p));
}
