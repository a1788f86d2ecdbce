/** `vmasim` reading its standard input from a pipe or a file: plain text, no terminal codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { MAIN } from './vmasim.js';

const dir = mkdtempSync(join(tmpdir(), 'vmasim-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vmasim(args: readonly string[], input: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
  delete env['CI'];
  delete env['CONTINUOUS_INTEGRATION'];
  const r = spawnSync(process.execPath, [MAIN, ...args], { input, env, cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('vmasim with a pipe', () => {
  test('runs each line and prints results as plain text, starting empty', () => {
    const r = vmasim([], 'mmap 0x100000000000 16K rw- fixed\r\nmprotect 0x100000001000 4K r--  # split it\nvmas\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        '1: mmap 0x100000000000 16K rw- fixed  => 0x100000000000   (event 1)',
        '    + 0x100000000000-0x100000004000 rw-p 16K',
        '2: mprotect 0x100000001000 4K r--  => 0   (event 2)',
        '    ~ 0x100000000000-0x100000001000 rw-p 4K  (range)',
        '    + 0x100000001000-0x100000002000 r--p 4K',
        '    + 0x100000002000-0x100000004000 rw-p 8K',
        '  Start          End            Size Perm Offset av  File VmFlags',
        '  0x100000000000 0x100000001000   4K rw-p    0x0          mr mw me ac',
        '  0x100000001000 0x100000002000   4K r--p    0x0          mr mw me',
        '  0x100000002000 0x100000004000   8K rw-p    0x0          mr mw me ac',
        '',
      ].join('\n'),
    );
    expect(r.out).not.toMatch(/\x1b/);
  });

  test('a bad line is reported with its line and column, the rest still runs, and the exit status is 1', () => {
    const r = vmasim([], 'mmap 0x100000000000 4K rw- fixed\nmunmap 0x100000000000 4K rwx\ngoto 99\nundo\n');
    expect(r.code).toBe(1);
    expect(r.err).toBe("<stdin>:2:26: unexpected extra word 'rwx' (syntax: munmap ADDR LEN)\n<stdin>:3: There is no event 99: events are numbered 0 to 1. `history` lists them.\n");
    expect(r.out).toContain('4: undo  at event 0 (undid 1)');
  });

  test('starts from a scenario file, and help works without a terminal', () => {
    const file = join(dir, 'start.vma');
    writeFileSync(file, 'file lib 8K\nmmap 0x100000000000 8K r-- fixed file=lib off=0\n');
    const r = vmasim([file], 'munmap 0x100000001000 4K\nhelp munmap\n');
    expect(r.code).toBe(0);
    expect(r.out).toContain('1: munmap 0x100000001000 4K  => 0   (event 3)');
    expect(r.out).toContain('munmap ADDR LEN');
    expect(r.out).not.toMatch(/\x1b/);
  });

  test('the REPL bundle leaves zod out (it loads when a snapshot is read), and a JSON snapshot still goes out and back in', () => {
    const bundle = join(dirname(MAIN), 'repl', 'bundle');
    for (const f of readdirSync(bundle)) expect(readFileSync(join(bundle, f), 'utf8'), f).not.toContain('_zod');
    const file = join(dir, 'snap.json');
    const r = vmasim([], `mmap 0x100000000000 8K rw- fixed\nexport json ${file}\nimport json ${file}\nimport json ${MAIN}\n`);
    expect(r.out).toContain(`3: import json ${file}  event 2`);
    expect(r.err).toMatch(/^<stdin>:4: .*main\.js: /);
    expect(r.code).toBe(1);
  });
});
