/**
 * How one command of the language is described: once, in one place, for the
 * parser, the help text, the Markdown reference and completion alike.
 *
 * A command's words are positional arguments, in the order the syntax gives
 * them, followed by options in any order: keywords (`fixed`) and key=value
 * pairs (`file=NAME`). Optional positionals come before the first option
 * (`touch ADDR [LEN] [read|write]`).
 */

import type { Command } from './ast.js';
import type { ArgType } from './arg-types.js';

export type Category = 'setup' | 'syscall' | 'vma' | 'process' | 'history' | 'snapshot' | 'repl';

/** The order and titles of the spec's sections; REPL-only commands last. */
export const CATEGORIES: readonly { readonly id: Category; readonly title: string }[] = [
  { id: 'setup', title: 'Setup' },
  { id: 'syscall', title: 'System calls' },
  { id: 'vma', title: 'The internal VMA API' },
  { id: 'process', title: 'Processes' },
  { id: 'history', title: 'History' },
  { id: 'snapshot', title: 'Snapshots' },
  { id: 'repl', title: 'REPL only' },
];

export interface Positional<T> {
  /** As the syntax writes it: `ADDR`, `LEN`. */
  readonly name: string;
  readonly type: ArgType<T>;
  readonly optional: boolean;
}

export interface KeywordOption {
  readonly kind: 'keyword';
  /** Lower case; matched case-insensitively. */
  readonly word: string;
  readonly help: string;
  /** Keywords of one group exclude each other (`shared`/`private`). */
  readonly group?: string;
  /** Must be the line's last word (`fail-prealloc`: "at the end of" the line). */
  readonly last?: boolean;
}

export interface ValueOption<T> {
  readonly kind: 'value';
  /** The part before `=`, lower case; matched case-insensitively. */
  readonly key: string;
  /** The value's name in the syntax: `file=NAME` has key `file`, name `NAME`. */
  readonly name: string;
  readonly type: ArgType<T>;
  readonly help: string;
}

export type OptionSpec = KeywordOption | ValueOption<unknown>;

/** A parse error found while building the command, at a column of the line. */
export interface Failure {
  readonly failure: string;
  readonly column: number;
}

export function isFailure(x: object): x is Failure {
  return 'failure' in x;
}

/** The matched words of one line, typed by the specs that matched them. */
export interface Args {
  /** A required positional (always present once the words matched). */
  get<T>(p: Positional<T>): T;
  opt<T>(p: Positional<T> | ValueOption<T>): T | undefined;
  has(k: KeywordOption): boolean;
  /** Where the argument was written; the command name's column if it was not. */
  column(x: Positional<unknown> | OptionSpec): number;
  fail(x: Positional<unknown> | OptionSpec, message: string): Failure;
}

export interface CommandDef {
  readonly name: string;
  /** `add` for `vma add`; null for a command without subcommands. */
  readonly sub: string | null;
  /** Other names that mean the same command (`exit` for `quit`). */
  readonly aliases: readonly string[];
  readonly syntax: string;
  readonly summary: string;
  readonly help: string;
  readonly category: Category;
  /** Recorded in the history when it executes (scenario-language.md, History). */
  readonly event: boolean;
  readonly positionals: readonly Positional<unknown>[];
  readonly options: readonly OptionSpec[];
  /** Pure: checks what one word alone cannot (`off=` needs `file=`) and makes the AST. */
  readonly build: (args: Args) => Command | Failure;
}

/** A command whose second word chooses what it does: `vma add`, `config soft_dirty`. */
export interface CommandGroup {
  readonly name: string;
  /** What the second word is called in messages: `SUBCOMMAND`, `OPTION`. */
  readonly subName: string;
  readonly syntax: string;
  readonly summary: string;
  readonly help: string;
  readonly category: Category;
  readonly subs: readonly CommandDef[];
}

/** `vma add`, `mmap`: how a command is named in help topics and messages. */
export function commandId(def: CommandDef): string {
  return def.sub === null ? def.name : `${def.name} ${def.sub}`;
}

export function positional<T>(name: string, type: ArgType<T>): Positional<T> {
  return { name, type, optional: false };
}

export function optional<T>(name: string, type: ArgType<T>): Positional<T> {
  return { name, type, optional: true };
}

export function keyword(word: string, help: string, more: { group?: string; last?: boolean } = {}): KeywordOption {
  return { kind: 'keyword', word, help, ...more };
}

export function valueOption<T>(key: string, name: string, type: ArgType<T>, help: string): ValueOption<T> {
  return { kind: 'value', key, name, type, help };
}

type DefFields = Omit<CommandDef, 'sub' | 'aliases' | 'positionals' | 'options'> &
  Partial<Pick<CommandDef, 'sub' | 'aliases' | 'positionals' | 'options'>>;

export function command(fields: DefFields): CommandDef {
  return { sub: null, aliases: [], positionals: [], options: [], ...fields };
}

/** How an option is written in syntax lists and messages: `fixed`, `file=NAME`. */
export function optionText(o: OptionSpec): string {
  return o.kind === 'keyword' ? o.word : `${o.key}=${o.name}`;
}
