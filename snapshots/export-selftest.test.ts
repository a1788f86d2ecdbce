import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findCompiler } from '../live/build-helper.js';
import { exportSnapshot } from './exporters.js';
import { loadImport } from './importers.js';
import { ImportingSession, run } from './testing/sessions.js';

const cc = findCompiler();
const dir = mkdtempSync(join(tmpdir(), 'vmasim-selftest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Compile (warnings are errors) and run; the program's output and exit status. */
function buildAndRun(name: string, text: string): { status: number | null; out: string } {
  const src = join(dir, `${name}.c`);
  writeFileSync(src, text);
  const build = spawnSync(cc!, ['-std=gnu11', '-O2', '-Wall', '-Wextra', '-Werror', '-o', join(dir, name), src], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`${name}.c does not compile:\n${build.stderr}`);
  const r = spawnSync(join(dir, name), [], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

const SCENARIOS: [string, string][] = [
  [
    'files_processes_guards',
    `file data 16K
mmap 0x100000000000 8K rw- fixed
touch 0x100000000000
mmap 0x100000002000 4K rw- fixed
mmap 0x100000010000 8K r-- shared fixed file=data off=4K
mmap 0x100000020000 8K rw- shared fixed
madvise 0x100000020000 4K guard_install
fork
process 1
touch 0x100000002000
mprotect 0x100000001000 4K r--
munmap 0x100000030000 4K
process 0
mprotect 0x100000000000 4K r--
`,
  ],
  [
    'faults_and_errors',
    `file small 4K
mmap 0x100000000000 8K r-- private fixed file=small
touch 0x100000000000 8K read
mmap 0x100000010000 8K --- fixed
touch 0x100000010000
touch 0x100000020000 read
mmap 0x100000030000 16K rw- fixed
mprotect 0x100000031000 4K r--
mprotect 0x100000031000 4K rw-
mprotect 0x100000040000 4K rw-
munmap 0x1 4K
mmap 0x100000050000 4K rw-
mmap 0x100000050000 4K rw- noreplace
`,
  ],
  [
    'mremap_mlock_mseal_madvise',
    `mmap 0x100000000000 16K rw- fixed
touch 0x100000000000 16K
mremap 0x100000000000 8K 12K
mremap 0x100000003000 4K 4K maymove fixed=0x100000100000
mremap 0x100000100000 4K 4K maymove dontunmap fixed=0x100000200000
mlock 0x100000000000 4K
mlock 0x100000001000 4K onfault
munlock 0x100000000000 8K
mseal 0x100000002000 4K
munmap 0x100000002000 4K
madvise 0x100000000000 4K dontfork
madvise 0x100000001000 4K wipeonfork
fork
process 1
touch 0x100000001000
mmap 0x100000300000 8K rw- fixed growsdown
touch 0x1000002ff000
`,
  ],
];

describe('export selftest', () => {
  it.skipIf(cc === null).each(SCENARIOS)('%s compiles and passes on the live kernel', (name, text) => {
    const out = exportSnapshot('selftest', run(text), { path: `${name}.c` });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const r = buildAndRun(name, out.text);
    expect(r.out).toMatch(new RegExp(`^ok 1 ${name}$`, 'm'));
    expect(r.status, r.out).toBe(0);
  });

  it.skipIf(cc === null)('fails, saying where, when the live kernel disagrees with what it expects', () => {
    const out = exportSnapshot('selftest', run(SCENARIOS[0]![1]), { path: 'broken.c' });
    if (!out.ok) throw new Error(out.error);
    const broken = out.text.replace('{ 0x0, 0x2000, "rw-p", 0x0, "rd wr mr mw me ac" }', '{ 0x0, 0x2000, "rw-p", 0x0, "rd wr mr mw me" }');
    expect(broken).not.toBe(out.text);
    const r = buildAndRun('broken', broken);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/^# after event 2 \(mmap 0x100000000000 8K rw- fixed\), in process \d+:$/m);
    expect(r.out).toMatch(/^# {3}vmasim: 100000000000-100000002000 rw-p 00000000 rd wr mr mw me$/m);
    expect(r.out).toMatch(/^# {3}kernel: 100000000000-100000002000 rw-p 00000000 rd wr mr mw me ac$/m);
    expect(r.out).toMatch(/^not ok 1 broken$/m);
  });

  it('rebases scenario addresses and keeps those outside the window only for EINVAL', () => {
    const out = exportSnapshot('selftest', run('mmap 0x100000004000 4K rw- fixed\nmunmap 0x3 4K\n'), { path: 't.c' });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.text).toContain('#define SCENARIO_LO 0x100000004000UL');
    expect(out.text).toContain('r = (long)mmap((void *)AT(0x0), 0x1000UL, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, (off_t)0x0UL);');
    expect(out.text).toContain('r = munmap((void *)0x3UL, 0x1000UL);');
  });

  it.each([
    ['the internal API', 'vma add 0x1000 0x2000 1 rd,mr\n', /^event 1 \('vma add 0x1000 0x2000 1 rd,mr'\) uses the internal VMA API, which only the simulator has: export kernel-c for it$/],
    ['an address the kernel chooses', 'mmap - 8K rw-\n', /^event 1 \('mmap - 8K rw-'\): the kernel chooses this address/],
    ['a move the kernel places', 'mmap 0x100000000000 4K rw- fixed\nmmap 0x100000001000 4K r-- fixed\nmremap 0x100000000000 4K 8K maymove\n', /^event 3 .*the kernel chooses where this mremap moves to/],
    ['an address outside the window', 'mmap 0x200000000000 4K rw- fixed\n', /^event 1 \('mmap 0x200000000000 4K rw- fixed'\) uses 0x200000000000, outside the window/],
    ['a setting the host keeps', 'config max_map_count 100\nmmap 0x100000000000 4K rw- fixed\n', /^event 1 \('config max_map_count 100'\) changes a setting the selftest does not change on the host$/],
    ['an empty history', '', /^no event has happened yet/],
  ])('refuses %s', (_what, text, message) => {
    const out = exportSnapshot('selftest', run(text));
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error).toMatch(message);
  });

  it('refuses imports', () => {
    const loaded = loadImport('maps', { text: '100000000000-100000001000 rw-p 00000000 00:00 0\n', name: 'm.maps' });
    if (!loaded.ok) throw new Error(loaded.error);
    const s = new ImportingSession().importData('maps', 'm.maps', loaded.data);
    expect(exportSnapshot('selftest', s.engine)).toEqual({ ok: false, error: 'event 1 is an import: a selftest can only run system calls' });
  });
});
