import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { currentState } from '../commands/engine.js';
import { flagsToMnemonics } from '../kernel-sim/flags.js';
import { initialState, type SimState } from '../kernel-sim/state.js';
import { validateState } from '../kernel-sim/validate.js';
import { parseSmaps } from '../live/smaps.js';
import { mapsText, smapsText } from './export-maps.js';
import { exportScript } from './export-script.js';
import { applyImport } from './import-data.js';
import { importSmapsFromPid, loadImport } from './importers.js';
import { stateToSnapshot } from './json-snapshot.js';
import { run } from './testing/sessions.js';

/** A layout with every kind of VMA maps can show. */
const SCENARIO = `config anon_vma_name on
file data 64K
mmap 0x100000000000 12K rw- fixed
touch 0x100000000000
mprotect 0x100000001000 4K r--
mmap 0x100000010000 8K r-x fixed file=data off=8K
mmap 0x100000012000 8K rw- shared fixed file=data off=16K
mmap 0x100000020000 8K rw- shared fixed
mmap 0x100000030000 4K --- fixed
mmap 0x100000040000 8K rw- fixed
name 0x100000040000 8K heap-ish
`;

function imported(kind: 'maps' | 'smaps', text: string) {
  const r = loadImport(kind, { text, name: `x.${kind}` });
  if (!r.ok) throw new Error(r.error);
  return { state: applyImport(initialState(), r.data), notes: r.notes, data: r.data };
}

describe('maps and smaps export', () => {
  it('writes /proc/PID/maps lines for every VMA, not only the window', () => {
    const state = currentState(run(`${SCENARIO}vma add 0x1000 0x2000 1 rd,mr\n`));
    const lines = mapsText(state).split('\n');
    expect(lines[0]).toBe('00001000-00002000 r--p 00000000 00:00 0 ');
    expect(lines).toContain('100000010000-100000012000 r-xp 00002000 00:00 0                          data');
    expect(lines).toContain('100000020000-100000022000 rw-s 00000000 00:00 0                          /dev/zero (deleted)');
    expect(lines).toContain('100000040000-100000042000 rw-p 00000000 00:00 0                          [anon:heap-ish]');
    expect(mapsText(state).endsWith('\n')).toBe(true);
  });

  it('writes smaps fields in the order this kernel prints them, each VMA ending with its VmFlags', () => {
    const state = currentState(run(SCENARIO));
    const ours = parseSmaps(smapsText(state));
    const live = parseSmaps(readFileSync('/proc/self/smaps', 'utf8'));
    const liveOrder = Object.keys(live[0]!.fields).filter((f) => f !== 'ProtectionKey');
    for (const v of ours) expect(Object.keys(v.fields)).toEqual(liveOrder);
    expect(ours.map((v) => v.vmflags)).toEqual(state.processes[0]!.mm.vmas.toArray().map((v) => flagsToMnemonics(v.flags)));
    const touched = ours.find((v) => v.start === 0x100000000000n)!;
    expect(touched.fields.Size).toBe(4);
    expect(touched.fields.Anonymous).toBe(4);
    expect(ours.find((v) => v.start === 0x100000010000n)!.fields.Anonymous).toBe(0);
    expect(smapsText(state)).toMatch(/^VmFlags: rd wr mr mw me ac $/m);
    expect(smapsText(state)).toMatch(/^Size: {18}4 kB$/m);
    expect(smapsText(state)).toMatch(/^THPeligible: {11}0$/m);
  });
});

