import { describe, expect, test } from 'vitest';
import type { Command } from './ast.js';
import { PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE } from './ast.js';
import { parseLine } from './parse.js';
import { newParseContext, type ParseContext } from './parse-context.js';
import { formatParseError } from './parse-error.js';

const where = { file: 's.vma', line: 1 };

function ok(line: string, ctx: ParseContext = newParseContext(['lib', 'Data'])): Command {
  const r = parseLine(line, ctx, where);
  if (r.kind !== 'command') throw new Error(`${line}: ${r.kind === 'error' ? formatParseError(r.error) : 'empty'}`);
  return r.cmd;
}

function canonical(line: string, ctx: ParseContext = newParseContext(['lib', 'Data'])): string {
  const r = parseLine(line, ctx, where);
  if (r.kind !== 'command') throw new Error(line);
  return r.canonical;
}

/** `column: message` of a line that must not parse. */
function bad(line: string, ctx: ParseContext = newParseContext(['lib', 'Data'])): string {
  const r = parseLine(line, ctx, where);
  if (r.kind !== 'error') throw new Error(`${line}: parsed`);
  return `${r.error.column}: ${r.error.message}`;
}

const NO_FLAGS = { shared: false, fixed: false, noreplace: false, growsdown: false, locked: false, populate: false, noreserve: false };

describe('file', () => {
  test('good', () => {
    expect(ok('file lib 16K')).toEqual({ kind: 'file', name: 'lib', size: 16384n });
    expect(ok('FILE MyLib 0x2000')).toEqual({ kind: 'file', name: 'MyLib', size: 8192n });
  });
  test('declares its NAME for later lines', () => {
    const ctx = newParseContext();
    expect(bad('mmap - 4K rw- file=a', ctx)).toBe("20: no earlier 'file' line declares 'a'");
    ok('file a 4K', ctx);
    expect(ctx.files.has('a')).toBe(true);
    expect(ok('mmap - 4K rw- file=a', ctx)).toMatchObject({ file: 'a' });
  });
  test('a line that fails declares nothing', () => {
    const ctx = newParseContext();
    bad('file a 4Q', ctx);
    expect(ctx.files.size).toBe(0);
  });
  test('bad', () => {
    expect(bad('file lib')).toBe('9: missing SIZE (syntax: file NAME SIZE)');
    expect(bad('file')).toBe('5: missing NAME (syntax: file NAME SIZE)');
    expect(bad('file lib 4K 1')).toBe("13: unexpected extra word '1' (syntax: file NAME SIZE)");
    expect(bad('file lib big')).toBe("10: expected a number like 4096, 0x1000 or 16K for SIZE, got 'big'");
  });
});

describe('window', () => {
  test('good', () => {
    expect(ok('window 0x100000000000 0x200000000000')).toEqual({ kind: 'window', start: 0x100000000000n, end: 0x200000000000n });
  });
  test('START must be below END', () => {
    expect(bad('window 0x2000 0x2000')).toBe('15: window END must be above START');
    expect(bad('window 0x2000 0x1000')).toBe('15: window END must be above START');
  });
  test('missing END', () => {
    expect(bad('window 0')).toBe('9: missing END (syntax: window START END)');
  });
});

describe('config', () => {
  test('every option', () => {
    expect(ok('config anon_vma_name on')).toEqual({ kind: 'config', option: 'anon_vma_name', value: true });
    expect(ok('config soft_dirty OFF')).toEqual({ kind: 'config', option: 'soft_dirty', value: false });
    expect(ok('config max_map_count 100')).toEqual({ kind: 'config', option: 'max_map_count', value: 100n });
    expect(ok('CONFIG MMAP_BASE 0x7f0000000000')).toEqual({ kind: 'config', option: 'mmap_base', value: 0x7f0000000000n });
  });
  test('canonical', () => {
    expect(canonical('Config Soft_Dirty On')).toBe('config soft_dirty on');
  });
  test('bad', () => {
    expect(bad('config')).toBe('7: missing OPTION: expected one of anon_vma_name, soft_dirty, max_map_count, mmap_base (syntax: config OPTION VALUE)');
    expect(bad('config soft_dirt on')).toBe(
      "8: expected a config option (anon_vma_name, soft_dirty, max_map_count, mmap_base), got 'soft_dirt'; did you mean 'soft_dirty'?",
    );
    expect(bad('config soft_dirty yes')).toBe("19: expected on or off for VALUE, got 'yes'");
    expect(bad('config soft_dirty')).toBe('18: missing VALUE (syntax: config soft_dirty on|off)');
    expect(bad('config max_map_count on')).toBe("22: expected a number like 4096, 0x1000 or 16K for N, got 'on'");
  });
});

