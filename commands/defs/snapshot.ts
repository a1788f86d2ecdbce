/** Writing and loading states (scenario-language.md, Snapshots). */

import type { ExportKind, ImportKind } from '../ast.js';
import { choiceArg, pathArg } from '../arg-types.js';
import { command, keyword, positional, type CommandDef } from '../command-def.js';

const EXPORT_KINDS: readonly ExportKind[] = ['json', 'script', 'maps', 'smaps', 'vitest', 'kernel-c', 'selftest'];
const IMPORT_KINDS: readonly ImportKind[] = ['json', 'script', 'maps', 'smaps'];

const EXPORT_KIND = positional('KIND', choiceArg(EXPORT_KINDS, 'an export KIND (json, script, maps, smaps, vitest, kernel-c, selftest)'));
const IMPORT_KIND = positional('KIND', choiceArg(IMPORT_KINDS, 'an import KIND (json, script, maps, smaps)'));
const PATH = positional('PATH', pathArg);
const FORCE = keyword('--force', 'overwrite an existing PATH');

export const exportDef: CommandDef = command({
  name: 'export',
  syntax: 'export KIND PATH [--force]',
  summary: 'write the current state (and its history) as KIND',
  help:
    'KIND is json, script, maps, smaps, vitest, kernel-c or selftest. An existing PATH is refused ' +
    'without --force. A relative PATH is relative to the scenario file\'s folder (in the REPL, to the ' +
    'working directory). `maps` and `smaps` write every VMA, as /proc does.',
  category: 'snapshot',
  event: false,
  positionals: [EXPORT_KIND, PATH],
  options: [FORCE],
  build: (a) => ({ kind: 'export', format: a.get(EXPORT_KIND), path: a.get(PATH), force: a.has(FORCE) }),
});

export const importDef: CommandDef = command({
  name: 'import',
  syntax: 'import KIND PATH',
  summary: 'load a snapshot, a script, or maps/smaps text as one event',
  help:
    'KIND is json, script, maps or smaps. The imported VMAs are kept exactly as given (no merging). ' +
    'A missing or invalid file is an error that changes nothing.',
  category: 'snapshot',
  event: true,
  positionals: [IMPORT_KIND, PATH],
  build: (a) => ({ kind: 'import', format: a.get(IMPORT_KIND), path: a.get(PATH) }),
});
