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

  describe('what a line quotes back', () => {
    test('control characters are shown escaped, never raw', () => {
      expect(message('madvise 0x1000 4K \x1b[2J\x1b]0;title\x07')).toBe(
        "scenario.vma:3:19: expected an ADVICE like dontneed or willneed, got '\\x1b[2J\\x1b]0;title\\x07'",
      );
      expect(message('fork\x00\x7f\x9b')).toBe("scenario.vma:3:1: expected a command, got 'fork\\x00\\x7f\\x9b' (type 'help' for the list)");
      expect(message('name 0 4K heap 0x\ud800')).toBe("scenario.vma:3:16: unexpected extra word '0x\\ud800' (syntax: name ADDR LEN [NAME])");
    });

    test('a huge word is quoted as an excerpt, with its length', () => {
      const m = message('munmap 0x1000 ' + 'y'.repeat(5000));
      expect(m).toBe(`scenario.vma:3:15: expected a number like 4096, 0x1000 or 16K for LEN, got '${'y'.repeat(40)}…${'y'.repeat(12)}' (5000 characters)`);
    });
  });

  describe('blanks, line ends and marks', () => {
    test('a no-break space is named at its column', () => {
      expect(message('mmap\u00a00x100000000000 4K rw- fixed')).toBe('scenario.vma:3:5: U+00A0 NO-BREAK SPACE is not a blank; use a plain space');
    });

    test('a byte order mark inside the input is named (at the start of a file it is dropped: parseScenario)', () => {
      expect(message('\ufeffmmap - 4K rw-')).toBe('scenario.vma:3:1: U+FEFF BYTE ORDER MARK is allowed only at the very start of the input; delete it');
    });

    test('CRs at the end of the line are its line end: the canonical text parses back to the same command', () => {
      for (const line of ['name 0x100000000000 4K heap\r\r', 'vma add 0x3000 0x4000 3 rd,wr,mr,mw av=a\r\r', 'fork\r\r # note\r']) {
        const r = parse(line);
        expect(r.kind, JSON.stringify(line)).toBe('command');
        if (r.kind !== 'command') continue;
        expect(r.canonical).not.toMatch(/\r/);
        expect(parse(r.canonical)).toMatchObject({ kind: 'command', cmd: r.cmd, canonical: r.canonical });
      }
    });

    test('text after a CR is refused where the CR stands', () => {
      expect(message('mmap - 4K rw-\rfork')).toBe('scenario.vma:3:14: a CR ends the line here, and more text follows it; write one command a line');
    });

    test('a line too long is refused at once, with a short message', () => {
      const t0 = performance.now();
      const m = message('x'.repeat(1_000_000));
      expect(performance.now() - t0).toBeLessThan(200);
      expect(m).toBe('scenario.vma:3:8193: the line has 1000000 characters; at most 8192 are allowed');
    });

    test('a long unknown word costs no more than a short one: no suggestion is sought for it', () => {
      const t0 = performance.now();
      expect(message('z'.repeat(8000))).toMatch(/expected a command, got 'z{40}…z{12}' \(8000 characters\) \(type 'help' for the list\)$/);
      expect(performance.now() - t0).toBeLessThan(100);
    });
  });
});
