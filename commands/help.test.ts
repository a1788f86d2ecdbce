import { describe, expect, test } from 'vitest';
import { commandId } from './command-def.js';
import { commandsMarkdown, helpText } from './help.js';
import { COMMANDS } from './registry.js';

describe('helpText', () => {
  test('the overview lists every command under its section', () => {
    const text = helpText();
    for (const title of ['Setup', 'System calls', 'The internal VMA API', 'Processes', 'History', 'Snapshots', 'REPL only']) expect(text).toContain(`\n${title}\n`);
    for (const def of COMMANDS) expect(text).toMatch(new RegExp(`^  ${commandId(def)} +\\S`, 'm'));
    expect(text.indexOf('\nSetup\n')).toBeLessThan(text.indexOf('\nSystem calls\n'));
    expect(text.indexOf('  mmap ')).toBeLessThan(text.indexOf('  vma add '));
  });

  test('null and empty topics give the overview', () => {
    expect(helpText(null)).toBe(helpText());
    expect(helpText('  ')).toBe(helpText());
  });

  test('a command: syntax, summary, help, options, event', () => {
    const text = helpText('mmap');
    expect(text.split('\n')[0]).toBe('mmap ADDR LEN PROT [FLAG ...] [file=NAME off=OFFSET]');
    expect(text).toContain('mmap(2)');
    expect(text).toContain('Options:');
    expect(text).toMatch(/^    noreplace +MAP_FIXED_NOREPLACE/m);
    expect(text).toMatch(/^    file=NAME +map the file NAME/m);
    expect(text).toContain('Recorded in the history as an event.');
    expect(text).not.toContain('`');
  });

  test('a REPL command is not an event', () => {
    expect(helpText('vmas')).toContain('Not an event');
  });

  test('lines stay within 78 columns', () => {
    for (const def of COMMANDS) {
      for (const line of helpText(commandId(def)).split('\n')) {
        if (line === def.syntax) continue;
        expect(line.length, line).toBeLessThanOrEqual(78);
      }
    }
  });

  test('a group lists its subcommands', () => {
    const text = helpText('vma');
    expect(text.split('\n')[0]).toBe('vma SUBCOMMAND ...');
    for (const def of COMMANDS.filter((d) => d.name === 'vma')) expect(text).toContain(def.syntax);
    expect(helpText('config')).toContain('config max_map_count N');
  });

  test('a subcommand, case-insensitively', () => {
    expect(helpText('VMA Merge-New').split('\n')[0]).toBe('vma merge-new START END PGOFF FLAGS [file=NAME] [av=ID] [expand-only] [fail-prealloc]');
  });

  test('an alias', () => {
    expect(helpText('exit')).toBe(helpText('quit'));
  });

  test('an unknown topic suggests the nearest', () => {
    expect(helpText('mprotct')).toBe("No command 'mprotct'; did you mean 'mprotect'?");
    expect(helpText('vma ad')).toBe("No command 'vma ad'; did you mean 'vma add'?");
    expect(helpText('zzzzzz')).toBe("No command 'zzzzzz'. Type 'help' for the list.");
  });
});

describe('commandsMarkdown', () => {
  const md = commandsMarkdown();

  test('a section per category and a heading per command', () => {
    expect(md.startsWith('# Commands\n')).toBe(true);
    expect(md).toContain('\n## System calls\n');
    expect(md).toContain('\n### `mmap`\n');
    expect(md).toContain('\n### `vma`\n');
    expect(md).toContain('\n#### `vma add`\n');
    expect(md).toContain('\n#### `config soft_dirty`\n');
    for (const def of COMMANDS) expect(md).toContain('```\n' + def.syntax + '\n```');
  });

  test('option tables', () => {
    expect(md).toContain('| `fixed=NEWADDR` | MREMAP_FIXED to NEWADDR (EINVAL without maymove) |');
    expect(md).toContain('| `--force` | overwrite an existing PATH |');
  });

  test('aliases and events are stated', () => {
    expect(md).toContain('Also written `exit`.');
    expect(md).toContain('An event: recorded in the history.');
    expect(md).toContain('Not an event.');
  });

  test('summaries become sentences, but kernel names keep their case', () => {
    expect(md).toContain('\nCreate a regular file NAME of SIZE bytes for later mmaps.\n');
    expect(md).toContain('\nmmap(2).\n');
    expect(md).toContain('\nvm.max_map_count (default 65530).\n');
  });

  test('ends with one newline', () => {
    expect(md.endsWith('\n')).toBe(true);
    expect(md.endsWith('\n\n')).toBe(false);
  });
});
