/** System calls, the user-space view (scenario-language.md, System calls). */

import {
  addressArg,
  addressOrNullArg,
  adviceArg,
  declaredFileArg,
  numberArg,
  protArg,
  wordArg,
} from '../arg-types.js';
import { command, keyword, optional, positional, valueOption, type CommandDef } from '../command-def.js';

const ADDR = positional('ADDR', addressArg);
const LEN = positional('LEN', numberArg);
const PROT = positional('PROT', protArg);

const MMAP_ADDR = positional('ADDR', addressOrNullArg);
const SHARED = keyword('shared', 'MAP_SHARED', { group: 'sharing' });
const PRIVATE = keyword('private', 'MAP_PRIVATE (the default)', { group: 'sharing' });
const FIXED = keyword('fixed', 'MAP_FIXED: ADDR is the address, replacing what is there');
const NOREPLACE = keyword('noreplace', 'MAP_FIXED_NOREPLACE: ADDR is the address; EEXIST if it is taken');
const GROWSDOWN = keyword('growsdown', 'MAP_GROWSDOWN');
const LOCKED = keyword('locked', 'MAP_LOCKED');
const POPULATE = keyword('populate', 'MAP_POPULATE');
const NORESERVE = keyword('noreserve', 'MAP_NORESERVE');
const FILE = valueOption('file', 'NAME', declaredFileArg, 'map the file NAME (declared by an earlier `file` line)');
const OFF = valueOption('off', 'OFFSET', numberArg, 'the byte offset into the file (default 0; needs file=)');

export const mmapDef: CommandDef = command({
  name: 'mmap',
  syntax: 'mmap ADDR LEN PROT [FLAG ...] [file=NAME off=OFFSET]',
  summary: 'mmap(2)',
  help:
    'ADDR may be `-` (NULL: the kernel chooses). At most one of `shared` and `private` (default private). ' +
    'Without `file=` the mapping is anonymous; `off=` defaults to 0 and is an error without `file=`, as is a ' +
    '`file=NAME` that no earlier `file` line declares (one declared but absent from the current state, after ' +
    'an undo, returns EBADF). Without `fixed`/`noreplace`, ADDR is a hint, as in mmap(2). With `-`, or a hint ' +
    'whose range is taken, the kernel picks an address that depends on the whole layout. ' +
    'Returns the address, or an errno.',
  category: 'syscall',
  event: true,
  positionals: [MMAP_ADDR, LEN, PROT],
  options: [SHARED, PRIVATE, FIXED, NOREPLACE, GROWSDOWN, LOCKED, POPULATE, NORESERVE, FILE, OFF],
  build(a) {
    const file = a.opt(FILE) ?? null;
    if (file === null && a.opt(OFF) !== undefined) return a.fail(OFF, `'off=' needs 'file=': anonymous memory has no offset`);
    return {
      kind: 'mmap',
      addr: a.get(MMAP_ADDR),
      len: a.get(LEN),
      prot: a.get(PROT),
      flags: {
        shared: a.has(SHARED),
        fixed: a.has(FIXED),
        noreplace: a.has(NOREPLACE),
        growsdown: a.has(GROWSDOWN),
        locked: a.has(LOCKED),
        populate: a.has(POPULATE),
        noreserve: a.has(NORESERVE),
      },
      file,
      off: a.opt(OFF) ?? 0n,
    };
  },
});

export const munmapDef: CommandDef = command({
  name: 'munmap',
  syntax: 'munmap ADDR LEN',
  summary: 'munmap(2)',
  help: 'Unmaps [ADDR, ADDR+LEN). An unaligned ADDR is EINVAL; LEN is rounded up to pages.',
  category: 'syscall',
  event: true,
  positionals: [ADDR, LEN],
  build: (a) => ({ kind: 'munmap', addr: a.get(ADDR), len: a.get(LEN) }),
});

export const mprotectDef: CommandDef = command({
  name: 'mprotect',
  syntax: 'mprotect ADDR LEN PROT',
  summary: 'mprotect(2)',
  help: 'Changes the protection of [ADDR, ADDR+LEN), splitting and merging VMAs as the kernel does.',
  category: 'syscall',
  event: true,
  positionals: [ADDR, LEN, PROT],
  build: (a) => ({ kind: 'mprotect', addr: a.get(ADDR), len: a.get(LEN), prot: a.get(PROT) }),
});

const ADVICE = positional('ADVICE', adviceArg);

export const madviseDef: CommandDef = command({
  name: 'madvise',
  syntax: 'madvise ADDR LEN ADVICE',
  summary: 'madvise(2)',
  help:
    'ADVICE is the name after MADV_, in lower case: dontfork, dofork, dontdump, dodump, hugepage, ' +
    'nohugepage, wipeonfork, keeponfork, mergeable, unmergeable, dontneed, free, willneed, normal, ' +
    'random, sequential, remove, cold, pageout, populate_read, populate_write, guard_install, guard_remove.',
  category: 'syscall',
  event: true,
  positionals: [ADDR, LEN, ADVICE],
  build: (a) => ({ kind: 'madvise', addr: a.get(ADDR), len: a.get(LEN), advice: a.get(ADVICE) }),
});

const ONFAULT = keyword('onfault', 'mlock2(2) with MLOCK_ONFAULT');

