/**
 * Help for the REPL and the Markdown reference (docs/commands.md), both
 * generated from the registry so that neither can drift from the parser.
 */

import { CATEGORIES, commandId, optionText, type CommandDef, type CommandGroup, type OptionSpec } from './command-def.js';
import { MAX_LINE_LENGTH } from './lexer.js';
import { COMMANDS, ENTRIES, findTopic, type Entry } from './registry.js';
import { nearest } from './suggest.js';

const WIDTH = 78;

/** Code spans are for Markdown; a terminal reads quotes better. */
function plain(text: string): string {
  return text.replace(/`([^`]*)`/g, "'$1'");
}

function wrap(text: string, indent: string, width = WIDTH): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

/** `label` then `text` wrapped, continuation lines aligned under the text's start. */
function hanging(label: string, text: string): string {
  return label + wrap(text, ' '.repeat(label.length)).slice(label.length);
}

function entriesOf(category: string): Entry[] {
  return ENTRIES.filter((e) => (e.kind === 'command' ? e.def.category : e.group.category) === category);
}

const LEXICAL_NOTES =
  'Numbers: 4096, 0x1000, with K, M, G (x1024^n) or p (pages of 4096, lower case): 16K, 3p. ' +
  'PROT: rw-, r-x, --- or none. Keywords are case-insensitive; names and paths are not. # starts a comment. ' +
  `Words are separated by spaces and tabs; a line ends at LF, CR LF or CR and holds at most ${MAX_LINE_LENGTH} characters.`;

function overview(): string {
  const idWidth = Math.max(...COMMANDS.map((d) => commandId(d).length));
  const out: string[] = ['Commands (help COMMAND for more):'];
  for (const { id, title } of CATEGORIES) {
    out.push('', title);
    for (const e of entriesOf(id)) {
      const defs = e.kind === 'command' ? [e.def] : e.group.subs;
      for (const d of defs) out.push(hanging(`  ${commandId(d).padEnd(idWidth)}  `, plain(d.summary)));
    }
  }
  out.push('', wrap(LEXICAL_NOTES, ''));
  return out.join('\n');
}

function optionLines(options: readonly OptionSpec[]): string[] {
  if (options.length === 0) return [];
  const width = Math.max(...options.map((o) => optionText(o).length));
  return ['', '  Options:', ...options.map((o) => hanging(`    ${optionText(o).padEnd(width)}  `, plain(o.help)))];
}

function commandHelp(def: CommandDef): string {
  return [
    def.syntax,
    wrap(plain(def.summary), '  '),
    '',
    wrap(plain(def.help), '  '),
    ...optionLines(def.options),
    '',
    def.event ? '  Recorded in the history as an event.' : '  Not an event: the history does not record it.',
  ].join('\n');
}

function groupHelp(group: CommandGroup): string {
  // Long syntaxes would leave no room for the summary beside them: it goes below instead.
  const column = 36;
  const subs = group.subs.map((d) =>
    d.syntax.length <= column ? hanging(`  ${d.syntax.padEnd(column)}  `, plain(d.summary)) : `  ${d.syntax}\n${wrap(plain(d.summary), ' '.repeat(column + 4))}`,
  );
  return [group.syntax, wrap(plain(group.summary), '  '), '', wrap(plain(group.help), '  '), '', ...subs, '', `  help ${group.name} ${group.subName} for more.`].join('\n');
}

/** The overview, or the help for a command (`mmap`, `vma`, `vma add`, `exit`). */
export function helpText(topic?: string | null): string {
  if (topic === undefined || topic === null || topic.trim() === '') return overview();
  const entry = findTopic(topic);
  if (entry !== undefined) return entry.kind === 'command' ? commandHelp(entry.def) : groupHelp(entry.group);
  const names = [...ENTRIES.flatMap((e) => (e.kind === 'command' ? [e.def.name, ...e.def.aliases] : [e.group.name])), ...COMMANDS.map(commandId)];
  const near = nearest(topic, names);
  return near === null ? `No command '${topic}'. Type 'help' for the list.` : `No command '${topic}'; did you mean '${near}'?`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function commandMarkdown(def: CommandDef, heading: string): string[] {
  const out = [`${heading} \`${commandId(def)}\``, '', '```', def.syntax, '```', '', `${capitalise(def.summary)}.`, '', def.help];
  if (def.aliases.length > 0) out.push('', `Also written ${def.aliases.map((a) => `\`${a}\``).join(', ')}.`);
  if (def.options.length > 0) {
    out.push('', '| option | meaning |', '|---|---|', ...def.options.map((o) => `| \`${optionText(o)}\` | ${escapeCell(o.help)} |`));
  }
  out.push('', def.event ? 'An event: recorded in the history.' : 'Not an event.');
  return out;
}

/** A summary as a sentence; one that starts with a kernel name (`mmap(2)`, `vm.max_map_count`) keeps its case. */
function capitalise(s: string): string {
  const first = s.split(' ')[0]!;
  return /^[a-z]+$/.test(first) ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/** The whole registry as Markdown, for docs/commands.md. */
export function commandsMarkdown(): string {
  const out: string[] = [
    '# Commands',
    '',
    'Every command of the vmasim language: typed at the REPL prompt, or one line of a scenario file. ' +
      'The contract is the scenario language specification; this page is generated from the command registry.',
    '',
    LEXICAL_NOTES.replace(/# starts/, '`#` starts'),
  ];
  for (const { id, title } of CATEGORIES) {
    out.push('', `## ${title}`);
    if (id === 'repl') out.push('', 'These work only at the REPL prompt: a scenario file may not contain them.');
    for (const e of entriesOf(id)) {
      out.push('');
      if (e.kind === 'command') {
        out.push(...commandMarkdown(e.def, '###'));
        continue;
      }
      const g = e.group;
      out.push(`### \`${g.name}\``, '', '```', g.syntax, '```', '', `${capitalise(g.summary)}.`, '', g.help);
      for (const d of g.subs) out.push('', ...commandMarkdown(d, '####'));
    }
  }
  return out.join('\n') + '\n';
}
