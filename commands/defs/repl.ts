/**
 * Commands of the interactive prompt only. None is an event, and a scenario
 * file may not contain them: they show or navigate, and a file that runs the
 * same everywhere has nothing to show them to.
 */

import type { ArgType, CompletionSource } from '../arg-types.js';
import { numberArg } from '../arg-types.js';
import { command, optional, positional, type CommandDef } from '../command-def.js';

/**
 * A help topic: command names are keywords, so written in lower case. Whether
 * the topic exists is for `help` to say when it runs: the registry that knows
 * the topics is built from this very file.
 */
function topicArg(expected: string, completion: CompletionSource): ArgType<string> {
  return {
    expected,
    parse: (text) => ({ ok: true, value: text.toLowerCase(), canonical: text.toLowerCase() }),
    completion,
  };
}

const TOPIC = optional('COMMAND', topicArg('a command name', { kind: 'commands' }));
const SUBTOPIC = optional('SUBCOMMAND', topicArg('a subcommand name', { kind: 'subcommands' }));

export const helpDef: CommandDef = command({
  name: 'help',
  syntax: 'help [COMMAND [SUBCOMMAND]]',
  summary: 'list the commands, or describe one',
  help: 'Without COMMAND, lists every command by section. `help vma` lists the vma subcommands; `help vma add` describes one.',
  category: 'repl',
  event: false,
  positionals: [TOPIC, SUBTOPIC],
  build(a) {
    const topic = [a.opt(TOPIC), a.opt(SUBTOPIC)].filter((w) => w !== undefined).join(' ');
    return { kind: 'help', topic: topic === '' ? null : topic };
  },
});

export const historyDef: CommandDef = command({
  name: 'history',
  syntax: 'history',
  summary: 'list the events of the history',
  help: 'Events are numbered 1, 2, 3, ... in the order they executed; event 0 is the empty start. Numbers are never reused.',
  category: 'repl',
  event: false,
  build: () => ({ kind: 'history' }),
});

export const branchesDef: CommandDef = command({
  name: 'branches',
  syntax: 'branches',
  summary: 'list the branches of the history',
  help: 'A branch starts where an event followed an `undo` or `goto`; every event on every branch stays reachable with `goto`.',
  category: 'repl',
  event: false,
  build: () => ({ kind: 'branches' }),
});

const STEPS = optional('N', numberArg);

export const backDef: CommandDef = command({
  name: 'back',
  syntax: 'back [N]',
  summary: 'return to the position visited before this one, N times (default 1)',
  help:
    'Like a browser\'s back button over the positions that undo, redo and goto made current; `undo` instead ' +
    'steps to the parent event on the current branch.',
  category: 'repl',
  event: false,
  positionals: [STEPS],
  build: (a) => ({ kind: 'back', n: a.opt(STEPS) ?? 1n }),
});

export const forwardDef: CommandDef = command({
  name: 'forward',
  syntax: 'forward [N]',
  summary: 'go forward again over positions left by `back`, N times (default 1)',
  help: 'Like a browser\'s forward button: it undoes `back`.',
  category: 'repl',
  event: false,
  positionals: [STEPS],
  build: (a) => ({ kind: 'forward', n: a.opt(STEPS) ?? 1n }),
});

const A = positional('A', numberArg);
const B = positional('B', numberArg);

export const diffDef: CommandDef = command({
  name: 'diff',
  syntax: 'diff A B',
  summary: 'compare the states after events A and B',
  help: 'A and B are event numbers, on any branch; 0 is the empty start.',
  category: 'repl',
  event: false,
  positionals: [A, B],
  build: (a) => ({ kind: 'diff', a: a.get(A), b: a.get(B) }),
});

export const explainDef: CommandDef = command({
  name: 'explain',
  syntax: 'explain',
  summary: 'show the trace of the last event',
  help: 'What the simulator recorded while it carried out the last event: the steps the kernel logic took to reach its result.',
  category: 'repl',
  event: false,
  build: () => ({ kind: 'explain' }),
});

export const vmasDef: CommandDef = command({
  name: 'vmas',
  syntax: 'vmas',
  summary: 'print the current process\'s VMAs as a table',
  help: 'Every VMA of the current process, whatever the window.',
  category: 'repl',
  event: false,
  build: () => ({ kind: 'vmas' }),
});

export const quitDef: CommandDef = command({
  name: 'quit',
  aliases: ['exit'],
  syntax: 'quit',
  summary: 'leave the REPL (also `exit`)',
  help: 'Leaves the REPL.',
  category: 'repl',
  event: false,
  build: () => ({ kind: 'quit' }),
});

export const replDefs: readonly CommandDef[] = [
  helpDef,
  historyDef,
  branchesDef,
  backDef,
  forwardDef,
  diffDef,
  explainDef,
  vmasDef,
  quitDef,
];
