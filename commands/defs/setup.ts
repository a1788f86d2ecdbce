/** Setup commands: `file`, `window`, `config` (scenario-language.md, Setup). */

import { addressArg, numberArg, onOffArg } from '../arg-types.js';
import { command, positional, type CommandDef, type CommandGroup } from '../command-def.js';
import { fileNameArg } from '../name-args.js';

const NAME = positional('NAME', fileNameArg);
const SIZE = positional('SIZE', numberArg);

export const fileDef: CommandDef = command({
  name: 'file',
  syntax: 'file NAME SIZE',
  summary: 'create a regular file NAME of SIZE bytes for later mmaps',
  help:
    'Creates a zero-filled regular file NAME of SIZE bytes, opened once read-write: every later ' +
    '`mmap ... file=NAME` maps that one open file (one struct file), so its mappings can merge. ' +
    'NAME is case-sensitive, at most 4,095 bytes, and may not start with `shmem:` (the ids of shared ' +
    'anonymous memory). Defining a NAME that already exists is an error; at most 1,024 files. ' +
    'A `file=NAME` is accepted only after the `file` line that declares NAME.',
  category: 'setup',
  event: true,
  positionals: [NAME, SIZE],
  build: (a) => ({ kind: 'file', name: a.get(NAME), size: a.get(SIZE) }),
});

const START = positional('START', addressArg);
const END = positional('END', addressArg);

export const windowDef: CommandDef = command({
  name: 'window',
  syntax: 'window START END',
  summary: 'set the address range that run --json output and comparisons cover',
  help:
    'The range of addresses that `vmas` in `run --json` output and comparisons cover ' +
    '(default 0x100000000000 0x200000000000). START must be below END. The last `window` line ' +
    'applies, wherever it stands. VMAs that intersect the window are reported whole, not clipped. ' +
    'The REPL shows every VMA, and `export maps`/`smaps` write every VMA, as /proc does.',
  category: 'setup',
  event: false,
  positionals: [START, END],
  build(a) {
    // A window line has no result to carry an error, so an empty window is refused as text.
    if (a.get(START) >= a.get(END)) return a.fail(END, `window END must be above START`);
    return { kind: 'window', start: a.get(START), end: a.get(END) };
  },
});

const ON_OFF = positional('VALUE', onOffArg);
const N = positional('N', numberArg);
const ADDR = positional('ADDR', addressArg);

const anonVmaName: CommandDef = command({
  name: 'config',
  sub: 'anon_vma_name',
  syntax: 'config anon_vma_name on|off',
  summary: 'CONFIG_ANON_VMA_NAME (default off)',
  help: 'With it off, as on these machines\' kernel, every `name` returns EINVAL.',
  category: 'setup',
  event: true,
  positionals: [ON_OFF],
  build: (a) => ({ kind: 'config', option: 'anon_vma_name', value: a.get(ON_OFF) }),
});

const softDirty: CommandDef = command({
  name: 'config',
  sub: 'soft_dirty',
  syntax: 'config soft_dirty on|off',
  summary: 'CONFIG_MEM_SOFT_DIRTY (default off)',
  help: 'With it on, `sd` is a sticky flag: ignored when comparing flags for a merge and kept by the merged VMA.',
  category: 'setup',
  event: true,
  positionals: [ON_OFF],
  build: (a) => ({ kind: 'config', option: 'soft_dirty', value: a.get(ON_OFF) }),
});

const maxMapCount: CommandDef = command({
  name: 'config',
  sub: 'max_map_count',
  syntax: 'config max_map_count N',
  summary: 'vm.max_map_count (default 65530)',
  help: 'The most VMAs a process may have: the system calls that add VMAs refuse beyond it. As the sysctl, it may be set below what a process already holds. `vmasim kernel` and `vmasim diff` refuse this line rather than change the host.',
  category: 'setup',
  event: true,
  positionals: [N],
  build: (a) => ({ kind: 'config', option: 'max_map_count', value: a.get(N) }),
});

const mmapBase: CommandDef = command({
  name: 'config',
  sub: 'mmap_base',
  syntax: 'config mmap_base ADDR',
  summary: 'the top of top-down placement (default 0x7ffff7fff000)',
  help:
    'Where mmap without a usable address starts looking, downwards (the default is the value with ' +
    'address randomisation off). `vmasim kernel` and `vmasim diff` refuse this line rather than change the host.',
  category: 'setup',
  event: true,
  positionals: [ADDR],
  build: (a) => ({ kind: 'config', option: 'mmap_base', value: a.get(ADDR) }),
});

export const configGroup: CommandGroup = {
  name: 'config',
  subName: 'OPTION',
  syntax: 'config OPTION VALUE',
  summary: 'change a kernel setting that changes results, from this line on',
  help:
    'Build options and sysctls that change results. Defaults: both build options off, as on these ' +
    'machines\' kernel. `vmasim kernel` and `vmasim diff` use the host\'s build options instead.',
  category: 'setup',
  subs: [anonVmaName, softDirty, maxMapCount, mmapBase],
};
