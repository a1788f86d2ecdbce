/**
 * Hostile input that was once accepted but left a state or a journal that
 * was not what it said, each in its smallest case, and what holds now.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { currentState } from '../../commands/engine.js';
import { newParseContext } from '../../commands/parse-context.js';
import { runScenario } from '../../commands/run-scenario.js';
import { openSession } from '../../cli/repl/open-session.js';
import { runLine } from '../../cli/repl/run-line.js';
import { initialState } from '../../kernel-sim/state.js';
import { applyImport } from '../../snapshots/import-data.js';
import { loadImport } from '../../snapshots/importers.js';
import { stateToSnapshot } from '../../snapshots/json-snapshot.js';
import { sandbox } from './support/sandbox.js';

const box = sandbox();
afterAll(() => box.remove());

describe('accepted, but not what it says', () => {
  // A regular file's id is its NAME and shmem objects are `shmem:N`: a NAME of that form would
  // join a file to shared anonymous memory, so it is refused where it is written
  // (kernel-sim/sim-limits.ts fileNameProblem), and the file lines after it never run.
  it('a file NAME shaped like a shmem id is refused at its column, and nothing of the scenario runs past it', () => {
    const r = runScenario('mmap 0x100000001000 4K rw- shared fixed\nfile shmem:1 8K\nmmap 0x100000000000 4K r-- shared fixed file=shmem:1\n', 'names.vma');
    expect(!r.ok && r.message).toBe("names.vma:2:6: NAME 'shmem:1' starts with 'shmem:', which names the shmem objects of shared anonymous memory");
    // Declared before any shared anonymous mmap, too: the name is what is refused, not the clash.
    const first = runScenario('file shmem:2 8K\n', 'names.vma');
    expect(!first.ok && first.message).toMatch(/^names\.vma:1:6: NAME 'shmem:2' starts with 'shmem:'/);
    // A file whose name merely holds the word elsewhere is a file like any other.
    const ok = runScenario('file my-shmem:1 8K\nmmap 0x100000000000 4K r-- shared fixed file=my-shmem:1\nmmap 0x100000001000 4K rw- shared fixed\n', 'names.vma');
    expect(ok.ok).toBe(true);
    const s = currentState((ok as { engine: Parameters<typeof currentState>[0] }).engine);
    expect(s.processes[0]!.mm.vmas.toArray().map((v) => v.file)).toEqual(['my-shmem:1', 'shmem:1']);
    expect([s.files['my-shmem:1']?.kind, s.files['shmem:1']?.kind]).toEqual(['regular', 'shmem']);
  });

  // The same through import maps: a path shmem:1 would be taken for the first shared anonymous
  // VMA's shmem object (snapshots/import-data.ts keeps regular files and shmem objects in one map).
  it('import maps refuses a path shaped like a shmem id, naming its line', () => {
    const text = '100000000000-100000001000 rw-s 00000000 00:00 0\n100000001000-100000002000 r--p 00000000 08:01 12 shmem:1\n';
    const r = loadImport('maps', { text, name: 'x.maps' });
    expect(!r.ok && r.error).toBe("x.maps: line 2: the path 'shmem:1' starts with 'shmem:', which names the shmem objects of shared anonymous memory");
    // And a path that only looks alike stays a regular file, apart from the shmem object.
    const near = loadImport('maps', { text: text.replace(' shmem:1', ' /tmp/shmem:1'), name: 'x.maps' });
    if (!near.ok) throw new Error(near.error);
    const s = applyImport(initialState(), near.data);
    const [a, b] = s.processes[0]!.mm.vmas.toArray();
    expect([s.files[a!.file!]!.kind, s.files[b!.file!]!.kind]).toEqual(['shmem', 'regular']);
    expect(b!.file).toBe('/tmp/shmem:1');
  });

  // `vma copy` checked PGOFF but not NEWADDR + length (kernel-sim/internal-commands.ts): the copy
  // ended above 2^53, where `vma add` refuses to go and a JSON snapshot cannot follow.
  it('vma copy refuses, as vma add does, a VMA that would end at or above 2^53', () => {
    // 2^53 is 0x20000000000000; the VMA is 0x2000 long.
    const r = runScenario('vma add 0x1000 0x3000 1 rd,wr\nvma copy 0x1000 0x1ffffffffff000 1\nvma copy 0x1000 0x1fffffffffe000 1\nvma copy 0x1000 0x1fffffffffd000 1\n', 'copy.vma');
    if (!r.ok) throw new Error(r.message);
    expect(r.report.results.map((x) => [x.ret, x.errno])).toEqual([[0, null], [-1, 'EINVAL'], [-1, 'EINVAL'], ['0x1fffffffffd000-0x1ffffffffff000', null]]);
    const s = currentState(r.engine);
    for (const v of s.processes[0]!.mm.vmas) expect(v.end).toBeLessThan(2 ** 53);
    expect(loadImport('json', { text: JSON.stringify(stateToSnapshot(s)), name: 's.json' }).ok).toBe(true);
  });

  // The kernel takes a process past max_map_count in one way: a munmap that reaches a sealed VMA
  // is refused with EPERM but keeps the split it made at its start (vms_gather_munmap_vmas),
  // whatever map_count is. The simulator does the same, and such a state exports and imports back
  // (the bound on VMAs a snapshot holds is vmasim's own, kernel-sim/sim-limits.ts MAX_VMAS).
  it('a process taken past max_map_count + 1 by munmaps refused at a sealed VMA is exported and imported back', () => {
    const r = runScenario('config max_map_count 3\nmmap 0x100000000000 4p rw- fixed\nmseal 0x100000003000 1p\nmmap 0x100000010000 1p rw- fixed\nmmap 0x100000020000 1p rw- fixed\nmunmap 0x100000001000 3p\nmunmap 0x100000002000 2p\n', 'sealed.vma');
    if (!r.ok) throw new Error(r.message);
    expect(r.report.results.slice(-2).map((x) => x.errno)).toEqual(['EPERM', 'EPERM']);
    const s = currentState(r.engine);
    expect(s.processes[0]!.mm.vmas.size).toBe(6);
    const back = loadImport('json', { text: JSON.stringify(stateToSnapshot(s)), name: 's.json' });
    expect(back.ok ? 'ok' : back.error).toBe('ok');
  });

  // The journal records what an import loaded with its line (store/journal-format.ts `data`),
  // so resuming rebuilds the recorded state whatever became of the file since.
  it('a resumed journal gives the state it recorded, even if an imported file changed since', async () => {
    const dir = join(box.dir, 'import-journal');
    mkdirSync(dir);
    const snap = (text: string) => {
      const r = runScenario(text, 'x.vma');
      if (!r.ok) throw new Error(r.message);
      return JSON.stringify(stateToSnapshot(currentState(r.engine)));
    };
    const snapPath = join(dir, 'snap.json');
    writeFileSync(snapPath, snap('mmap 0x100000000000 4K rw- fixed\n'));
    const journal = join(dir, 'j.jsonl');
    const first = await openSession(null, { kind: 'empty' }, journal, newParseContext());
    if ('error' in first) throw new Error(first.error);
    runLine(first.session, newParseContext(), `import json ${snapPath}`, { file: '<stdin>', line: 1 });
    const state = (s: { engine: Parameters<typeof currentState>[0] }) => currentState(s.engine);
    expect(state(first.session).processes[0]!.mm.vmas.size).toBe(1);
    const recorded = JSON.stringify(stateToSnapshot(state(first.session)));
    first.session.close();
    // The file changes, then goes away: each resume gives the recorded state, and says nothing is amiss.
    writeFileSync(snapPath, snap('mmap 0x100000000000 4K rw- fixed\nmmap 0x100000002000 4K rw- fixed\n'));
    for (const change of ['changed', 'removed']) {
      if (change === 'removed') rmSync(snapPath);
      const again = await openSession(null, { kind: 'empty' }, journal, newParseContext());
      if ('error' in again) throw new Error(again.error);
      expect(JSON.stringify(stateToSnapshot(state(again.session))), change).toBe(recorded);
      expect(again.notes, change).toEqual(['Resumed j.jsonl: 1 event and 0 moves replayed; position 1.']);
      expect(again.session.journalPath).toBe(journal);
      again.session.close();
    }
  });
});