describe('maps and smaps import', () => {
  it('maps: export of an imported maps file gives the same text', () => {
    const text = mapsText(currentState(run(SCENARIO)));
    const { state } = imported('maps', text);
    expect(mapsText(state)).toBe(text);
    expect(validateState(state)).toEqual([]);
  });

  it('smaps: keeps ranges and VmFlags, and gives an anon_vma to VMAs with anonymous pages', () => {
    const original = currentState(run(SCENARIO));
    const { state, notes } = imported('smaps', smapsText(original));
    expect(mapsText(state)).toBe(mapsText(original));
    const a = original.processes[0]!.mm.vmas.toArray();
    const b = state.processes[0]!.mm.vmas.toArray();
    expect(b.map((v) => [v.start, v.end, v.flags, v.anonVma !== null, v.anonName])).toEqual(a.map((v) => [v.start, v.end, v.flags, v.anonVma !== null, v.anonName]));
    // Split from one VMA, the first two share an anon_vma; smaps cannot show that.
    expect(b[0]!.anonVma).not.toBe(b[1]!.anonVma);
    expect(notes.join('\n')).toMatch(/each VMA whose Anonymous is above 0 kB got one of its own \(3\)/);
  });

  it('maps: infers flags from the permissions, pgoff from the address, files from paths, and says so', () => {
    const { state, notes } = imported('maps', mapsText(currentState(run(SCENARIO))));
    const v = state.processes[0]!.mm.vmas.toArray();
    const anon = v.find((x) => x.start === 0x100000000000)!;
    expect(anon.pgoff).toBe(0x100000000000 / 4096);
    expect(anon.anonVma).toBeNull();
    const file = v.find((x) => x.start === 0x100000012000)!;
    expect(file.file).toBe('data');
    expect(file.pgoff).toBe(4);
    expect(state.files.data).toEqual({ id: 'data', kind: 'regular', name: 'data', size: 24576 });
    expect(state.files[v.find((x) => x.start === 0x100000020000)!.file!]!.kind).toBe('shmem');
    const text = notes.join('\n');
    expect(text).toMatch(/maps does not show anon_vmas/);
    expect(text).toMatch(/flags come from the permissions/);
    expect(text).toMatch(/pgoff = start \/ 4096/);
    expect(text).toMatch(/taken to end where its furthest mapping ends/);
    expect(text).toMatch(/one open file/);
    expect(text).toMatch(/shmem object of their own/);
  });

  it('imports this process\u2019s own /proc/self/smaps, leaving out [vsyscall]', () => {
    const text = readFileSync('/proc/self/smaps', 'utf8');
    const r = loadImport('smaps', { path: '/proc/self/smaps' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const parsed = parseSmaps(text).filter((v) => v.start < 0x7ffffffff000n);
    expect(Math.abs((r.data.kind === 'address-space' ? r.data.vmas.length : 0) - parsed.length)).toBeLessThanOrEqual(2);
    expect(r.notes.join('\n')).toMatch(/\[vsyscall\].*left out/);
    const state = applyImport(initialState(), r.data);
    expect(validateState(state)).toEqual([]);
    expect(state.processes[0]!.mm.vmas.size).toBeGreaterThan(5);
  });

  it('imports a running process by its pid', () => {
    const r = importSmapsFromPid(process.pid);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.data.source).toEqual({ kind: 'pid', pid: process.pid, path: `/proc/${process.pid}/smaps` });
    expect(importSmapsFromPid(2147483647)).toEqual({ ok: false, error: 'there is no process 2147483647 (/proc/2147483647/smaps does not exist)' });
    expect(importSmapsFromPid(-3).ok).toBe(false);
  });

  it('keeps imported VMAs as given: adjacent compatible VMAs stay apart', () => {
    const text = '100000000000-100000001000 rw-p 00000000 00:00 0 \n100000001000-100000002000 rw-p 00000000 00:00 0 \n';
    const { state } = imported('maps', text);
    expect(state.processes[0]!.mm.vmas.size).toBe(2);
  });

  it('maps: the largest OFFSET a file can hold is taken exactly', () => {
    const { state } = imported('maps', '100000000000-100000002000 r--s 1fffffffffd000 00:00 0 /f\n');
    expect(state.files['/f']!.size).toBe(Number.MAX_SAFE_INTEGER - 4095);
    expect(state.processes[0]!.mm.vmas.toArray()[0]!.pgoff).toBe(2 ** 41 - 3);
  });

  it('every export keeps regular files and shmem objects apart, and json, script, maps and smaps import back', () => {
    const engine = run('file my-shmem:1 16K\nmmap 0x100000000000 4K rw- shared fixed\nmmap 0x100000001000 4K r-- shared fixed file=my-shmem:1\nmmap 0x100000002000 4K rw- shared fixed\n');
    const state = currentState(engine);
    const kinds = (s: SimState) => s.processes[0]!.mm.vmas.toArray().map((v) => [v.file === null ? null : s.files[v.file]!.kind, v.file]);
    expect(kinds(state)).toEqual([['shmem', 'shmem:1'], ['regular', 'my-shmem:1'], ['shmem', 'shmem:2']]);

    const json = loadImport('json', { text: JSON.stringify(stateToSnapshot(state)), name: 's.json' });
    if (!json.ok) throw new Error(json.error);
    expect(stateToSnapshot(applyImport(initialState(), json.data))).toEqual(stateToSnapshot(state));

    const script = exportScript(engine, {});
    if (!script.ok) throw new Error(script.error);
    expect(stateToSnapshot(currentState(run(script.text)))).toEqual(stateToSnapshot(state));

    for (const kind of ['maps', 'smaps'] as const) {
      const back = imported(kind, kind === 'maps' ? mapsText(state) : smapsText(state)).state;
      // Each shared anonymous VMA is given a shmem object of its own, in order; the file keeps its name.
      expect(kinds(back), kind).toEqual(kinds(state));
      expect(back.files['my-shmem:1'], kind).toMatchObject({ kind: 'regular', size: 4096 });
    }
  });

  it('reuses a file the machine has, and gives fresh anon_vma ids', () => {
    const host = currentState(run('file data 64K\nvma add 0x1000 0x2000 1 rd,wr,mr,mw av=av1\nfork\n'));
    const r = loadImport('smaps', { text: smapsText(currentState(run(SCENARIO))), name: 'x.smaps' });
    if (!r.ok) throw new Error(r.error);
    const state = applyImport(host, r.data);
    expect(state.files.data).toBe(host.files.data);
    const ids = state.processes[0]!.mm.vmas.toArray().flatMap((v) => v.anonVmaChain);
    expect(ids).not.toContain('av1');
    expect(new Set(ids).size).toBe(ids.length);
    expect(state.processes[1]).toBe(host.processes[1]);
    expect(validateState(state)).toEqual([]);
  });

  const H = '100000000000-100000001000 rw-p 00000000 00:00 0 ';
  const bad: [string, 'maps' | 'smaps', string, RegExp][] = [
    ['a truncated line', 'maps', `${H}\n100000001000-100000002000 rw-p 00000000 00:00\n`, /^x\.maps: line 2: the line ends before INODE: expected START-END PERMS OFFSET MAJ:MIN INODE \[PATH\]/],
    ['a line cut after the range', 'maps', '100000000000-100000001000\n', /^x\.maps: line 1: the line ends before PERMS/],
    ['bad hex in an address', 'maps', '10000000g000-100000001000 rw-p 00000000 00:00 0\n', /^x\.maps: line 1: the start address '10000000g000' is not lower-case hex/],
    ['bad hex in the offset', 'maps', '100000000000-100000001000 rw-p 0000zz00 00:00 0\n', /^x\.maps: line 1: expected OFFSET in hex, got '0000zz00'/],
    ['bad permissions', 'maps', '100000000000-100000001000 rwzp 00000000 00:00 0\n', /^x\.maps: line 1: expected PERMS like rw-p/],
    ['a bad device', 'maps', '100000000000-100000001000 rw-p 00000000 0:0 0\n', /^x\.maps: line 1: expected the device as MAJ:MIN/],
    ['overlapping ranges', 'maps', `${H}\n100000000800-100000003000 rw-p 00000000 00:00 0\n`, /^x\.maps: line 2: the range 100000000800-100000003000 is not page aligned/],
    [
      'overlapping aligned ranges',
      'maps',
      `100000000000-100000003000 rw-p 00000000 00:00 0\n100000002000-100000004000 rw-p 00000000 00:00 0\n`,
      /^x\.maps: line 2: the range 100000002000-100000004000 overlaps the VMA on line 1 \(100000000000-100000003000\)/,
    ],
    ['unordered ranges', 'maps', `100000005000-100000006000 rw-p 00000000 00:00 0\n${H}\n`, /^x\.maps: line 2: the range 100000000000-100000001000 comes before the VMA on line 1/],
    ['an empty range', 'maps', '100000001000-100000001000 rw-p 00000000 00:00 0\n', /^x\.maps: line 1: the range 100000001000-100000001000 is empty or inverted/],
    ['an unaligned offset', 'maps', '100000000000-100000001000 rw-p 00000800 00:00 0 /x\n', /^x\.maps: line 1: the offset 800 is not page aligned/],
    ['a blank line inside', 'maps', `${H}\n\n${H}\n`, /^x\.maps: line 2: blank line inside maps text/],
    ['smaps text given as maps', 'maps', `${H}\nSize: 4 kB\nVmFlags: rd wr mr mw me ac \n`, /^x\.maps: line 2: expected a maps line .* \(this looks like smaps text: import it as smaps\)/],
    ['maps text given as smaps', 'smaps', `${H}\n`, /^x\.smaps: line 1: the VMA that starts here has no VmFlags line \(a maps file\? import it as maps\)/],
    ['a truncated smaps header', 'smaps', `100000000000-100000001000 rw-p 00000000\nVmFlags: rd \n`, /^x\.smaps: line 1: the line ends before MAJ:MIN/],
    ['bad hex in an smaps header', 'smaps', `100000000000-1000000010z0 rw-p 00000000 00:00 0\nVmFlags: rd \n`, /^x\.smaps: line 1: the end address '1000000010z0' is not lower-case hex/],
    ['a VmFlags line that disagrees with the permissions', 'smaps', `${H}\nVmFlags: rd mr mw me \n`, /^x\.smaps: line 1: the permissions rw-p disagree with the VmFlags line \(it lacks wr\)/],
    ['an unknown VmFlags word', 'smaps', `${H}\nVmFlags: rd wr mr mw me qq \n`, /^x\.smaps: line 1: VmFlags 'qq' is not a flag vmasim knows/],
    ['a non-numeric field', 'smaps', `${H}\nRss: lots kB\nVmFlags: rd wr \n`, /^x\.smaps: line 2: the value of 'Rss' is not a number/],
    [
      'an OFFSET that takes a file past 2^53 bytes',
      'maps',
      `${H}\n100000001000-100000003000 r--s 1fffffffffe000 00:00 0 /f\n`,
      /^x\.maps: line 2: OFFSET 1fffffffffe000 is too large: the mapping would end 0x20000000000000 bytes into its file, above the 2\^53 - 1 bytes a file may have$/,
    ],
    ['an OFFSET that takes shared anonymous memory past 2^53 bytes', 'maps', `100000000000-100000001000 rw-s fffffffffffff000 00:00 0\n`, /^x\.maps: line 1: OFFSET fffffffffffff000 is too large/],
    ['a path shaped like a shmem id', 'maps', `${H}\n100000001000-100000002000 r--p 00000000 00:00 0 shmem:7\n`, /^x\.maps: line 2: the path 'shmem:7' starts with 'shmem:'/],
    ['an anonymous name prctl refuses', 'maps', `100000000000-100000001000 rw-p 00000000 00:00 0 [anon:a[b]\n`, /^x\.maps: line 1: the anonymous name 'a\[b' holds '\[', which the kernel refuses/],
  ];

  it.each(bad)('refuses %s, naming the line', (_what, kind, text, message) => {
    const r = loadImport(kind, { text, name: `x.${kind}` });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