describe('mmap', () => {
  test('minimal', () => {
    expect(ok('mmap - 4K rw-')).toEqual({ kind: 'mmap', addr: null, len: 4096n, prot: PROT_READ | PROT_WRITE, flags: NO_FLAGS, file: null, off: 0n });
  });
  test('every flag', () => {
    const c = ok('mmap 0x1000 8K r-x shared fixed noreplace growsdown locked populate noreserve');
    expect(c).toMatchObject({
      addr: 0x1000n,
      prot: PROT_READ | PROT_EXEC,
      flags: { shared: true, fixed: true, noreplace: true, growsdown: true, locked: true, populate: true, noreserve: true },
    });
  });
  test('private is the default and may be written', () => {
    expect(ok('mmap - 4K none private')).toMatchObject({ prot: PROT_NONE, flags: NO_FLAGS });
  });
  test('file= and off=, in any order among the flags', () => {
    expect(ok('mmap - 4K r-- off=2p file=lib shared')).toMatchObject({ file: 'lib', off: 8192n, flags: { shared: true } });
    expect(ok('mmap - 4K r-- file=lib')).toMatchObject({ file: 'lib', off: 0n });
  });
  test('keywords are case-insensitive, file names are not', () => {
    expect(ok('MMAP - 4K RW- SHARED FILE=Data OFF=0')).toMatchObject({ file: 'Data', flags: { shared: true } });
    expect(bad('mmap - 4K rw- file=data')).toBe("20: no earlier 'file' line declares 'data'; did you mean 'Data'?");
  });
  test('canonical text', () => {
    expect(canonical('MMAP  -   0X1000  RW-\tShared FILE=Data Off=4K')).toBe('mmap - 0X1000 rw- shared file=Data off=4K');
  });
  test('off= without file= is an error', () => {
    expect(bad('mmap - 4K rw- off=0')).toBe("15: 'off=' needs 'file=': anonymous memory has no offset");
  });
  test('at most one of shared and private', () => {
    expect(bad('mmap - 4K rw- shared private')).toBe("22: mmap takes at most one of 'shared' and 'private'");
    expect(bad('mmap - 4K rw- private shared')).toBe("23: mmap takes at most one of 'shared' and 'private'");
  });
  test('a flag given twice', () => {
    expect(bad('mmap - 4K rw- fixed fixed')).toBe("21: 'fixed' is given twice");
    expect(bad('mmap - 4K rw- file=lib file=lib')).toBe("24: 'file=NAME' is given twice");
  });
  test('bad words', () => {
    expect(bad('mmap 0x1000 4K rwz')).toBe("16: expected a PROT like rw- or none, got 'rwz'");
    expect(bad('mmap x 4K rw-')).toBe("6: expected an address like 0x100000000000 or - (NULL) for ADDR, got 'x'");
    expect(bad('mmap - 4K rw- fixd')).toBe(
      "15: expected one of shared, private, fixed, noreplace, growsdown, locked, populate, noreserve, file=NAME, off=OFFSET, got 'fixd'; did you mean 'fixed'?",
    );
    expect(bad('mmap - 4K rw- fil=lib')).toMatch(/^15: expected one of .*, got 'fil=lib'; did you mean 'file='\?$/);
    expect(bad('mmap - 4K rw- file=')).toBe("20: missing NAME after 'file='");
    expect(bad('mmap - 4K rw- file=lib off=x')).toBe("28: expected a number like 4096, 0x1000 or 16K for OFFSET, got 'x'");
  });
  test('missing arguments, at the end or before an option', () => {
    expect(bad('mmap - 4K')).toBe('10: missing PROT (syntax: mmap ADDR LEN PROT [FLAG ...] [file=NAME off=OFFSET])');
    expect(bad('mmap - 4K fixed')).toBe("11: missing PROT before 'fixed' (syntax: mmap ADDR LEN PROT [FLAG ...] [file=NAME off=OFFSET])");
  });
});

