import { describe, expect, test } from 'vitest';
import { parseScenario } from './parse.js';
import { newParseContext } from './parse-context.js';

describe('parseScenario', () => {
  test('numbers lines from 1, counting comments and blank lines', () => {
    const text = ['# a scenario', '', 'file lib 16K', 'mmap - 8K r-- file=lib  # map it', '   ', 'fork'].join('\n');
    const r = parseScenario(text, 'a.vma');
    expect('lines' in r).toBe(true);
    if (!('lines' in r)) return;
    expect(r.lines.map((l) => [l.line, l.text, l.cmd.kind])).toEqual([
      [3, 'file lib 16K', 'file'],
      [4, 'mmap - 8K r-- file=lib', 'mmap'],
      [6, 'fork', 'fork'],
    ]);
    expect(r.lines[1]!.canonical).toBe('mmap - 8K r-- file=lib');
  });

  test('CRLF files', () => {
    const r = parseScenario('file lib 4K\r\nmmap - 4K rw- file=lib\r\n', 'crlf.vma');
    expect('lines' in r && r.lines.map((l) => l.text)).toEqual(['file lib 4K', 'mmap - 4K rw- file=lib']);
  });

  test('a lone CR ends a line as LF and CR LF do, in any mix', () => {
    const r = parseScenario('file lib 4K\rfork\r\n\nmmap - 4K rw- file=lib\r\rbogus', 'mac.vma');
    expect(r).toEqual({ error: { file: 'mac.vma', line: 6, column: 1, message: "expected a command, got 'bogus' (type 'help' for the list)" } });
    const ok = parseScenario('fork\rfork\r\rfork\r', 'mac.vma');
    expect('lines' in ok && ok.lines.map((l) => [l.line, l.text])).toEqual([
      [1, 'fork'],
      [2, 'fork'],
      [4, 'fork'],
    ]);
  });

  test('a byte order mark at the very start is dropped; anywhere else it is named', () => {
    const r = parseScenario('\ufefffork\nfork\n', 'bom.vma');
    expect('lines' in r && r.lines.map((l) => l.text)).toEqual(['fork', 'fork']);
    expect(parseScenario('fork\n\ufefffork\n', 'bom.vma')).toEqual({
      error: { file: 'bom.vma', line: 2, column: 1, message: 'U+FEFF BYTE ORDER MARK is allowed only at the very start of the input; delete it' },
    });
    expect(parseScenario('\ufeff\ufefffork\n', 'bom.vma')).toMatchObject({ error: { line: 1, column: 1 } });
  });

  test('stops at the first error, naming file, line and column', () => {
    const r = parseScenario('fork\n\nmprotect 0 4K rwz\nbogus\n', 'bad.vma');
    expect(r).toEqual({ error: { file: 'bad.vma', line: 3, column: 15, message: "expected a PROT like rw- or none, got 'rwz'" } });
  });

  test('file= before the file line that declares it is an error', () => {
    const r = parseScenario('mmap - 4K rw- file=lib\nfile lib 4K\n', 'order.vma');
    expect(r).toEqual({ error: { file: 'order.vma', line: 1, column: 20, message: "no earlier 'file' line declares 'lib'" } });
  });

  test('a declaration stays for the whole file', () => {
    const r = parseScenario('file lib 4K\nundo\nmmap - 4K rw- file=lib\n', 'undo.vma');
    expect('lines' in r).toBe(true);
  });

  test('REPL-only commands are refused', () => {
    for (const c of ['help', 'history', 'branches', 'back', 'forward 2', 'diff 1 2', 'explain', 'vmas', 'quit', 'exit']) {
      const r = parseScenario(`fork\n  ${c}\n`, 'repl.vma');
      expect(r, c).toMatchObject({ error: { line: 2, column: 3 } });
      expect('error' in r && r.error.message).toMatch(/works only at the REPL prompt/);
    }
  });

  test('window, history and snapshot commands are allowed', () => {
    const r = parseScenario('window 0 0x1000\nundo\nredo 2\ngoto 0\nexport json out.json --force\nimport maps in.maps\n', 'ok.vma');
    expect('lines' in r && r.lines.length).toBe(6);
  });

  test('a context passed in is shared and extended', () => {
    const ctx = newParseContext(['pre']);
    const r = parseScenario('mmap - 4K rw- file=pre\nfile more 4K\n', 'ctx.vma', ctx);
    expect('lines' in r).toBe(true);
    expect([...ctx.files].sort()).toEqual(['more', 'pre']);
  });

  test('an empty file has no lines', () => {
    expect(parseScenario('', 'empty.vma')).toEqual({ lines: [] });
  });
});
