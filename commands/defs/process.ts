/** Processes: `fork` and `process` (scenario-language.md, Processes). */

import { numberArg } from '../arg-types.js';
import { command, positional, type CommandDef } from '../command-def.js';

export const forkDef: CommandDef = command({
  name: 'fork',
  syntax: 'fork',
  summary: 'fork(2) in the current process',
  help:
    'The child is numbered with the number of processes that exist at that point; ret is its number. ' +
    'The current process does not change. The child gets one copy of every VMA (never merged), except ' +
    'dontfork (`dc`) VMAs; wipeonfork (`wf`) VMAs are copied empty; copies lose `lo` and `lf`. ' +
    'Pages faulted before the fork are shared copy-on-write. At most 512 processes (511 forks), as the native helper runs.',
  category: 'process',
  event: true,
  build: () => ({ kind: 'fork' }),
});

const N = positional('N', numberArg);

export const processDef: CommandDef = command({
  name: 'process',
  syntax: 'process N',
  summary: 'make process N current',
  help:
    'Every following system-call, touch, fork, vma and import line acts on N until the next `process` ' +
    'line. If N does not exist, ret is -1 with errno ESRCH and the current process does not change.',
  category: 'process',
  event: true,
  positionals: [N],
  build: (a) => ({ kind: 'process', n: a.get(N) }),
});