describe('munmap, mprotect, munlock, mseal', () => {
  test('good', () => {
    expect(ok('munmap 0x1000 4K')).toEqual({ kind: 'munmap', addr: 0x1000n, len: 4096n });
    expect(ok('mprotect 0x1000 4K r--')).toEqual({ kind: 'mprotect', addr: 0x1000n, len: 4096n, prot: PROT_READ });
    expect(ok('munlock 0 1p')).toEqual({ kind: 'munlock', addr: 0n, len: 4096n });
    expect(ok('mseal 0x1000 0')).toEqual({ kind: 'mseal', addr: 0x1000n, len: 0n });
  });
  test('bad', () => {
    expect(bad('munmap 0x1000')).toBe('14: missing LEN (syntax: munmap ADDR LEN)');
    expect(bad('munmap 0x1000 4K extra')).toBe("18: unexpected extra word 'extra' (syntax: munmap ADDR LEN)");
    expect(bad('mprotect 0x1000 4K rw')).toBe("20: expected a PROT like rw- or none, got 'rw'");
    expect(bad('mseal')).toBe('6: missing ADDR (syntax: mseal ADDR LEN)');
    expect(bad('munlock 0 4K onfault')).toBe("14: unexpected extra word 'onfault' (syntax: munlock ADDR LEN)");
  });
});

describe('madvise', () => {
  test('all 23 advice names, case-insensitive', () => {
    const names = 'dontfork dofork dontdump dodump hugepage nohugepage wipeonfork keeponfork mergeable unmergeable dontneed free willneed normal random sequential remove cold pageout populate_read populate_write guard_install guard_remove'.split(' ');
    expect(names).toHaveLength(23);
    for (const n of names) {
      expect(ok(`madvise 0 4K ${n}`)).toEqual({ kind: 'madvise', addr: 0n, len: 4096n, advice: n });
      expect(ok(`madvise 0 4K ${n.toUpperCase()}`)).toMatchObject({ advice: n });
    }
    expect(canonical('madvise 0 4K DontNeed')).toBe('madvise 0 4K dontneed');
  });
  test('bad', () => {
    expect(bad('madvise 0 4K dontneeed')).toBe("14: expected an ADVICE like dontneed or willneed, got 'dontneeed'; did you mean 'dontneed'?");
    expect(bad('madvise 0 4K MADV_DONTNEED')).toBe("14: expected an ADVICE like dontneed or willneed, got 'MADV_DONTNEED'");
    expect(bad('madvise 0 4K')).toBe('13: missing ADVICE (syntax: madvise ADDR LEN ADVICE)');
  });
});

describe('mlock', () => {
  test('good', () => {
    expect(ok('mlock 0 4K')).toEqual({ kind: 'mlock', addr: 0n, len: 4096n, onfault: false });
    expect(ok('mlock 0 4K ONFAULT')).toEqual({ kind: 'mlock', addr: 0n, len: 4096n, onfault: true });
  });
  test('bad', () => {
    expect(bad('mlock 0 4K onfalt')).toBe("12: expected one of onfault, got 'onfalt'; did you mean 'onfault'?");
  });
});

describe('mremap', () => {
  test('good', () => {
    expect(ok('mremap 0x1000 4K 8K')).toEqual({ kind: 'mremap', addr: 0x1000n, oldLen: 4096n, newLen: 8192n, maymove: false, dontunmap: false, newAddr: null });
    expect(ok('mremap 0x1000 4K 4K fixed=0x9000 dontunmap maymove')).toEqual({
      kind: 'mremap',
      addr: 0x1000n,
      oldLen: 4096n,
      newLen: 4096n,
      maymove: true,
      dontunmap: true,
      newAddr: 0x9000n,
    });
  });
  test('fixed= without maymove still parses (the kernel says EINVAL)', () => {
    expect(ok('mremap 0 4K 4K fixed=0x9000')).toMatchObject({ maymove: false, newAddr: 0x9000n });
  });
  test('bad', () => {
    expect(bad('mremap 0 4K 4K fixed')).toMatch(/^16: expected one of maymove, dontunmap, fixed=NEWADDR, got 'fixed'/);
    expect(bad('mremap 0 4K 4K fixed=zz')).toBe("22: expected an address like 0x100000000000 for NEWADDR, got 'zz'");
    expect(bad('mremap 0 4K')).toBe('12: missing NEWLEN (syntax: mremap ADDR OLDLEN NEWLEN [maymove] [dontunmap] [fixed=NEWADDR])');
  });
});

