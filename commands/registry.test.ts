import { describe, expect, test } from 'vitest';
import { commandId, optionText } from './command-def.js';
import { parseLine } from './parse.js';
import { newParseContext } from './parse-context.js';
import { COMMANDS, ENTRIES, commandWords, defForCommand, findEntry, findTopic, isEvent } from './registry.js';

/** One line per command; every command must have one. */
const EXAMPLES: Readonly<Record<string, string>> = {
  file: 'file lib 4K',
  window: 'window 0 4K',
  'config anon_vma_name': 'config anon_vma_name on',
  'config soft_dirty': 'config soft_dirty off',
  'config max_map_count': 'config max_map_count 10',
  'config mmap_base': 'config mmap_base 0x7ff000000000',
  mmap: 'mmap - 4K rw-',
  munmap: 'munmap 0 4K',
  mprotect: 'mprotect 0 4K r--',
  madvise: 'madvise 0 4K cold',
  mlock: 'mlock 0 4K',
  munlock: 'munlock 0 4K',
  mremap: 'mremap 0 4K 8K maymove',
  mseal: 'mseal 0 4K',
  name: 'name 0 4K x',
  touch: 'touch 0',
  'vma add': 'vma add 0 4K 0 rd',
  'vma merge-new': 'vma merge-new 0 4K 0 rd',
  'vma merge-existing': 'vma merge-existing 0 4K rd',
  'vma modify': 'vma modify 0 4K rd',
  'vma expand': 'vma expand 0 8K',
  'vma shrink': 'vma shrink 0 4K',
  'vma split': 'vma split 4K',
  'vma unmap': 'vma unmap 0 4K',
  'vma copy': 'vma copy 0 8K 2',
  fork: 'fork',
  process: 'process 1',
  undo: 'undo',
  redo: 'redo',
  goto: 'goto 1',
  export: 'export json x',
  import: 'import json x',
  help: 'help',
  history: 'history',
  branches: 'branches',
  back: 'back',
  forward: 'forward',
  diff: 'diff 1 2',
  explain: 'explain',
  vmas: 'vmas',
  quit: 'quit',
};

/** Exactly these are events (scenario-language.md, History). */
const EVENTS = new Set([
  'file',
  'config anon_vma_name',
  'config soft_dirty',
  'config max_map_count',
  'config mmap_base',
  'mmap',
  'munmap',
  'mprotect',
  'madvise',
  'mlock',
  'munlock',
  'mremap',
  'mseal',
  'name',
  'touch',
  'vma add',
  'vma merge-new',
  'vma merge-existing',
  'vma modify',
  'vma expand',
  'vma shrink',
  'vma split',
  'vma unmap',
  'vma copy',
  'fork',
  'process',
  'import',
]);

describe('registry', () => {
  test('every command has an example, and every example a command', () => {
    expect(COMMANDS.map(commandId).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  test('each example parses to its own def, and defForCommand finds it back', () => {
    for (const def of COMMANDS) {
      const r = parseLine(EXAMPLES[commandId(def)]!, newParseContext(['lib']), { file: 't', line: 1 });
      expect(r.kind, commandId(def)).toBe('command');
      if (r.kind !== 'command') continue;
      expect(r.def).toBe(def);
      expect(defForCommand(r.cmd)).toBe(def);
      expect(isEvent(r.cmd)).toBe(EVENTS.has(commandId(def)));
    }
  });

  test('event flags follow the spec', () => {
    for (const def of COMMANDS) expect(def.event, commandId(def)).toBe(EVENTS.has(commandId(def)));
  });

  test('REPL commands are never events', () => {
    for (const def of COMMANDS.filter((d) => d.category === 'repl')) expect(def.event).toBe(false);
  });

  test('categories', () => {
    const byCategory = (c: string) => COMMANDS.filter((d) => d.category === c).map(commandId);
    expect(byCategory('setup')).toEqual(['file', 'window', 'config anon_vma_name', 'config soft_dirty', 'config max_map_count', 'config mmap_base']);
    expect(byCategory('syscall')).toEqual(['mmap', 'munmap', 'mprotect', 'madvise', 'mlock', 'munlock', 'mremap', 'mseal', 'name', 'touch']);
    expect(byCategory('vma')).toHaveLength(9);
    expect(byCategory('process')).toEqual(['fork', 'process']);
    expect(byCategory('history')).toEqual(['undo', 'redo', 'goto']);
    expect(byCategory('snapshot')).toEqual(['export', 'import']);
    expect(byCategory('repl')).toEqual(['help', 'history', 'branches', 'back', 'forward', 'diff', 'explain', 'vmas', 'quit']);
  });

  test('the syntax names every positional and option', () => {
    for (const def of COMMANDS) {
      expect(def.syntax.startsWith(commandId(def)), def.syntax).toBe(true);
      for (const p of def.positionals) {
        // A choice of two keywords may be spelled out instead: `on|off`.
        const spelled = p.type.completion.kind === 'words' ? p.type.completion.words.join('|') : p.name;
        expect(def.syntax.includes(p.name) || def.syntax.includes(spelled), p.name).toBe(true);
      }
      for (const o of def.options) {
        // mmap's keywords are summed up as [FLAG ...]
        if (o.kind === 'keyword' && def.syntax.includes('[FLAG ...]')) continue;
        expect(def.syntax, optionText(o)).toContain(optionText(o));
      }
    }
  });

  test('optional positionals come after the required ones', () => {
    for (const def of COMMANDS) {
      const firstOptional = def.positionals.findIndex((p) => p.optional);
      if (firstOptional >= 0) expect(def.positionals.slice(firstOptional).every((p) => p.optional), commandId(def)).toBe(true);
    }
  });

  test('every command has a summary and help', () => {
    for (const def of COMMANDS) {
      expect(def.summary.length, commandId(def)).toBeGreaterThan(0);
      expect(def.help.length, commandId(def)).toBeGreaterThan(0);
    }
  });

  test('command words are unique', () => {
    const words = commandWords();
    expect(new Set(words).size).toBe(words.length);
    expect(words).toContain('exit');
    expect(words).toHaveLength(ENTRIES.length + 1);
  });

  test('lookup is case-insensitive', () => {
    expect(findEntry('MMAP')).toMatchObject({ kind: 'command', def: { name: 'mmap' } });
    expect(findEntry('Vma')).toMatchObject({ kind: 'group' });
    expect(findEntry('nope')).toBeUndefined();
  });

  test('findTopic', () => {
    expect(findTopic('vma add')).toMatchObject({ kind: 'command', def: { sub: 'add' } });
    expect(findTopic('vma')).toMatchObject({ kind: 'group' });
    expect(findTopic('exit')).toMatchObject({ kind: 'command', def: { name: 'quit' } });
    expect(findTopic('mmap add')).toBeUndefined();
    expect(findTopic('vma nope')).toBeUndefined();
    expect(findTopic('vma add x')).toBeUndefined();
  });

  test('show has no command', () => {
    expect(defForCommand({ kind: 'show', what: 'x', args: [] })).toBeUndefined();
    expect(isEvent({ kind: 'show', what: 'x', args: [] })).toBe(false);
  });
});
