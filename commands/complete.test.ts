import { describe, expect, test } from 'vitest';
import type { DynamicKind } from './arg-types.js';
import { complete, type CompletionProvider } from './complete.js';
import { newParseContext } from './parse-context.js';

const ctx = newParseContext(['libc', 'data', 'Lib2']);
const at = (line: string, provider?: CompletionProvider) => complete(line, line.length, ctx, provider).candidates;

describe('complete', () => {
  test('command names at the start, sorted', () => {
    expect(at('m')).toEqual(['madvise', 'mlock', 'mmap', 'mprotect', 'mremap', 'mseal', 'munlock', 'munmap']);
    expect(at('')).toContain('vma');
    expect(at('')).toContain('exit');
    expect(at('E')).toEqual(['exit', 'explain', 'export']);
  });

  test('the range to replace is the word up to the cursor', () => {
    expect(complete('  mpr', 5, ctx)).toEqual({ start: 2, end: 5, candidates: ['mprotect'] });
    expect(complete('mprotect 0 4K r', 15, ctx)).toMatchObject({ start: 14, end: 15 });
  });

  test('the cursor may be inside the line', () => {
    expect(complete('mu 0 4K', 2, ctx)).toEqual({ start: 0, end: 2, candidates: ['munlock', 'munmap'] });
  });

  test('subcommands', () => {
    expect(at('vma ')).toEqual(['add', 'merge-new', 'merge-existing', 'modify', 'expand', 'shrink', 'split', 'unmap', 'copy']);
    expect(at('vma m')).toEqual(['merge-new', 'merge-existing', 'modify']);
    expect(at('config ')).toEqual(['anon_vma_name', 'soft_dirty', 'max_map_count', 'mmap_base']);
    expect(at('config soft_dirty ')).toEqual(['on', 'off']);
  });

  test('PROT words', () => {
    expect(at('mprotect 0 4K r')).toEqual(['rw-', 'r--', 'r-x', 'rwx']);
    expect(at('mmap - 4K n')).toEqual(['none']);
  });

  test('flags after the positionals, leaving out those used and their rivals', () => {
    expect(at('mmap - 4K rw- ')).toEqual(['shared', 'private', 'fixed', 'noreplace', 'growsdown', 'locked', 'populate', 'noreserve', 'file=', 'off=']);
    expect(at('mmap - 4K rw- shared fixed ')).toEqual(['noreplace', 'growsdown', 'locked', 'populate', 'noreserve', 'file=', 'off=']);
    expect(at('mmap - 4K rw- n')).toEqual(['noreplace', 'noreserve']);
    expect(at('mlock 0 4K ')).toEqual(['onfault']);
  });

  test('no options while required positionals are missing', () => {
    expect(at('mmap - 4K ')).not.toContain('fixed');
  });

  test('file= completes declared names, case-sensitively', () => {
    expect(at('mmap - 4K rw- file=')).toEqual(['file=Lib2', 'file=data', 'file=libc']);
    expect(at('mmap - 4K rw- file=l')).toEqual(['file=libc']);
    expect(at('mmap - 4K rw- FILE=L')).toEqual(['FILE=Lib2']);
    expect(at('vma add 0 4K 0 rd file=d')).toEqual(['file=data']);
    expect(at('mmap - 4K rw- file=libc file=')).toEqual([]);
  });

  test('advice names', () => {
    expect(at('madvise 0 4K dont')).toEqual(['dontfork', 'dontdump', 'dontneed']);
    expect(at('madvise 0 4K guard')).toEqual(['guard_install', 'guard_remove']);
  });

  test('mnemonics after the last comma, without repeats', () => {
    expect(at('vma add 0 4K 0 m')).toEqual(['mr', 'mw', 'me', 'ms', 'mm', 'mg']);
    expect(at('vma add 0 4K 0 rd,mr,m')).toEqual(['rd,mr,mw', 'rd,mr,me', 'rd,mr,ms', 'rd,mr,mm', 'rd,mr,mg']);
  });

  test('optional positional and options together', () => {
    expect(at('touch 0x1000 ')).toEqual(['read', 'write']);
    expect(at('touch 0x1000 4K w')).toEqual(['write']);
    expect(at('touch 0x1000 read ')).toEqual([]);
    expect(at('vma merge-new 0 4K 0 rd ')).toEqual(['file=', 'av=', 'expand-only', 'fail-prealloc']);
  });

  test('snapshot kinds and --force', () => {
    expect(at('export ')).toEqual(['json', 'script', 'maps', 'smaps', 'vitest', 'kernel-c', 'selftest']);
    expect(at('import s')).toEqual(['script', 'smaps']);
    expect(at('export json out.json ')).toEqual(['--force']);
  });

  test('help topics', () => {
    expect(at('help mu')).toEqual(['munlock', 'munmap']);
    expect(at('help vma s')).toEqual(['shrink', 'split']);
    expect(at('help mmap ')).toEqual([]);
  });

  test('a provider supplies addresses and paths', () => {
    const calls: [DynamicKind, string][] = [];
    const provider: CompletionProvider = (what, prefix) => {
      calls.push([what, prefix]);
      return what === 'address' ? ['0x1000', '0x7000'] : ['out/', 'out.json'];
    };
    expect(at('munmap 0x', provider)).toEqual(['0x1000', '0x7000']);
    expect(at('mmap ', provider)).toEqual(['-', '0x1000', '0x7000']);
    expect(at('export json o', provider)).toEqual(['out/', 'out.json']);
    expect(at('mremap 0 4K 8K fixed=0x', provider)).toEqual(['fixed=0x1000', 'fixed=0x7000']);
    expect(calls).toEqual([
      ['address', '0x'],
      ['address', ''],
      ['path', 'o'],
      ['address', '0x'],
    ]);
  });

  test('without a provider, dynamic words offer only their fixed part', () => {
    expect(at('mmap ')).toEqual(['-']);
    expect(at('munmap ')).toEqual([]);
  });

  test('nothing for lengths, unknown commands, extra words or comments', () => {
    expect(at('munmap 0 ')).toEqual([]);
    expect(at('bogus ')).toEqual([]);
    expect(at('munmap 0 4K ')).toEqual([]);
    expect(at('fork # m')).toEqual([]);
    expect(at('vma nope ')).toEqual([]);
  });

  test('keywords complete case-insensitively', () => {
    expect(at('MPROTECT 0 4K R')).toEqual(['rw-', 'r--', 'r-x', 'rwx']);
    expect(at('MM')).toEqual(['mmap']);
  });
});