describe('name', () => {
  test('with and without NAME, which keeps its case', () => {
    expect(ok('name 0x1000 4K MyHeap')).toEqual({ kind: 'name', addr: 0x1000n, len: 4096n, name: 'MyHeap' });
    expect(ok('name 0x1000 4K')).toEqual({ kind: 'name', addr: 0x1000n, len: 4096n, name: null });
    expect(ok('name 0x1000 4K # clears')).toMatchObject({ name: null });
  });
  test('only one word of NAME', () => {
    expect(bad('name 0 4K two words')).toBe("15: unexpected extra word 'words' (syntax: name ADDR LEN [NAME])");
  });
});

describe('touch', () => {
  test('defaults: one page, write', () => {
    expect(ok('touch 0x1000')).toEqual({ kind: 'touch', addr: 0x1000n, len: null, write: true });
  });
  test('LEN and access', () => {
    expect(ok('touch 0x1000 8K')).toEqual({ kind: 'touch', addr: 0x1000n, len: 8192n, write: true });
    expect(ok('touch 0x1000 read')).toEqual({ kind: 'touch', addr: 0x1000n, len: null, write: false });
    expect(ok('touch 0x1000 0 WRITE')).toEqual({ kind: 'touch', addr: 0x1000n, len: 0n, write: true });
  });
  test('bad', () => {
    expect(bad('touch 0x1000 foo')).toBe("14: expected LEN (a number like 4096, 0x1000 or 16K) or one of read, write, got 'foo'");
    expect(bad('touch 0x1000 3P')).toBe(
      "14: expected LEN (a number like 4096, 0x1000 or 16K) or one of read, write, got '3P' (the page suffix is a lower-case p)",
    );
    expect(bad('touch 0x1000 read write')).toBe("19: touch takes at most one of 'read' and 'write'");
    expect(bad('touch 0x1000 read 4K')).toBe("19: expected one of read, write, got '4K'");
    expect(bad('touch')).toBe('6: missing ADDR (syntax: touch ADDR [LEN] [read|write])');
  });
});

