/**
 * Where the matched words of a line are kept for a definition's `build`, and
 * what matching needs to know about a definition. Both are worked out once
 * per definition, as definitions never change, so that matching a line only
 * indexes arrays and looks words up.
 */

import type { Args, CommandDef, Failure, KeywordOption, OptionSpec, Positional, ValueOption } from './command-def.js';
import { commandId } from './command-def.js';

type Spec = Positional<unknown> | OptionSpec;

/**
 * Specs are told apart by kind and name, not by identity: two specs of one
 * kind and name are one argument.
 */
function slotKey(x: Spec): string {
  return 'kind' in x ? (x.kind === 'keyword' ? `k:${x.word}` : `v:${x.key}`) : `p:${x.name}`;
}

export interface DefTable {
  /** `vma add`, `mmap`: the canonical text's first words. */
  readonly id: string;
  /** How many positionals must be written. */
  readonly required: number;
  /** Keyword options by their word, and key=value options by their key: the first of each, as listed. */
  readonly keywords: ReadonlyMap<string, KeywordOption>;
  readonly valueOptions: ReadonlyMap<string, ValueOption<unknown>>;
  /** The first UTF-16 unit of each keyword and key, and `=` after an empty key: what a word must start with to name an option. */
  readonly optionInitials: readonly number[];
  /** The slot each spec's value goes in, by the spec and by its key. */
  readonly slotsBySpec: ReadonlyMap<Spec, number>;
  readonly slotsByKey: ReadonlyMap<string, number>;
  /** One entry a slot, for MatchedArgs to copy: cheaper than filling new arrays. */
  readonly noValues: readonly unknown[];
  readonly noColumns: readonly number[];
}

const tables = new WeakMap<CommandDef, DefTable>();

export function defTable(def: CommandDef): DefTable {
  let table = tables.get(def);
  if (table === undefined) {
    table = newDefTable(def);
    tables.set(def, table);
  }
  return table;
}

function newDefTable(def: CommandDef): DefTable {
  const keywords = new Map<string, KeywordOption>();
  const valueOptions = new Map<string, ValueOption<unknown>>();
  for (const o of def.options) {
    if (o.kind === 'keyword') {
      if (!keywords.has(o.word)) keywords.set(o.word, o);
    } else if (!valueOptions.has(o.key)) {
      valueOptions.set(o.key, o);
    }
  }
  const initials = new Set<number>();
  for (const o of def.options) {
    const name = o.kind === 'keyword' ? o.word : o.key;
    // A word names `key=` by its key: with an empty key, by a word that starts with `=`.
    initials.add(name === '' ? 0x3d : name.charCodeAt(0));
  }
  const slotsBySpec = new Map<Spec, number>();
  const slotsByKey = new Map<string, number>();
  for (const spec of [...def.positionals, ...def.options]) {
    const key = slotKey(spec);
    let slot = slotsByKey.get(key);
    if (slot === undefined) {
      slot = slotsByKey.size;
      slotsByKey.set(key, slot);
    }
    slotsBySpec.set(spec, slot);
  }
  return {
    id: commandId(def),
    required: def.positionals.filter((p) => !p.optional).length,
    keywords,
    valueOptions,
    optionInitials: [...initials],
    slotsBySpec,
    slotsByKey,
    noValues: new Array<unknown>(slotsByKey.size).fill(undefined),
    noColumns: new Array<number>(slotsByKey.size).fill(0),
  };
}

/** The slot of a spec, or -1 for one the definition does not have. */
function slotOf(table: DefTable, x: Spec): number {
  return table.slotsBySpec.get(x) ?? table.slotsByKey.get(slotKey(x)) ?? -1;
}

/** The matched words of one line: a value and a column for each argument written. */
export class MatchedArgs implements Args {
  private readonly values: unknown[];
  /** 0 for an argument not written: columns start at 1. */
  private readonly columns: number[];
  /** The command's name, then each word matched so far in canonical form, one space apart. */
  canonical: string;

  constructor(
    private readonly table: DefTable,
    private readonly commandColumn: number,
  ) {
    this.values = table.noValues.slice();
    this.columns = table.noColumns.slice();
    this.canonical = table.id;
  }

  set(x: Spec, value: unknown, column: number, canonical: string): void {
    const slot = slotOf(this.table, x);
    this.values[slot] = value;
    this.columns[slot] = column;
    this.canonical += ' ' + canonical;
  }

  has(x: Spec): boolean {
    const slot = slotOf(this.table, x);
    return slot >= 0 && this.columns[slot] !== 0;
  }

  get<T>(p: Positional<T>): T {
    const slot = slotOf(this.table, p);
    if (slot < 0 || this.columns[slot] === 0) throw new Error(`required argument ${p.name} was not matched`);
    return this.values[slot] as T;
  }

  opt<T>(p: Positional<T> | ValueOption<T>): T | undefined {
    const slot = slotOf(this.table, p);
    return slot < 0 ? undefined : (this.values[slot] as T | undefined);
  }

  column(x: Spec): number {
    const slot = slotOf(this.table, x);
    return slot >= 0 && this.columns[slot] !== 0 ? this.columns[slot]! : this.commandColumn;
  }

  fail(x: Spec, message: string): Failure {
    return { failure: message, column: this.column(x) };
  }
}
