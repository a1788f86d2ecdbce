/**
 * The internal VMA API, the kernel's view as in mm/vma.h
 * (scenario-language.md, "The internal VMA API"). Simulator-only.
 */

import type { VmaSpec } from '../ast.js';
import { addressArg, declaredFileArg, flagsArg, numberArg } from '../arg-types.js';
import { command, keyword, positional, valueOption, type Args, type CommandDef, type CommandGroup } from '../command-def.js';
import { anonVmaIdArg } from '../name-args.js';

const START = positional('START', addressArg);
const END = positional('END', addressArg);
const PGOFF = positional('PGOFF', numberArg);
const FLAGS = positional('FLAGS', flagsArg);
const FILE = valueOption('file', 'NAME', declaredFileArg, 'the VMA maps the file NAME (declared by an earlier `file` line)');
const AV = valueOption('av', 'ID', anonVmaIdArg, 'the anon_vma named ID (the same word is the same anon_vma; at most 64 bytes)');
const CLOSE = keyword('close', 'give the VMA a vm_ops->close hook');
const EXPAND_ONLY = keyword('expand-only', 'only expand prev (the kernel\'s just_expand)');
const FAIL_PREALLOC = keyword('fail-prealloc', 'make the preallocation fail: ENOMEM, nothing changes', { last: true });

function vmaSpec(a: Args): VmaSpec {
  return {
    start: a.get(START),
    end: a.get(END),
    pgoff: a.get(PGOFF),
    flags: a.get(FLAGS),
    file: a.opt(FILE) ?? null,
    av: a.opt(AV) ?? null,
  };
}

const add: CommandDef = command({
  name: 'vma',
  sub: 'add',
  syntax: 'vma add START END PGOFF FLAGS [file=NAME] [av=ID] [close]',
  summary: 'link a new VMA without merging',
  help:
    'The userland tests\' alloc-and-link. FLAGS are literal: nothing is added or removed. `close` gives ' +
    'the VMA a vm_ops->close hook: no effect on compatibility, but a merge may never remove that VMA. ' +
    'EEXIST over an existing VMA. Like the harness, it links whatever map_count is. ret 0.',
  category: 'vma',
  event: true,
  positionals: [START, END, PGOFF, FLAGS],
  options: [FILE, AV, CLOSE],
  build: (a) => ({ kind: 'vma-add', vma: vmaSpec(a), close: a.has(CLOSE) }),
});

const mergeNew: CommandDef = command({
  name: 'vma',
  sub: 'merge-new',
  syntax: 'vma merge-new START END PGOFF FLAGS [file=NAME] [av=ID] [expand-only] [fail-prealloc]',
  summary: 'vma_merge_new_range: merge a proposed range with its neighbours',
  help:
    'Merges the proposed range with its neighbours if the kernel would; if nothing merges, nothing is ' +
    'linked. `expand-only` may only expand prev (the kernel\'s just_expand). `av=` is the proposed ' +
    'range\'s anon_vma, used only in the compatibility checks. ret the resulting VMA or "none".',
  category: 'vma',
  event: true,
  positionals: [START, END, PGOFF, FLAGS],
  options: [FILE, AV, EXPAND_ONLY, FAIL_PREALLOC],
  build: (a) => ({ kind: 'vma-merge-new', vma: vmaSpec(a), expandOnly: a.has(EXPAND_ONLY), failPrealloc: a.has(FAIL_PREALLOC) }),
});

const mergeExisting: CommandDef = command({
  name: 'vma',
  sub: 'merge-existing',
  syntax: 'vma merge-existing START END FLAGS [fail-prealloc]',
  summary: 'vma_merge_existing_range: give part of one VMA FLAGS and merge it',
  help:
    '[START, END) of one VMA is given FLAGS and merged with prev and/or next if the kernel would. ' +
    'ret the merged VMA, or "none" with nothing changed.',
  category: 'vma',
  event: true,
  positionals: [START, END, FLAGS],
  options: [FAIL_PREALLOC],
  build: (a) => ({ kind: 'vma-merge-existing', start: a.get(START), end: a.get(END), flags: a.get(FLAGS), failPrealloc: a.has(FAIL_PREALLOC) }),
});

const modify: CommandDef = command({
  name: 'vma',
  sub: 'modify',
  syntax: 'vma modify START END FLAGS [fail-prealloc]',
  summary: 'vma_modify_flags: give part of one VMA FLAGS, merging or splitting',
  help:
    '[START, END), within one VMA, gets FLAGS, merging with neighbours or else splitting the range out. ' +
    'It always acts, even when FLAGS equal the VMA\'s flags (unlike mprotect). The prev it passes is the ' +
    'VMA itself when START lies inside it, else the VMA just below. ret the whole merged VMA after a ' +
    'merge, else START-END.',
  category: 'vma',
  event: true,
  positionals: [START, END, FLAGS],
  options: [FAIL_PREALLOC],
  build: (a) => ({ kind: 'vma-modify', start: a.get(START), end: a.get(END), flags: a.get(FLAGS), failPrealloc: a.has(FAIL_PREALLOC) }),
});