export const mlockDef: CommandDef = command({
  name: 'mlock',
  syntax: 'mlock ADDR LEN [onfault]',
  summary: 'mlock(2), or mlock2(2) with MLOCK_ONFAULT',
  help: 'Locks [ADDR, ADDR+LEN); with `onfault`, pages are locked as they are faulted in rather than at once.',
  category: 'syscall',
  event: true,
  positionals: [ADDR, LEN],
  options: [ONFAULT],
  build: (a) => ({ kind: 'mlock', addr: a.get(ADDR), len: a.get(LEN), onfault: a.has(ONFAULT) }),
});

export const munlockDef: CommandDef = command({
  name: 'munlock',
  syntax: 'munlock ADDR LEN',
  summary: 'munlock(2)',
  help: 'Unlocks [ADDR, ADDR+LEN).',
  category: 'syscall',
  event: true,
  positionals: [ADDR, LEN],
  build: (a) => ({ kind: 'munlock', addr: a.get(ADDR), len: a.get(LEN) }),
});

const OLDLEN = positional('OLDLEN', numberArg);
const NEWLEN = positional('NEWLEN', numberArg);
const MAYMOVE = keyword('maymove', 'MREMAP_MAYMOVE');
const DONTUNMAP = keyword('dontunmap', 'MREMAP_DONTUNMAP');
const FIXED_TO = valueOption('fixed', 'NEWADDR', addressArg, 'MREMAP_FIXED to NEWADDR (EINVAL without maymove)');

export const mremapDef: CommandDef = command({
  name: 'mremap',
  syntax: 'mremap ADDR OLDLEN NEWLEN [maymove] [dontunmap] [fixed=NEWADDR]',
  summary: 'mremap(2)',
  help:
    'With MREMAP_MAYMOVE / MREMAP_DONTUNMAP / MREMAP_FIXED. `fixed=` adds MREMAP_FIXED only: ' +
    'without `maymove` the kernel returns EINVAL. Returns the new address, or an errno.',
  category: 'syscall',
  event: true,
  positionals: [ADDR, OLDLEN, NEWLEN],
  options: [MAYMOVE, DONTUNMAP, FIXED_TO],
  build: (a) => ({
    kind: 'mremap',
    addr: a.get(ADDR),
    oldLen: a.get(OLDLEN),
    newLen: a.get(NEWLEN),
    maymove: a.has(MAYMOVE),
    dontunmap: a.has(DONTUNMAP),
    newAddr: a.opt(FIXED_TO) ?? null,
  }),
});

export const msealDef: CommandDef = command({
  name: 'mseal',
  syntax: 'mseal ADDR LEN',
  summary: 'mseal(2)',
  help: 'Seals the VMAs in [ADDR, ADDR+LEN) (VmFlags `sl`): unmapping, moving or reprotecting them then fails with EPERM.',
  category: 'syscall',
  event: true,
  positionals: [ADDR, LEN],
  build: (a) => ({ kind: 'mseal', addr: a.get(ADDR), len: a.get(LEN) }),
});

const VMA_NAME = optional('NAME', wordArg('an anonymous VMA NAME'));

export const nameDef: CommandDef = command({
  name: 'name',
  syntax: 'name ADDR LEN [NAME]',
  summary: 'prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME)',
  help:
    'Names the anonymous memory in [ADDR, ADDR+LEN); without NAME, clears the name. NAME is ' +
    'case-sensitive. With `config anon_vma_name off` (the default, as on these machines\' kernel) every `name` is EINVAL.',
  category: 'syscall',
  event: true,
  positionals: [ADDR, LEN, VMA_NAME],
  build: (a) => ({ kind: 'name', addr: a.get(ADDR), len: a.get(LEN), name: a.opt(VMA_NAME) ?? null }),
});

const TOUCH_LEN = optional('LEN', numberArg);
const READ = keyword('read', 'read one byte in each page', { group: 'access' });
const WRITE = keyword('write', 'write one byte in each page (the default)', { group: 'access' });

export const touchDef: CommandDef = command({
  name: 'touch',
  syntax: 'touch ADDR [LEN] [read|write]',
  summary: 'access one byte in each page of [ADDR, ADDR+LEN)',
  help:
    'Default `write`; without LEN only the page that holds ADDR; LEN 0 touches nothing. The first ' +
    'faulting page ends the touch (earlier pages stay touched) with ret -1 and errno SIGSEGV (a hole, ' +
    'a guard region or a forbidden access) or SIGBUS (past the end of the mapped file). A touch below a ' +
    'growsdown VMA grows it where the kernel would. A write fault on private memory gives the VMA an ' +
    'anon_vma; a plain read fault does not.',
  category: 'syscall',
  event: true,
  positionals: [ADDR, TOUCH_LEN],
  options: [READ, WRITE],
  build: (a) => ({ kind: 'touch', addr: a.get(ADDR), len: a.opt(TOUCH_LEN) ?? null, write: !a.has(READ) }),
});

export const syscallDefs: readonly CommandDef[] = [
  mmapDef,
  munmapDef,
  mprotectDef,
  madviseDef,
  mlockDef,
  munlockDef,
  mremapDef,
  msealDef,
  nameDef,
  touchDef,
];