describe('vma', () => {
  test('add', () => {
    expect(ok('vma add 0 0x3000 0 rd,wr,mr,mw')).toEqual({
      kind: 'vma-add',
      vma: { start: 0n, end: 0x3000n, pgoff: 0n, flags: ['rd', 'wr', 'mr', 'mw'], file: null, av: null },
      close: false,
    });
    expect(ok('vma add 0x1000 0x2000 5 RD,MR close av=A1 file=lib')).toEqual({
      kind: 'vma-add',
      vma: { start: 0x1000n, end: 0x2000n, pgoff: 5n, flags: ['rd', 'mr'], file: 'lib', av: 'A1' },
      close: true,
    });
  });
  test('merge-new', () => {
    expect(ok('vma merge-new 0x1000 0x2000 1 rd,wr av=x expand-only fail-prealloc')).toEqual({
      kind: 'vma-merge-new',
      vma: { start: 0x1000n, end: 0x2000n, pgoff: 1n, flags: ['rd', 'wr'], file: null, av: 'x' },
      expandOnly: true,
      failPrealloc: true,
    });
    expect(ok('vma merge-new 0 4K 0 rd')).toMatchObject({ expandOnly: false, failPrealloc: false });
  });
  test('merge-existing and modify', () => {
    expect(ok('vma merge-existing 0 4K rd,wr')).toEqual({ kind: 'vma-merge-existing', start: 0n, end: 4096n, flags: ['rd', 'wr'], failPrealloc: false });
    expect(ok('vma modify 0 4K rd fail-prealloc')).toEqual({ kind: 'vma-modify', start: 0n, end: 4096n, flags: ['rd'], failPrealloc: true });
  });
  test('expand, shrink, split, unmap, copy', () => {
    expect(ok('vma expand 0 8K')).toEqual({ kind: 'vma-expand', start: 0n, end: 8192n, failPrealloc: false });
    expect(ok('vma expand 0 8K fail-prealloc')).toMatchObject({ failPrealloc: true });
    expect(ok('vma shrink 0 4K')).toEqual({ kind: 'vma-shrink', start: 0n, end: 4096n });
    expect(ok('vma split 0x1000')).toEqual({ kind: 'vma-split', addr: 0x1000n });
    expect(ok('vma unmap 0 4K')).toEqual({ kind: 'vma-unmap', start: 0n, end: 4096n });
    expect(ok('vma copy 0 0x10000 16')).toEqual({ kind: 'vma-copy', start: 0n, newAddr: 0x10000n, pgoff: 16n, failPrealloc: false });
    expect(ok('vma copy 0 0x10000 16 fail-prealloc')).toMatchObject({ failPrealloc: true });
  });
  test('canonical', () => {
    expect(canonical('VMA Merge-New 0X1000 0x2000 1 RD,Wr AV=Ab Fail-Prealloc')).toBe('vma merge-new 0X1000 0x2000 1 rd,wr av=Ab fail-prealloc');
  });
  test('fail-prealloc only where the spec allows it, and only last', () => {
    expect(bad('vma add 0 4K 0 rd fail-prealloc')).toMatch(/^19: expected one of file=NAME, av=ID, close, got 'fail-prealloc'/);
    expect(bad('vma shrink 0 4K fail-prealloc')).toBe("17: unexpected extra word 'fail-prealloc' (syntax: vma shrink START END)");
    expect(bad('vma split 0 fail-prealloc')).toBe("13: unexpected extra word 'fail-prealloc' (syntax: vma split ADDR)");
    expect(bad('vma unmap 0 4K fail-prealloc')).toBe("16: unexpected extra word 'fail-prealloc' (syntax: vma unmap START END)");
    expect(bad('vma merge-new 0 4K 0 rd fail-prealloc expand-only')).toBe("25: 'fail-prealloc' must be the last word of the line");
  });
  test('close and expand-only belong to one subcommand each', () => {
    expect(bad('vma merge-new 0 4K 0 rd close')).toMatch(/^25: expected one of file=NAME, av=ID, expand-only, fail-prealloc, got 'close'/);
    expect(bad('vma add 0 4K 0 rd expand-only')).toMatch(/^19: expected one of file=NAME, av=ID, close, got 'expand-only'/);
  });
  test('FLAGS: unknown, empty or repeated mnemonics point into the word', () => {
    expect(bad('vma add 0 4K 0 rd,wr,xx')).toBe("22: unknown VmFlags mnemonic 'xx' in FLAGS; did you mean 'ex'?");
    expect(bad('vma add 0 4K 0 rd,,wr')).toBe("19: empty mnemonic in FLAGS 'rd,,wr'");
    expect(bad('vma add 0 4K 0 rd,')).toBe("19: empty mnemonic in FLAGS 'rd,'");
    expect(bad('vma add 0 4K 0 rd,wr,RD')).toBe("22: 'rd' appears twice in FLAGS");
    expect(bad('vma modify 0 4K read')).toBe("17: unknown VmFlags mnemonic 'read' in FLAGS");
  });
  test('every smaps mnemonic is accepted', () => {
    expect(ok('vma add 0 4K 0 rd,wr,ex,sh,mr,mw,me,ms,gd,um,pf,gu,uw,lo,io,sr,rr,dc,de,lf,ac,nr,ht,sf,ar,wf,dd,sd,mm,hg,nh,mg,ss,dp,ui,sl')).toMatchObject({
      kind: 'vma-add',
    });
  });
  test('file= must be declared', () => {
    expect(bad('vma add 0 4K 0 rd file=nope')).toBe("24: no earlier 'file' line declares 'nope'");
  });
  test('subcommands', () => {
    expect(bad('vma')).toBe('4: missing SUBCOMMAND: expected one of add, merge-new, merge-existing, modify, expand, shrink, split, unmap, copy (syntax: vma SUBCOMMAND ...)');
    expect(bad('vma ad 0 1')).toBe(
      "5: expected a vma subcommand (add, merge-new, merge-existing, modify, expand, shrink, split, unmap, copy), got 'ad'; did you mean 'add'?",
    );
    expect(bad('vma merge_new 0 4K 0 rd')).toMatch(/got 'merge_new'; did you mean 'merge-new'\?$/);
  });
  test('missing arguments', () => {
    expect(bad('vma add 0 4K 0')).toBe('15: missing FLAGS (syntax: vma add START END PGOFF FLAGS [file=NAME] [av=ID] [close])');
    expect(bad('vma copy 0 4K')).toBe('14: missing PGOFF (syntax: vma copy START NEWADDR PGOFF [fail-prealloc])');
    expect(bad('vma split')).toBe('10: missing ADDR (syntax: vma split ADDR)');
  });
  test('START >= END is the kernel\'s EINVAL, not a parse error', () => {
    expect(ok('vma unmap 0x2000 0x1000')).toMatchObject({ kind: 'vma-unmap' });
  });
});

