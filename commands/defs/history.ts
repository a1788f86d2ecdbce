/** Moving through the history of events (scenario-language.md, History). */

import { numberArg } from '../arg-types.js';
import { command, optional, positional, type CommandDef } from '../command-def.js';

const STEPS = optional('N', numberArg);

export const undoDef: CommandDef = command({
  name: 'undo',
  syntax: 'undo [N]',
  summary: 'step back N events (default 1) along the current branch',
  help: 'Stops at event 0, the empty start. The next event after an undo starts a new branch; the events left behind stay reachable with `goto`.',
  category: 'history',
  event: false,
  positionals: [STEPS],
  build: (a) => ({ kind: 'undo', n: a.opt(STEPS) ?? 1n }),
});

export const redoDef: CommandDef = command({
  name: 'redo',
  syntax: 'redo [N]',
  summary: 'step forward N events (default 1)',
  help:
    'Each step goes to the child most recently left by `undo` or `goto` from that position, else to the ' +
    'newest child; it stops where there is none.',
  category: 'history',
  event: false,
  positionals: [STEPS],
  build: (a) => ({ kind: 'redo', n: a.opt(STEPS) ?? 1n }),
});

const EVENT = positional('N', numberArg);

export const gotoDef: CommandDef = command({
  name: 'goto',
  syntax: 'goto N',
  summary: 'make the state after event N current',
  help: 'Any event, on any branch; 0 is the empty start. An event that does not exist is an error that changes nothing.',
  category: 'history',
  event: false,
  positionals: [EVENT],
  build: (a) => ({ kind: 'goto', n: a.get(EVENT) }),
});

export const historyDefs: readonly CommandDef[] = [undoDef, redoDef, gotoDef];
