import { describe, expect, it } from 'vitest';
import { currentState } from '../commands/engine.js';
import { initialState } from '../kernel-sim/state.js';
import { validateState } from '../kernel-sim/validate.js';
import { exportSnapshot } from './exporters.js';
import { applyImport } from './import-data.js';
import { loadImport } from './importers.js';
import { parseSnapshotText, readSnapshot, snapshotToState, stateToSnapshot } from './json-snapshot.js';
import type { Snapshot } from './snapshot-schema.js';
import { plain, run } from './testing/sessions.js';

const SINGLE = `file data 16K
config max_map_count 1000
mmap 0x100000000000 12K rw- fixed
touch 0x100000000000
mprotect 0x100000001000 4K r--
mmap 0x100000010000 8K r-- shared fixed file=data off=4K
mmap 0x100000020000 8K rw- shared fixed
madvise 0x100000020000 4K guard_install
vma add 0x0 0x2000 0 rd,wr,mr,mw av=x close
vma add 0x2000 0x3000 2 rd,wr,mr,mw,sl
`;

const FORKED = `${SINGLE}fork
process 1
touch 0x100000002000 4K
mmap 0x100000030000 4K rw- fixed
fork
process 2
munmap 0x100000000000 4K
`;

function exportedJson(text: string): string {
  const out = exportSnapshot('json', run(text));
  if (!out.ok) throw new Error(out.error);
  return out.text;
}

function guards(s: Snapshot): { start: string; end: string }[] {
  return s.processes[0]!.guard_ranges;
}

function valid(): Snapshot {
  const r = parseSnapshotText(exportedJson(SINGLE));
  if (!r.ok) throw new Error(r.error);
  return r.snapshot;
}

describe('JSON snapshots', () => {
  it.each([
    ['one process', SINGLE],
    ['three processes', FORKED],
  ])('round-trip exactly (%s): export json, read, rebuild', (_what, text) => {
    const state = currentState(run(text));
    const r = parseSnapshotText(exportedJson(text));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const rebuilt = snapshotToState(r.snapshot);
    expect(plain(rebuilt)).toEqual(plain(state));
    expect(validateState(rebuilt)).toEqual([]);
    expect(rebuilt.processes.map((p) => p.mm.vmas.toArray())).toEqual(state.processes.map((p) => p.mm.vmas.toArray()));
  });

  it('carries the window and the path of the history, and leaves the history out on request', () => {
    const engine = run(`window 0x100000000000 0x100000100000\n${SINGLE}mmap 0x100000040000 4K rw- fixed\nundo\n`);
    const withHistory = exportSnapshot('json', engine);
    const r = withHistory.ok ? parseSnapshotText(withHistory.text) : null;
    expect(r?.ok).toBe(true);
    if (!r?.ok) return;
    expect(r.snapshot.window).toEqual({ start: '0x100000000000', end: '0x100000100000' });
    expect(r.snapshot.history?.events.map((e) => e.command)).toEqual(SINGLE.trim().split('\n'));
    expect(r.snapshot.history?.position).toBe(10);
    const without = exportSnapshot('json', engine, { history: false });
    expect(without.ok && JSON.parse(without.text).history).toBeUndefined();
  });

  it('import json into a fresh session gives the same state (one process)', () => {
    const state = currentState(run(SINGLE));
    const loaded = loadImport('json', { text: exportedJson(SINGLE), name: 'snap.json' });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const imported = applyImport(initialState(), loaded.data);
    expect(plain(imported)).toEqual(plain(state));
    expect(imported.config).toEqual(state.config);
    expect(imported.files).toEqual(state.files);
  });

  it('import json of several processes takes the current one, and says so', () => {
    const state = currentState(run(FORKED));
    const loaded = loadImport('json', { text: exportedJson(FORKED), name: 'snap.json' });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.notes.join('\n')).toMatch(/3 processes: the address space of its current process 2 is imported/);
    const imported = applyImport(initialState(), loaded.data);
    expect(imported.processes).toHaveLength(1);
    expect(imported.processes[0]!.mm.vmas.toArray()).toEqual(state.processes[2]!.mm.vmas.toArray());
    expect(validateState(imported)).toEqual([]);
  });

  it('renames anon_vma and shmem ids another process uses, and leaves the other processes alone', () => {
    const host = currentState(run(`${SINGLE}fork\nprocess 1\n`));
    const loaded = loadImport('json', { text: exportedJson(SINGLE), name: 'snap.json' });
    if (!loaded.ok) throw new Error(loaded.error);
    const imported = applyImport(host, loaded.data);
    expect(imported.processes[0]).toBe(host.processes[0]);
    expect(validateState(imported)).toEqual([]);
    const ownIds = new Set(imported.processes[1]!.mm.vmas.toArray().flatMap((v) => v.anonVmaChain));
    const otherIds = new Set(imported.processes[0]!.mm.vmas.toArray().flatMap((v) => v.anonVmaChain));
    for (const id of ownIds) expect(otherIds.has(id)).toBe(false);
    const shmem = imported.processes[1]!.mm.vmas.toArray().find((v) => v.file?.startsWith('shmem:'));
    expect(shmem?.file).not.toBe('shmem:1');
    expect(imported.files[shmem!.file!]?.kind).toBe('shmem');
    // The regular file is the one the machine already has.
    expect(Object.keys(imported.files).filter((k) => k === 'data')).toHaveLength(1);
  });

  it('refuses a file that exists with another size, changing nothing', () => {
    const host = currentState(run('file data 4K\n'));
    const loaded = loadImport('json', { text: exportedJson(SINGLE), name: 'snap.json' });
    if (!loaded.ok) throw new Error(loaded.error);
    expect(() => applyImport(host, loaded.data)).toThrow(/file data already exists with 4096 bytes; the imported one has 16384/);
  });
});