describe('fork and process', () => {
  test('good', () => {
    expect(ok('fork')).toEqual({ kind: 'fork' });
    expect(ok('process 2')).toEqual({ kind: 'process', n: 2n });
  });
  test('bad', () => {
    expect(bad('fork 1')).toBe("6: unexpected extra word '1' (syntax: fork)");
    expect(bad('process')).toBe('8: missing N (syntax: process N)');
    expect(bad('process one')).toBe("9: expected a number like 4096, 0x1000 or 16K for N, got 'one'");
  });
});

describe('undo, redo, goto', () => {
  test('good', () => {
    expect(ok('undo')).toEqual({ kind: 'undo', n: 1n });
    expect(ok('undo 3')).toEqual({ kind: 'undo', n: 3n });
    expect(ok('redo')).toEqual({ kind: 'redo', n: 1n });
    expect(ok('REDO 2')).toEqual({ kind: 'redo', n: 2n });
    expect(ok('goto 0')).toEqual({ kind: 'goto', n: 0n });
  });
  test('bad', () => {
    expect(bad('goto')).toBe('5: missing N (syntax: goto N)');
    expect(bad('undo 1 2')).toBe("8: unexpected extra word '2' (syntax: undo [N])");
    expect(bad('undo all')).toBe("6: expected a number like 4096, 0x1000 or 16K for N, got 'all'");
  });
});

describe('export and import', () => {
  test('every kind; paths keep their case', () => {
    for (const k of ['json', 'script', 'maps', 'smaps', 'vitest', 'kernel-c', 'selftest']) {
      expect(ok(`export ${k.toUpperCase()} Out/File.${k}`)).toEqual({ kind: 'export', format: k, path: `Out/File.${k}`, force: false });
    }
    for (const k of ['json', 'script', 'maps', 'smaps']) expect(ok(`import ${k} In.txt`)).toEqual({ kind: 'import', format: k, path: 'In.txt' });
  });
  test('--force', () => {
    expect(ok('export json a.json --force')).toMatchObject({ force: true });
    expect(ok('export json a.json --FORCE')).toMatchObject({ force: true });
    expect(canonical('EXPORT Json A.json --Force')).toBe('export json A.json --force');
  });
  test('bad', () => {
    expect(bad('export jsn a')).toBe(
      "8: expected an export KIND (json, script, maps, smaps, vitest, kernel-c, selftest), got 'jsn'; did you mean 'json'?",
    );
    expect(bad('import vitest a')).toBe("8: expected an import KIND (json, script, maps, smaps), got 'vitest'");
    expect(bad('export json')).toBe('12: missing PATH (syntax: export KIND PATH [--force])');
    expect(bad('export json --force')).toBe("13: missing PATH before '--force' (syntax: export KIND PATH [--force])");
    expect(bad('export json a --force b')).toBe("23: expected one of --force, got 'b'");
    expect(bad('import json a --force')).toBe("15: unexpected extra word '--force' (syntax: import KIND PATH)");
  });
});

describe('REPL commands', () => {
  test('good', () => {
    expect(ok('help')).toEqual({ kind: 'help', topic: null });
    expect(ok('help MMAP')).toEqual({ kind: 'help', topic: 'mmap' });
    expect(ok('help vma Add')).toEqual({ kind: 'help', topic: 'vma add' });
    expect(ok('history')).toEqual({ kind: 'history' });
    expect(ok('branches')).toEqual({ kind: 'branches' });
    expect(ok('back')).toEqual({ kind: 'back', n: 1n });
    expect(ok('back 2')).toEqual({ kind: 'back', n: 2n });
    expect(ok('forward')).toEqual({ kind: 'forward', n: 1n });
    expect(ok('forward 4')).toEqual({ kind: 'forward', n: 4n });
    expect(ok('diff 1 0x2')).toEqual({ kind: 'diff', a: 1n, b: 2n });
    expect(ok('explain')).toEqual({ kind: 'explain' });
    expect(ok('vmas')).toEqual({ kind: 'vmas' });
    expect(ok('quit')).toEqual({ kind: 'quit' });
    expect(ok('EXIT')).toEqual({ kind: 'quit' });
  });
  test('bad', () => {
    expect(bad('diff 1')).toBe('7: missing B (syntax: diff A B)');
    expect(bad('diff x 1')).toBe("6: expected a number like 4096, 0x1000 or 16K for A, got 'x'");
    expect(bad('vmas all')).toBe("6: unexpected extra word 'all' (syntax: vmas)");
    expect(bad('help vma add more')).toBe("14: unexpected extra word 'more' (syntax: help [COMMAND [SUBCOMMAND]])");
  });
});
