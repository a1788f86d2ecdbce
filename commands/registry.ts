/**
 * Every command of the language, each defined once (in defs/), in the order
 * of the spec's sections. The parser, help, the Markdown reference and
 * completion all read this list.
 */

import type { Command } from './ast.js';
import type { CommandDef, CommandGroup } from './command-def.js';
import { historyDefs } from './defs/history.js';
import { forkDef, processDef } from './defs/process.js';
import { replDefs } from './defs/repl.js';
import { configGroup, fileDef, windowDef } from './defs/setup.js';
import { exportDef, importDef } from './defs/snapshot.js';
import { syscallDefs } from './defs/syscalls.js';
import { vmaGroup } from './defs/vma.js';

/** What the first word of a line names: a command, or a group whose second word chooses one. */
export type Entry = { readonly kind: 'command'; readonly def: CommandDef } | { readonly kind: 'group'; readonly group: CommandGroup };

const cmd = (def: CommandDef): Entry => ({ kind: 'command', def });
const grp = (group: CommandGroup): Entry => ({ kind: 'group', group });

export const ENTRIES: readonly Entry[] = [
  cmd(fileDef),
  cmd(windowDef),
  grp(configGroup),
  ...syscallDefs.map(cmd),
  grp(vmaGroup),
  cmd(forkDef),
  cmd(processDef),
  ...historyDefs.map(cmd),
  cmd(exportDef),
  cmd(importDef),
  ...replDefs.map(cmd),
];

/** Every command, subcommands included, in registry order. */
export const COMMANDS: readonly CommandDef[] = ENTRIES.flatMap((e) => (e.kind === 'command' ? [e.def] : e.group.subs));

export function entryName(e: Entry): string {
  return e.kind === 'command' ? e.def.name : e.group.name;
}

function entryNames(e: Entry): readonly string[] {
  return e.kind === 'command' ? [e.def.name, ...e.def.aliases] : [e.group.name];
}

/** The words a line may start with: command names and aliases. */
export function commandWords(): string[] {
  return ENTRIES.flatMap(entryNames);
}

/** Each word a line may start with, and the first entry, in registry order, that it names. */
const ENTRY_BY_NAME = new Map<string, Entry>();
for (const e of ENTRIES) for (const n of entryNames(e)) if (!ENTRY_BY_NAME.has(n)) ENTRY_BY_NAME.set(n, e);

/** Case-insensitive, as keywords are. */
export function findEntry(word: string): Entry | undefined {
  return ENTRY_BY_NAME.get(word.toLowerCase());
}

export function findSub(group: CommandGroup, word: string): CommandDef | undefined {
  const w = word.toLowerCase();
  return group.subs.find((d) => d.sub === w);
}

/** `vma add`, `mmap`, `exit`: a command or a group by the words that name it. */
export function findTopic(topic: string): Entry | undefined {
  const [first = '', second, ...rest] = topic.trim().split(/[ \t]+/);
  const entry = findEntry(first);
  if (entry === undefined || rest.length > 0) return undefined;
  if (second === undefined) return entry;
  if (entry.kind !== 'group') return undefined;
  const def = findSub(entry.group, second);
  return def === undefined ? undefined : cmd(def);
}

/**
 * The definition a parsed command came from. Commands are named after their
 * AST kind, so this needs no table of its own; `show` has no command.
 */
export function defForCommand(c: Command): CommandDef | undefined {
  if (c.kind === 'config') return findSub(configGroup, c.option);
  if (c.kind.startsWith('vma-')) return findSub(vmaGroup, c.kind.slice('vma-'.length));
  const entry = findEntry(c.kind);
  return entry?.kind === 'command' ? entry.def : undefined;
}

/** Whether executing the command records an event (scenario-language.md, History). */
export function isEvent(c: Command): boolean {
  return defForCommand(c)?.event ?? false;
}