describe('JSON snapshot errors name the field and what was expected', () => {
  const cases: [string, (s: Snapshot & Record<string, unknown>) => unknown, RegExp][] = [
    ['a wrong version', (s) => ({ ...s, version: 3 }), /^version: this vmasim reads snapshot versions 1 and 2, the file has version 3$/],
    ['no version', (s) => ({ ...s, version: undefined }), /^version: .* the file has no version$/],
    ['another format', (s) => ({ ...s, format: 'other' }), /^format: expected "vmasim-snapshot", got "other"$/],
    [
      'a missing field',
      (s) => {
        delete (s.processes[0]!.vmas[0] as Record<string, unknown>).end;
        return s;
      },
      /^processes\[0\]\.vmas\[0\]\.end: missing \(expected string\)/,
    ],
    ['a wrong type', (s) => ((s.processes[0]!.vmas[0] as Record<string, unknown>).pgoff = '3', s), /^processes\[0\]\.vmas\[0\]\.pgoff: expected a whole number, got "3"$/],
    ['bad hex', (s) => ((s.processes[0]!.vmas[1] as Record<string, unknown>).start = '0x10000000g000', s), /^processes\[0\]\.vmas\[1\]\.start: expected a lower-case hex string.*got "0x10000000g000"/],
    ['a leading zero', (s) => ((s.config as Record<string, unknown>).mmap_base = '0x07ffff7fff000', s), /^config\.mmap_base: expected a lower-case hex string/],
    ['an unknown field', (s) => ({ ...s, extra: 1 }), /^extra: not a field of this format \(version 2\)/],
    ["version 1's page list", (s) => ({ ...s, processes: [{ ...s.processes[0]!, guard_pages: [] }] }), /^processes\[0\]\.guard_pages: not a field of this format \(version 2\)/],
    ['guard ranges missing', (s) => (delete (s.processes[0] as Record<string, unknown>).guard_ranges, s), /^processes\[0\]\.guard_ranges: missing \(expected array\)/],
    ['a guard range with a page', (s) => ((s.processes[0]!.guard_ranges as unknown[])[0] = '0x100000020000', s), /^processes\[0\]\.guard_ranges\[0\]: /],
    ['an unaligned guard range', (s) => (guards(s)[0]!.end = '0x100000020800', s), /^processes\[0\]\.guard_ranges\[0\]\.end: expected a page-aligned address at most 0x20000000000000, got "0x100000020800"/],
    ['a guard range beyond 2^53', (s) => (guards(s)[0]!.end = '0x20000000001000', s), /^processes\[0\]\.guard_ranges\[0\]\.end: expected a page-aligned address at most/],
    ['an empty guard range', (s) => (guards(s)[0]!.end = guards(s)[0]!.start, s), /^processes\[0\]\.guard_ranges\[0\]: expected start below end, got 0x100000020000-0x100000020000/],
    [
      'guard ranges that touch',
      (s) => (guards(s).push({ start: '0x100000021000', end: '0x100000022000' }), s),
      /^processes\[0\]\.guard_ranges\[1\]\.start: guard ranges must be in address order and apart \(ranges that touch are one range\); 0x100000021000 is not above the end of the range before it \(0x100000021000\)/,
    ],
    ['guard ranges out of order', (s) => (guards(s).push({ start: '0x1000', end: '0x2000' }), s), /^processes\[0\]\.guard_ranges\[1\]\.start: guard ranges must be in address order/],
    ['an unknown flag', (s) => ((s.processes[0]!.vmas[0]!.vmflags as string[]).push('zz'), s), /^processes\[0\]\.vmas\[0\]\.vmflags\[\d+\]: expected a VmFlags mnemonic vmasim knows .*got "zz"/],
    [
      'unordered ranges',
      (s) => {
        const v = s.processes[0]!.vmas as unknown[];
        [v[0], v[1]] = [v[1], v[0]];
        return s;
      },
      /^processes\[0\]\.vmas\[1\]\.start: VMAs must be in address order without overlap; 0x0 is below the end of the VMA before it \(0x3000\)/,
    ],
    ['overlapping ranges', (s) => ((s.processes[0]!.vmas[1] as Record<string, unknown>).start = '0x1000', s), /^processes\[0\]\.vmas\[1\]\.start: VMAs must be in address order without overlap; 0x1000 is below the end of the VMA before it \(0x2000\)/],
    ['start not below end', (s) => ((s.processes[0]!.vmas[0] as Record<string, unknown>).end = '0x0', s), /^processes\[0\]\.vmas\[0\]: expected start below end/],
    ['an unaligned address', (s) => ((s.processes[0]!.vmas[0] as Record<string, unknown>).end = '0x2001', s), /^processes\[0\]\.vmas\[0\]\.end: expected a page-aligned address, got "0x2001"/],
    ['a file that does not exist', (s) => ((s.processes[0]!.vmas[0] as Record<string, unknown>).file = 'nope', s), /^processes\[0\]\.vmas\[0\]\.file: expected the id of a file in "files", got "nope"/],
    ['a chain without its anon_vma last', (s) => ((s.processes[0]!.vmas[0] as Record<string, unknown>).anon_vma_chain = ['av1'], s), /^processes\[0\]\.vmas\[0\]\.anon_vma_chain: expected its anon_vma "x" as the last/],
    ['an anon_vma not listed', (s) => ((s.processes[0]!.vmas[0] as Record<string, unknown>).anon_vma_chain = ['zz', 'x'], s), /^processes\[0\]\.vmas\[0\]\.anon_vma_chain\[0\]: "zz" is not listed in "anon_vmas"/],
    ['a counter below an id in use', (s) => ((s.counters as Record<string, unknown>).next_anon_vma = 1, s), /^counters\.next_anon_vma: expected a number above 1 \(anon_vma av1 exists\), got 1/],
    ['a current process that does not exist', (s) => ({ ...s, current: 4 }), /^current: expected a process number below 1, got 4/],
    ['no processes', (s) => ({ ...s, processes: [] }), /^processes: expected at least one process/],
    ['not an object', () => [1, 2], /^\(the top level\): expected a JSON object/],
  ];

  it.each(cases)('%s', (_what, mutate, message) => {
    const r = readSnapshot(mutate(structuredClone(valid()) as Snapshot & Record<string, unknown>));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('reports text that is not JSON with its line and column', () => {
    const r = parseSnapshotText('{\n  "format": "vmasim-snapshot",\n  "version": 1,\n  oops\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^not valid JSON: line 4, column 3/);
  });

  it('an import that fails names the file and loads nothing', () => {
    const bad = JSON.stringify({ ...valid(), version: 7 });
    const r = loadImport('json', { text: bad, name: 'old.json' });
    expect(r).toEqual({ ok: false, error: 'old.json: version: this vmasim reads snapshot versions 1 and 2, the file has version 7' });
    expect(loadImport('json', { path: '/nonexistent/snap.json' })).toEqual({ ok: false, error: 'cannot read /nonexistent/snap.json: no such file' });
  });

  it('a valid snapshot reads back to itself', () => {
    const s = valid();
    expect(readSnapshot(JSON.parse(JSON.stringify(s)))).toEqual({ ok: true, snapshot: s });
    const { window: _w, history: _h, ...state } = s;
    expect(stateToSnapshot(snapshotToState(s))).toEqual(state);
  });
});

describe('JSON snapshots of version 1 (guard markers page by page)', () => {
  const GUARDED = `mmap 0x100000000000 64K rw- fixed
madvise 0x100000000000 16K guard_install
madvise 0x100000008000 8K guard_install
madvise 0x100000002000 4K guard_remove
`;
  /** The same state as version 1 wrote it: every marked page listed. */
  function asVersion1(s: Snapshot, pages: readonly string[]): Record<string, unknown> {
    const { guard_ranges: _ranges, ...p } = s.processes[0]!;
    return { ...s, version: 1, processes: [{ ...p, guard_pages: [...pages] }] };
  }
  const PAGES = ['0x100000000000', '0x100000001000', '0x100000003000', '0x100000008000', '0x100000009000'];
  const current = (): Snapshot => {
    const r = parseSnapshotText(exportedJson(GUARDED));
    if (!r.ok) throw new Error(r.error);
    return r.snapshot;
  };

  it('writes the markers as ranges of touching pages', () => {
    expect(current().version).toBe(2);
    expect(current().processes[0]!.guard_ranges).toEqual([
      { start: '0x100000000000', end: '0x100000002000' },
      { start: '0x100000003000', end: '0x100000004000' },
      { start: '0x100000008000', end: '0x10000000a000' },
    ]);
  });

  it('reads a version 1 file as the version 2 snapshot of the same state, and imports it', () => {
    const r = readSnapshot(asVersion1(current(), PAGES));
    expect(r).toEqual({ ok: true, snapshot: current() });
    const loaded = loadImport('json', { text: JSON.stringify(asVersion1(current(), PAGES)), name: 'v1.json' });
    if (!loaded.ok) throw new Error(loaded.error);
    const imported = applyImport(initialState(), loaded.data);
    expect(plain(imported)).toEqual(plain(currentState(run(GUARDED))));
    expect(validateState(imported)).toEqual([]);
  });

  it.each([
    ['pages out of order', ['0x100000001000', '0x100000000000'], /^processes\[0\]\.guard_pages\[1\]: expected addresses in ascending order without repeats$/],
    ['a page twice', ['0x100000000000', '0x100000000000'], /^processes\[0\]\.guard_pages\[1\]: expected addresses in ascending order without repeats$/],
    ['an unaligned page', ['0x100000000800'], /^processes\[0\]\.guard_pages\[0\]: expected a page-aligned address, got "0x100000000800"$/],
  ])('names the page that is wrong: %s', (_what, pages, message) => {
    const r = readSnapshot(asVersion1(current(), pages));
    expect(!r.ok && r.error).toMatch(message);
  });

  it("refuses version 2's ranges and other fields in a version 1 file, naming version 1", () => {
    const v1 = asVersion1(current(), PAGES);
    const withRanges = { ...v1, processes: [{ ...(v1.processes as Record<string, unknown>[])[0]!, guard_ranges: [] }] };
    expect(readSnapshot(withRanges)).toEqual({ ok: false, error: 'processes[0].guard_ranges: not a field of this format (version 1)' });
    expect(readSnapshot({ ...v1, extra: 1 })).toEqual({ ok: false, error: 'extra: not a field of this format (version 1)' });
  });
});