const expand: CommandDef = command({
  name: 'vma',
  sub: 'expand',
  syntax: 'vma expand START END [fail-prealloc]',
  summary: 'vma_expand: grow the VMA that starts at START to END',
  help:
    'Its pgoff is unchanged. If the next VMA starts before END, END must equal that VMA\'s end: next is ' +
    'removed, and the grown VMA takes its anon_vma (if it has none) and its sticky flags. No ' +
    'compatibility check. ret 0.',
  category: 'vma',
  event: true,
  positionals: [START, END],
  options: [FAIL_PREALLOC],
  build: (a) => ({ kind: 'vma-expand', start: a.get(START), end: a.get(END), failPrealloc: a.has(FAIL_PREALLOC) }),
});

const shrink: CommandDef = command({
  name: 'vma',
  sub: 'shrink',
  syntax: 'vma shrink START END',
  summary: 'vma_shrink: cut one VMA down to [START, END)',
  help:
    '[START, END) lies in one VMA and shares its start or end; the VMA becomes exactly that range, its ' +
    'pgoff advanced by the pages cut from the front. ret 0.',
  category: 'vma',
  event: true,
  positionals: [START, END],
  build: (a) => ({ kind: 'vma-shrink', start: a.get(START), end: a.get(END) }),
});

const ADDR = positional('ADDR', addressArg);

const split: CommandDef = command({
  name: 'vma',
  sub: 'split',
  syntax: 'vma split ADDR',
  summary: 'split_vma at ADDR',
  help: 'Splits the VMA that contains ADDR strictly inside it, at ADDR. Both parts keep its anon_vma and close hook. ret 0.',
  category: 'vma',
  event: true,
  positionals: [ADDR],
  build: (a) => ({ kind: 'vma-split', addr: a.get(ADDR) }),
});

const unmap: CommandDef = command({
  name: 'vma',
  sub: 'unmap',
  syntax: 'vma unmap START END',
  summary: 'do_vmi_munmap of [START, END) across VMAs',
  help: 'Unmaps [START, END) across VMAs, splitting those that straddle its ends. ret 0.',
  category: 'vma',
  event: true,
  positionals: [START, END],
  build: (a) => ({ kind: 'vma-unmap', start: a.get(START), end: a.get(END) }),
});

const NEWADDR = positional('NEWADDR', addressArg);

const copy: CommandDef = command({
  name: 'vma',
  sub: 'copy',
  syntax: 'vma copy START NEWADDR PGOFF [fail-prealloc]',
  summary: 'copy_vma of the VMA that starts at START to NEWADDR',
  help:
    'Copies with PGOFF, rebasing, duplicating the anon_vma and refusing fork children as the kernel ' +
    'does. EEXIST over an existing VMA; EINVAL if the copy would end at or above 2^53, as `vma add` ' +
    'does. ret the resulting VMA.',
  category: 'vma',
  event: true,
  positionals: [START, NEWADDR, PGOFF],
  options: [FAIL_PREALLOC],
  build: (a) => ({ kind: 'vma-copy', start: a.get(START), newAddr: a.get(NEWADDR), pgoff: a.get(PGOFF), failPrealloc: a.has(FAIL_PREALLOC) }),
});

export const vmaGroup: CommandGroup = {
  name: 'vma',
  subName: 'SUBCOMMAND',
  syntax: 'vma SUBCOMMAND ...',
  summary: 'act on VMAs directly, as the kernel\'s userland tests do',
  help:
    'No system-call checks (address 0 is valid), no faults, no accounting: these build exact states ' +
    'quickly and drive the merge/split/expand/shrink logic itself. Simulator-only: `vmasim kernel` ' +
    'refuses them. FLAGS is a comma-separated list of VmFlags mnemonics as smaps prints them ' +
    '(rd,wr,mr,mw), taken literally. PGOFF is in pages. `av=ID` gives the VMA an anon_vma named ID. ' +
    '`fail-prealloc`, as the last word, makes the operation\'s preallocation fail with ENOMEM. ' +
    'Errors: EEXIST over an existing VMA; EINVAL for a range not within one VMA where one is required, ' +
    'START >= END, an unaligned address and the other preconditions.',
  category: 'vma',
  subs: [add, mergeNew, mergeExisting, modify, expand, shrink, split, unmap, copy],
};
