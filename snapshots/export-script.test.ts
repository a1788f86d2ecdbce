import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentState } from '../commands/engine.js';
import { runScenario } from '../commands/run-scenario.js';
import { exportSnapshot } from './exporters.js';
import { loadImport } from './importers.js';
import { ImportingSession, plain, run } from './testing/sessions.js';

const SCENARIOS: [string, string][] = [
  [
    'system calls, files and settings',
    `config max_map_count 500
file data 16K
mmap 0x100000000000 16K rw- fixed
touch 0x100000001000 8K
mprotect 0x100000002000 4K r--
mmap 0x100000010000 8K r-- shared fixed file=data off=4K
mmap - 8K rw-
munmap 0x100000000800 4K
madvise 0x100000003000 4K guard_install
`,
  ],
  [
    'processes',
    `mmap 0x100000000000 8K rw- fixed
touch 0x100000000000
fork
process 1
touch 0x100000001000
fork
process 2
mremap 0x100000000000 8K 8K maymove fixed=0x100000100000
process 7
process 0
`,
  ],
  [
    'the internal API, undo and a window',
    `window 0x0 0x100000
vma add 0x1000 0x3000 1 rd,wr,mr,mw av=x
vma add 0x4000 0x6000 4 rd,wr,mr,mw
vma merge-new 0x3000 0x4000 3 rd,wr,mr,mw
undo
vma modify 0x1000 0x2000 rd,mr,mw
vma split 0x5000
vma copy 0x5000 0x9000 9
undo 2
redo
`,
  ],
];

describe('export script', () => {
  it.each(SCENARIOS)('replays to the same state (%s)', (_what, text) => {
    const engine = run(text);
    const out = exportSnapshot('script', engine);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const again = runScenario(out.text, 'exported.vma');
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(plain(currentState(again.engine))).toEqual(plain(currentState(engine)));
    expect(again.engine.window).toEqual(engine.window);
  });

  it('declares a file whose file line was undone, so that naming it still gives EBADF', () => {
    const engine = run('file gone 8K\nundo\nmmap 0x100000000000 4K rw- fixed file=gone\n');
    const out = exportSnapshot('script', engine);
    expect(out.ok && out.text).toContain('file gone 8K  # event 1, undone: event 2 names gone without it\nundo\nmmap 0x100000000000 4K rw- fixed file=gone  # -1 EBADF\n');
    const again = out.ok ? runScenario(out.text, 'x.vma') : null;
    expect(again?.ok && plain(currentState(again.engine))).toEqual(plain(currentState(engine)));
  });

  it('writes the path to the current event only, with results as comments', () => {
    const out = exportSnapshot('script', run('mmap 0x100000000000 8K rw- fixed\nmunmap 0x100000000000 4K\nundo\nmprotect 0x100000000000 4K ---\nmunmap 0x1 4K\n'));
    expect(out.ok && out.text.split('\n')).toEqual([
      '# vmasim script: the 3 events on the path from the start to event 4.',
      '# Running it replays them to the state of that event.',
      'mmap 0x100000000000 8K rw- fixed  # 0x100000000000',
      'mprotect 0x100000000000 4K ---  # 0',
      'munmap 0x1 4K  # -1 EINVAL',
      '',
    ]);
  });

  it('names an imported file relative to the script, and refuses what cannot be read again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmasim-script-'));
    try {
      const json = exportSnapshot('json', run('mmap 0x100000000000 8K rw- fixed\n'));
      if (!json.ok) throw new Error(json.error);
      writeFileSync(join(dir, 'start.json'), json.text);
      const loaded = loadImport('json', { path: join(dir, 'start.json') });
      if (!loaded.ok) throw new Error(loaded.error);
      const s = new ImportingSession().line('file f 4K').importData('json', 'start.json', loaded.data).line('munmap 0x100000000000 4K');
      const out = exportSnapshot('script', s.engine, { path: join(dir, 'out', 'replay.vma') });
      expect(out.ok).toBe(true);
      if (!out.ok) return;
      expect(out.text).toContain('\nimport json ../start.json  # imported 1 VMA from json ');
      expect(out.notes.join('\n')).toContain(`the script reads ${join(dir, 'start.json')} again`);

      const fromText = loadImport('json', { text: json.text, name: 'pasted' });
      if (!fromText.ok) throw new Error(fromText.error);
      const t = new ImportingSession().importData('json', 'pasted', fromText.data);
      expect(exportSnapshot('script', t.engine)).toEqual({ ok: false, error: 'event 1 imported pasted, which a script cannot read again: export json instead' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a session that did not start empty', () => {
    const s = new ImportingSession(
      // A session started from a process (vmasim --from-pid): event 0 is not empty.
      currentState(run('mmap 0x100000000000 4K rw- fixed\n')),
    );
    expect(exportSnapshot('script', s.engine)).toEqual({
      ok: false,
      error: 'this session did not start from an empty state (it began with an import), so no script can rebuild it: export json instead',
    });
  });
});
