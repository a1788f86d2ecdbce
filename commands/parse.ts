/**
 * From a line of text to a command (scenario-language.md). Pure apart from
 * the ParseContext, which a `file` line extends with its NAME.
 */

import type { Command } from './ast.js';
import { isFailure, type CommandDef, type CommandGroup, type Failure } from './command-def.js';
import { withoutByteOrderMark } from './hidden-characters.js';
import { LINE_END, isLineProblem, lexCheckedLine, lexLine, type Word } from './lexer.js';
import { matchArgs } from './parse-args.js';
import { newParseContext, type ParseContext } from './parse-context.js';
import type { ParseError } from './parse-error.js';
import { ENTRIES, commandWords, findEntry, findSub } from './registry.js';
import { printable, quote } from './printable.js';
import { didYouMean, nearest } from './suggest.js';

export type ParsedLine =
  | { readonly kind: 'empty' }
  | {
      readonly kind: 'command';
      readonly cmd: Command;
      /** The registry entry it matched: its category, whether it is an event. */
      readonly def: CommandDef;
      /** The line without its comment and surrounding blanks. */
      readonly text: string;
      /** Keywords in lower case and single spaces; numbers, names and paths as written. */
      readonly canonical: string;
    }
  | { readonly kind: 'error'; readonly error: ParseError };

export interface Where {
  readonly file: string;
  readonly line: number;
}

export function parseLine(text: string, ctx: ParseContext, where: Where): ParsedLine {
  const lexed = lexCheckedLine(text);
  if (isLineProblem(lexed)) return errorAt(where, { failure: lexed.message, column: lexed.column });
  const { words } = lexed;
  if (words.length === 0) return { kind: 'empty' };

  const def = findCommand(words, lexed.endColumn);
  if (isFailure(def)) return errorAt(where, def);
  // A subcommand's arguments start after its group's name and its own.
  const args = matchArgs(def, words, def.sub === null ? 1 : 2, ctx, words[0]!.column, lexed.endColumn);
  if (isFailure(args)) return errorAt(where, args);
  const cmd = def.build(args);
  if (isFailure(cmd)) return errorAt(where, cmd);

  if (cmd.kind === 'file') ctx.files.add(cmd.name);
  return { kind: 'command', cmd, def, text: lexed.text, canonical: args.canonical };
}

/** Every message about a line passes here: whatever of the input it quotes is shown escaped. */
function errorAt(where: Where, f: Failure): ParsedLine {
  return { kind: 'error', error: { ...where, column: f.column, message: printable(f.failure) } };
}

/** The definition the first word (and, for a group, the second) names; its arguments follow. */
function findCommand(words: readonly Word[], endColumn: number): CommandDef | Failure {
  const head = words[0]!;
  const entry = findEntry(head.text);
  if (entry === undefined) return { failure: unknownCommand(head.text), column: head.column };
  if (entry.kind === 'command') return entry.def;
  const { group } = entry;
  const second = words[1];
  if (second === undefined) {
    return { failure: `missing ${group.subName}: expected one of ${subNames(group).join(', ')} (syntax: ${group.syntax})`, column: endColumn };
  }
  const def = findSub(group, second.text);
  if (def === undefined) {
    const subs = subNames(group);
    const message = `expected a ${group.name} ${group.subName.toLowerCase()} (${subs.join(', ')}), got ${quote(second.text)}` + didYouMean(second.text, subs);
    return { failure: message, column: second.column };
  }
  return def;
}

function subNames(group: CommandGroup): string[] {
  return group.subs.map((d) => d.sub!);
}

/**
 * Suggests the nearest command name, or a subcommand written without its
 * group (`split` for `vma split`).
 */
function unknownCommand(word: string): string {
  const base = `expected a command, got ${quote(word)}`;
  for (const entry of ENTRIES) {
    if (entry.kind === 'group' && findSub(entry.group, word) !== undefined) {
      return `${base}; did you mean ${quote(`${entry.group.name} ${word.toLowerCase()}`)}?`;
    }
  }
  const near = nearest(word, commandWords());
  if (near !== null) return `${base}; did you mean '${near}'?`;
  return `${base} (type 'help' for the list)`;
}

export interface ScenarioLine {
  /** 1-based, comments and blank lines included. */
  readonly line: number;
  readonly text: string;
  readonly canonical: string;
  readonly cmd: Command;
  readonly def: CommandDef;
}

export type ParsedScenario = { readonly lines: readonly ScenarioLine[] } | { readonly error: ParseError };

/**
 * A whole scenario file, stopping at the first error. REPL-only commands are
 * refused: a scenario must mean the same in `run`, `kernel` and the REPL.
 * A byte order mark at the very start (Windows editors write one) is dropped.
 */
export function parseScenario(text: string, fileName: string, ctx: ParseContext = newParseContext()): ParsedScenario {
  const lines: ScenarioLine[] = [];
  const rows = withoutByteOrderMark(text).split(LINE_END);
  for (let i = 0; i < rows.length; i++) {
    const where = { file: fileName, line: i + 1 };
    const parsed = parseLine(rows[i]!, ctx, where);
    if (parsed.kind === 'empty') continue;
    if (parsed.kind === 'error') return { error: parsed.error };
    if (parsed.def.category === 'repl') {
      const column = lexLine(rows[i]!).words[0]!.column;
      return { error: { ...where, column, message: `'${parsed.def.name}' works only at the REPL prompt, not in a scenario file` } };
    }
    lines.push({ line: where.line, text: parsed.text, canonical: parsed.canonical, cmd: parsed.cmd, def: parsed.def });
  }
  return { lines };
}
