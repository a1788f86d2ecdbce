import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../live/paths.js';
import { exportSnapshot } from './exporters.js';
import { loadImport } from './importers.js';
import { ImportingSession, run } from './testing/sessions.js';

/**
 * Exported tests go in a folder inside the repository, so that their relative
 * imports resolve. A config of its own keeps the repository's (and its global
 * setup) out of the run.
 */
const dir = mkdtempSync(join(packageRoot(), '.vmasim-vitest-'));
writeFileSync(join(dir, 'vitest.config.mts'), "export default { test: { include: ['*.test.ts'] } };\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npx vitest run` in `cwd`, away from the vitest this test runs in. */
function vitest(cwd: string, files: readonly string[]) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'NODE_OPTIONS' || k === 'TEST' || k === 'FORCE_COLOR') delete env[k];
  env.NO_COLOR = '1';
  return spawnSync('npx', ['vitest', 'run', ...files], { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

const SCENARIO = `file data 16K
mmap 0x100000000000 12K rw- fixed
touch 0x100000000000
mmap 0x100000010000 8K r-- shared fixed file=data off=4K
mmap 0x100000020000 8K rw- shared fixed
madvise 0x100000020000 4K guard_install
vma add 0x1000 0x3000 1 rd,wr,mr,mw av=named close
fork
process 1
touch 0x100000001000 8K
mprotect 0x100000001000 4K r--
munmap 0x100000000000 0x1001
file other 4K
undo
mmap 0x100000030000 4K rw- fixed file=other
touch 0x100000040000
`;

function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

describe('export vitest', () => {
  it('writes tests that run green in this repository as they are', () => {
    const plainOut = exportSnapshot('vitest', run(SCENARIO), { path: join(dir, 'replay.test.ts') });
    expect(plainOut.ok).toBe(true);
    if (!plainOut.ok) return;
    expect(plainOut.text).toContain("from '../commands/engine.js'");
    expect(plainOut.text).toContain('const START: unknown = null;');
    write('replay.test.ts', plainOut.text);

    // With an import on the path: the start is the imported state, embedded.
    const json = exportSnapshot('json', run('mmap 0x100000000000 8K rw- fixed\ntouch 0x100000000000\nvma add 0x1000 0x2000 1 rd,mr av=k\n'));
    if (!json.ok) throw new Error(json.error);
    const loaded = loadImport('json', { text: json.text, name: 'start.json' });
    if (!loaded.ok) throw new Error(loaded.error);
    const s = new ImportingSession()
      .line('mmap 0x100000100000 4K rw- fixed')
      .importData('json', 'start.json', loaded.data)
      .line('mmap 0x100000002000 4K rw- fixed')
      .line('vma merge-new 0x2000 0x3000 2 rd,mr')
      .line('touch 0x100000002000');
    const imported = exportSnapshot('vitest', s.engine, { path: join(dir, 'imported.test.ts') });
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    expect(imported.text).toContain('"format": "vmasim-snapshot"');
    expect(imported.notes).toEqual(['the test starts from the state event 2 imported, embedded in the file']);
    write('imported.test.ts', imported.text);

    const r = vitest(dir, ['replay.test.ts', 'imported.test.ts']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Test Files +2 passed/);
  });

  it('writes tests that fail when the simulator answers otherwise', () => {
    const text = readFileSync(join(dir, 'replay.test.ts'), 'utf8');
    // Claim the mprotect returned an error and a VMA had other flags.
    const broken = text
      .replace(/("command": "mprotect 0x100000001000 4K r--", "ret": )0, "errno": null/, '$1-1, "errno": "ENOMEM"')
      .replace(/"vmflags": \["rd", "mr", "mw", "me", "ac"\]/, '"vmflags": ["rd", "mr", "mw", "me"]');
    expect(broken).not.toBe(text);
    write('broken.test.ts', broken);
    const r = vitest(dir, ['broken.test.ts']);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/1 failed/);
  });
});
