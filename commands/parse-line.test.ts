import { describe, expect, test } from 'vitest';
import { parseLine } from './parse.js';
import { newParseContext } from './parse-context.js';
import { formatParseError } from './parse-error.js';

const where = { file: 'scenario.vma', line: 3 };
const parse = (line: string) => parseLine(line, newParseContext(), where);

function message(line: string): string {
  const r = parse(line);
  if (r.kind !== 'error') throw new Error(`${line}: parsed`);
  return formatParseError(r.error);
}

describe('parseLine', () => {
  test('blank and comment-only lines are empty', () => {
    for (const l of ['', '   ', '\t', '# comment', '   # indented', '\r', '# crlf comment\r']) expect(parse(l), JSON.stringify(l)).toEqual({ kind: 'empty' });
  });

  test('text is the line without comment and surrounding blanks; canonical normalises spacing and keywords', () => {
    const r = parse('  MUNMAP\t0X1000   4K   # drop it\r');
    expect(r).toMatchObject({ kind: 'command', text: 'MUNMAP\t0X1000   4K', canonical: 'munmap 0X1000 4K' });
  });

  test('CRLF lines parse as LF lines', () => {
    expect(parse('mprotect 0x1000 4K r--\r')).toMatchObject({ kind: 'command', cmd: { kind: 'mprotect' }, text: 'mprotect 0x1000 4K r--' });
  });

  test('the def comes along', () => {
    const r = parse('fork');
    expect(r.kind === 'command' && r.def.event).toBe(true);
  });

  test('errors carry file, line and exact column', () => {
    const r = parse('mmap 0x1000 4K rwz');
    expect(r).toEqual({ kind: 'error', error: { file: 'scenario.vma', line: 3, column: 16, message: "expected a PROT like rw- or none, got 'rwz'" } });
  });

  test('formatParseError', () => {
    expect(message('mmap 0x1000 4K rwz')).toBe("scenario.vma:3:16: expected a PROT like rw- or none, got 'rwz'");
    expect(message('\tmmap - 4K rw- fixed xyz')).toMatch(/^scenario\.vma:3:22: expected one of /);
  });

  test('columns after leading blanks and tabs', () => {
    expect(message('  \tmunmap 0x1000 4Q')).toBe("scenario.vma:3:18: expected a number like 4096, 0x1000 or 16K for LEN, got '4Q' (the size suffixes are K, M, G and p)");
  });

  test('missing argument points just after the last word, before any comment', () => {
    expect(message('munmap 0x1000   # no LEN')).toBe('scenario.vma:3:14: missing LEN (syntax: munmap ADDR LEN)');
  });

  test('64-bit overflow before and after the suffix', () => {
    expect(message('munmap 0 0x10000000000000000')).toBe("scenario.vma:3:10: LEN '0x10000000000000000' does not fit in 64 bits");
    expect(message('munmap 0 17179869184G')).toBe("scenario.vma:3:10: LEN '17179869184G' does not fit in 64 bits once multiplied by its suffix");
    expect(message('munmap 18446744073709551616 4K')).toBe("scenario.vma:3:8: ADDR '18446744073709551616' does not fit in 64 bits");
  });

  describe('unknown commands', () => {
    test('did you mean the nearest command', () => {
      expect(message('mprotct 0 4K r--')).toBe("scenario.vma:3:1: expected a command, got 'mprotct'; did you mean 'mprotect'?");
      expect(message('munmpa 0 4K')).toMatch(/did you mean 'munmap'\?$/);
      expect(message('MMAPP - 4K rw-')).toMatch(/did you mean 'mmap'\?$/);
      expect(message('  forkk')).toBe("scenario.vma:3:3: expected a command, got 'forkk'; did you mean 'fork'?");
    });
    test('a subcommand without its group', () => {
      expect(message('split 0x1000')).toMatch(/did you mean 'vma split'\?$/);
      expect(message('unmap 0 4K')).toMatch(/did you mean 'vma unmap'\?$/);
      expect(message('max_map_count 10')).toMatch(/did you mean 'config max_map_count'\?$/);
    });
    test('nothing close', () => {
      expect(message('frobnicate')).toBe("scenario.vma:3:1: expected a command, got 'frobnicate' (type 'help' for the list)");
    });
  });

  test('numbers are bigint and keep all 64 bits', () => {
    const r = parse('munmap 0xffffffffffffffff 18446744073709551615');
    expect(r).toMatchObject({ cmd: { addr: (1n << 64n) - 1n, len: (1n << 64n) - 1n } });
  });

  test('010 is ten', () => {
    expect(parse('munmap 010 010')).toMatchObject({ cmd: { addr: 10n, len: 10n } });
  });
});
