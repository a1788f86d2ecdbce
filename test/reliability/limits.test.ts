/**
 * Limits: every size a user controls, and what bounds it. The bounds that
 * exist are tested here (or, where noted, in the corpus and fault tests);
 * where a size has no bound and that already hurts (a crash, a hang, a cost
 * that grows without end), the test says what should hold and is marked as
 * failing until the bound exists. The README's Reliability section lists
 * every size, bounded or not.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { currentState } from '../../commands/engine.js';
import { MAX_LINE_LENGTH } from '../../commands/lexer.js';
import { newParseContext } from '../../commands/parse-context.js';
import { formatParseError } from '../../commands/parse-error.js';
import { parseLine } from '../../commands/parse.js';
import { runScenario } from '../../commands/run-scenario.js';
import { InputHistory, MAX_ENTRIES } from '../../cli/repl/input-history.js';
import { MAX_TRANSCRIPT, ReplController } from '../../cli/repl/repl-controller.js';
import { completionProvider } from '../../cli/repl/tab-complete.js';
import { simSession } from './support/session.js';
import { applyImport } from '../../snapshots/import-data.js';
import { MAX_VMAS } from '../../kernel-sim/sim-limits.js';
import { loadImport } from '../../snapshots/importers.js';
import { stateToSnapshot } from '../../snapshots/json-snapshot.js';
import { sandbox } from './support/sandbox.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const box = sandbox();
afterAll(() => box.remove());

function run(text: string) {
  const r = runScenario(text, 'limits.vma');
  if (!r.ok) return { message: r.message, results: [] as { ret: unknown; errno: string | null }[] };
  return { message: null, results: r.report.results, state: currentState(r.engine) };
}

describe('bounds that exist', () => {
  it('numbers: 64 bits, before and after the suffix', () => {
    expect(run('munmap 0x100000000000 18446744073709551616').message).toMatch(/limits\.vma:1:23: LEN .* does not fit in 64 bits$/);
    expect(run('munmap 0x100000000000 17179869184G').message).toMatch(/does not fit in 64 bits once multiplied by its suffix$/);
    expect(run('munmap 0x100000000000 0xffffffffffffffff').results[0]).toMatchObject({ ret: -1, errno: 'EINVAL' });
  });

  it('file SIZE: at most 2^53 - 1 bytes', () => {
    expect(run('file f 0x1fffffffffffff').message).toBeNull();
    expect(run('file f 0x20000000000000').message).toBe('limits.vma:1: file size 9007199254740992 is too large');
  });

  it('config: max_map_count up to 2^31 - 1, mmap_base within the user address range', () => {
    expect(run('config max_map_count 2147483647').message).toBeNull();
    expect(run('config max_map_count 2147483648').message).toMatch(/above the kernel's limit of 2147483647/);
    expect(run('config mmap_base 0x7ffffffff000').message).toBeNull();
    expect(run('config mmap_base 0x800000000000').message).toMatch(/between 0x10000 and 0x7ffffffff000/);
  });

  it('window: END at most 2^53; the internal VMA API: addresses below 2^53', () => {
    expect(run('window 0 0x20000000000000').message).toBeNull();
    expect(run('window 0 0x20000000000001').message).toMatch(/beyond the address space/);
    expect(run('vma add 0x1ffffffffff000 0x20000000000000 0 rd').results[0]).toMatchObject({ ret: -1, errno: 'EINVAL' });
  });

  it('undo, redo, goto: any 64-bit count is taken, at once', () => {
    const t0 = performance.now();
    const r = run('mmap 0x100000000000 4K rw- fixed\nundo 18446744073709551615\nredo 18446744073709551615\n');
    expect(r.message).toBeNull();
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('max_map_count: a system call never takes a process past it (by more than the one mmap may add)', () => {
    // A 3-page VMA, then single pages with holes between them, until mmap refuses (map_count > max).
    const lines = ['config max_map_count 8', 'mmap 0x100000000000 12K rw- fixed'];
    for (let i = 0; i < 10; i++) lines.push(`mmap 0x${(0x100000010000 + i * 0x2000).toString(16)} 4K rw- fixed`);
    // At the limit: a split is refused (munmap of a middle page, mprotect of one), a whole VMA goes.
    lines.push('munmap 0x100000001000 4K', 'mprotect 0x100000001000 4K r--', 'munmap 0x100000010000 4K');
    const r = run(lines.join('\n'));
    expect(r.results.map((x) => x.errno)).toEqual([null, null, null, null, null, null, null, null, null, 'ENOMEM', 'ENOMEM', 'ENOMEM', 'ENOMEM', null]);
    expect(r.state!.processes[0]!.mm.vmas.size).toBe(8);
  });

  it('anonymous VMA names: under 80 characters, printable', () => {
    const r = run(`config anon_vma_name on\nmmap 0x100000000000 4K rw- fixed\nname 0x100000000000 4K ${'n'.repeat(79)}\nname 0x100000000000 4K ${'n'.repeat(80)}\nname 0x100000000000 4K a$b`);
    expect(r.results.slice(1).map((x) => x.errno)).toEqual([null, 'EINVAL', 'EINVAL']);
  });

  it('the REPL: at most 1,000 lines of input history, at most 2,000 addresses offered by Tab', () => {
    const h = new InputHistory();
    for (let i = 0; i < 1500; i++) h.add(`munmap ${i} 4K`);
    expect(h.entries).toHaveLength(MAX_ENTRIES);
    expect(MAX_ENTRIES).toBe(1000);
    const lines = ['config max_map_count 5000'];
    for (let i = 0; i < 2500; i++) lines.push(`vma add 0x${(0x1000 + i * 0x2000).toString(16)} 0x${(0x2000 + i * 0x2000).toString(16)} 0 rd`);
    const offered = completionProvider(run(lines.join('\n')).state!)('address', '0x');
    expect(offered).toHaveLength(2000);
  });

  it('JSON snapshots: counts and sizes below 2^53, max_map_count up to 2^31 - 1 (more in corpus/json)', () => {
    const s = stateToSnapshot(run('file f 4K').state!);
    const big = { ...s, files: [{ ...s.files[0]!, size: 2 ** 53 }] };
    const r = loadImport('json', { text: JSON.stringify(big), name: 'big.json' });
    // (The message says "expected a whole number" of 2^53, which is one: zod's int() means a safe integer.)
    expect(!r.ok && r.error).toMatch(/^big\.json: files\[0\]\.size: expected a (whole )?number.*9007199254740992/);
  });

  // Messages quote the start of what they were given and its length: a 1 MB value once gave a 1 MB message.
  it('a refused import quotes at most a little of a huge value', () => {
    const s = stateToSnapshot(run('file f 4K').state!);
    const r = loadImport('json', { text: JSON.stringify({ ...s, format: 'x'.repeat(1_000_000) }), name: 'huge.json' });
    expect(!r.ok && r.error).toBe(`huge.json: format: expected "vmasim-snapshot", got "${'x'.repeat(60)}"… (1,000,000 characters)`);
    const key = loadImport('json', { text: JSON.stringify({ ...s, ['k'.repeat(1_000_000)]: 1 }), name: 'huge.json' });
    expect(!key.ok && key.error.length).toBeLessThan(300);
    const script = loadImport('script', { text: `munmap 0x100000000000 ${'9'.repeat(1_000_000)}\n`, name: 'huge.vma' });
    expect(!script.ok && script.error).toMatch(/^huge\.vma:1:\d+: .{1,300}$/);
    for (const kind of ['maps', 'smaps'] as const) {
      const line = loadImport(kind, { text: `100000000000-100000001000 rw-p 00000000 00:00 0 ${'/'.repeat(1_000_000)}\n${'z'.repeat(1_000_000)}\n`, name: 'huge' });
      expect(!line.ok && line.error.length, kind).toBeLessThan(400);
    }
  });

  // A snapshot could hold any number of VMAs (400,000 took 5.5 s and 700 MB to import). vmasim
  // holds at most MAX_VMAS in a process (kernel-sim/sim-limits.ts), whatever max_map_count says:
  // the kernel goes past max_map_count itself (a munmap refused at a sealed VMA keeps its split; the
  // sysctl may be lowered below what a process holds), and the simulator follows it there.
  it('a snapshot with more VMAs in a process than vmasim holds is refused before its VMAs are read; max_map_count is not that bound', () => {
    const adds = (k: number) => Array.from({ length: k }, (_, i) => `vma add 0x${(0x1000 + i * 0x2000).toString(16)} 0x${(0x2000 + i * 0x2000).toString(16)} 0 rd`);
    // The internal API links as the kernel's harness does, whatever map_count; the setting may drop below it.
    const many = run(['config max_map_count 10', ...adds(20), 'config max_map_count 5'].join('\n'));
    expect(many.message).toBeNull();
    expect(many.results.map((x) => x.errno)).toEqual(Array<null>(20).fill(null));
    expect(many.state!.processes[0]!.mm.vmas.size).toBe(20);
    const s = stateToSnapshot(many.state!);
    expect(loadImport('json', { text: JSON.stringify(s), name: 'many.json' }).ok).toBe(true);

    const huge = { ...s, processes: [{ ...s.processes[0]!, vmas: new Array<number>(MAX_VMAS + 1).fill(0) }] };
    const r = loadImport('json', { text: JSON.stringify(huge), name: 'huge.json' });
    expect(!r.ok && r.error).toBe('huge.json: processes[0].vmas: 4,194,305 VMAs, more than the 4,194,304 vmasim holds in one process');
    const busy = run([...adds(3), 'fork', 'process 1'].join('\n')).state!;
    const loaded = loadImport('json', { text: JSON.stringify(s), name: 'many.json' });
    if (!loaded.ok) throw new Error(loaded.error);
    expect(applyImport(busy, loaded.data).processes[1]!.mm.vmas.size).toBe(20);
  });
});

describe('counts and names a user controls', () => {
  const snapshotOf = (text: string) => stateToSnapshot(run(text).state!);
  const importJson = (value: unknown) => loadImport('json', { text: JSON.stringify(value), name: 's.json' });
  const error = (r: ReturnType<typeof loadImport>) => (r.ok ? 'accepted' : r.error);

  it('processes: process 0 and 511 forks, as the native helper runs; a snapshot holds no more', () => {
    const forks = (k: number) => Array<string>(k).fill('fork').join('\n');
    const most = run(forks(511));
    expect(most.message).toBeNull();
    expect(most.state!.processes).toHaveLength(512);
    expect(run(forks(512)).message).toBe('limits.vma:512: fork: there are 512 processes already (process 0 and 511 forks), the most vmasim runs');
    const s = stateToSnapshot(most.state!);
    expect(importJson(s).ok).toBe(true);
    const more = { ...s, processes: [...s.processes, { ...s.processes[511]!, process: 512 }] };
    expect(error(importJson(more))).toBe('s.json: processes: 513 processes, more than the 512 vmasim runs (process 0 and 511 forks)');
  });

  it('files: 1,024 regular files, as the native helper opens; shmem objects are not counted', () => {
    const files = (k: number) => Array.from({ length: k }, (_, i) => `file f${i} 4K`);
    const most = run([...files(1024), 'mmap 0x100000000000 4K rw- shared fixed'].join('\n'));
    expect(most.message).toBeNull();
    expect(Object.keys(most.state!.files)).toHaveLength(1025);
    expect(run(files(1025).join('\n')).message).toBe('limits.vma:1025: file f1024: there are 1,024 files already, the most vmasim holds');

    const s = stateToSnapshot(most.state!);
    expect(importJson(s).ok).toBe(true);
    const more = { ...s, files: [...s.files, { id: 'g', kind: 'regular', name: 'g', size: 4096 }] };
    expect(error(importJson(more))).toBe('s.json: files[1025]: a regular file beyond the 1,024 vmasim holds');

    const line = (i: number) => `${(0x100000000000 + i * 0x1000).toString(16)}-${(0x100000001000 + i * 0x1000).toString(16)} r--p 00000000 08:01 12 /lib/f${i}`;
    const maps = (k: number) => Array.from({ length: k }, (_, i) => line(i)).join('\n');
    expect(loadImport('maps', { text: maps(1024), name: 'm' }).ok).toBe(true);
    expect(error(loadImport('maps', { text: maps(1025), name: 'm' }))).toBe('m: line 1025: a path beyond the 1,024 files vmasim holds');
    // Into a session that has files of its own: the sum counts.
    const loaded = loadImport('maps', { text: maps(2), name: 'm' });
    if (!loaded.ok) throw new Error(loaded.error);
    expect(() => applyImport(run(files(1023).join('\n')).state!, loaded.data)).toThrow('the import would make 1,025 files, more than the 1,024 vmasim holds');
  });

  it('file NAMEs and imported paths: at most 4,095 bytes (PATH_MAX less its NUL)', () => {
    expect(run(`file ${'n'.repeat(4095)} 4K`).message).toBeNull();
    expect(run(`file ${'n'.repeat(4096)} 4K`).message).toBe(`limits.vma:1:6: NAME '${'n'.repeat(60)}… (4,096 characters)' is 4,096 bytes long, more than the 4,095 a path may have`);
    // Bytes, as the kernel counts: 2,048 two-byte characters are too many.
    expect(run(`file ${'é'.repeat(2048)} 4K`).message).toMatch(/^limits\.vma:1:6: NAME '.*' is 4,096 bytes long/);
    const path = (name: string) => `100000000000-100000001000 r--p 00000000 08:01 12 /${name}\n`;
    expect(loadImport('maps', { text: path('p'.repeat(4094)), name: 'm' }).ok).toBe(true);
    expect(error(loadImport('maps', { text: path('p'.repeat(4095)), name: 'm' }))).toMatch(/^m: line 1: the path '\/p+… \(4,096 characters\)' is 4,096 bytes long, more than the 4,095 a path may have$/);
    const s = snapshotOf('file f 4K');
    const long = 'f'.repeat(4096);
    expect(error(importJson({ ...s, files: [{ id: long, kind: 'regular', name: long, size: 4096 }] }))).toMatch(/^s\.json: files\[0\]\.name: 'f+… \(4,096 characters\)' is 4,096 bytes long/);
  });

  it('av= labels and snapshot anon_vma ids: at most 64 bytes', () => {
    expect(run(`vma add 0x1000 0x2000 0 rd av=${'a'.repeat(64)}`).results[0]).toMatchObject({ ret: 0, errno: null });
    expect(run(`vma add 0x1000 0x2000 0 rd av=${'a'.repeat(65)}`).message).toMatch(/^limits\.vma:1:31: ID 'a+… \(65 characters\)' is 65 bytes long, more than the 64 an anon_vma label may have$/);
    const s = snapshotOf('vma add 0x1000 0x2000 0 rd av=a');
    const id = 'b'.repeat(65);
    const renamed = JSON.parse(JSON.stringify(s).replaceAll('"a"', JSON.stringify(id))) as typeof s;
    expect(error(importJson(renamed))).toMatch(/^s\.json: anon_vmas\[0\]\.id: 'b+… \(65 characters\)' is 65 bytes long/);
  });

  it('anonymous names in a snapshot or in maps: what prctl allows (under 80 printable characters)', () => {
    const s = snapshotOf('config anon_vma_name on\nmmap 0x100000000000 4K rw- fixed\nname 0x100000000000 4K heap');
    const named = (name: string) => JSON.parse(JSON.stringify(s).replace('"heap"', JSON.stringify(name))) as typeof s;
    expect(importJson(named('n'.repeat(79))).ok).toBe(true);
    expect(error(importJson(named('n'.repeat(80))))).toMatch(/^s\.json: processes\[0\]\.vmas\[0\]\.name: 'n+… \(80 characters\)' is 80 characters long, more than the kernel's 79$/);
    expect(error(importJson(named('a$b')))).toBe("s.json: processes[0].vmas[0].name: 'a$b' holds '$', which the kernel refuses in a name (printable ASCII only, without \\ ` $ [ ])");
    const maps = (name: string) => loadImport('maps', { text: `100000000000-100000001000 rw-p 00000000 00:00 0 [anon:${name}]\n`, name: 'm' });
    expect(maps('n'.repeat(79)).ok).toBe(true);
    expect(error(maps('n'.repeat(80)))).toMatch(/^m: line 1: the anonymous name 'n+… \(80 characters\)' is 80 characters long/);
    expect(error(maps('tab\there'))).toMatch(/^m: line 1: the anonymous name 'tab\there' holds U\+0009/);
  });
});

describe('bounds that exist: lines and the terminal REPL', () => {
  // A line holds at most MAX_LINE_LENGTH characters, in a file, at the prompt and on a pipe; words
  // longer than MAX_SLIP_LENGTH get no did-you-mean (commands/suggest.ts), and a message quotes at
  // most an excerpt of a word (commands/printable.ts).
  it('a 20,000-character line is refused at once, with a short message', () => {
    const t0 = performance.now();
    const r = parseLine('x'.repeat(20_000), newParseContext(), { file: 'long.vma', line: 1 });
    const ms = performance.now() - t0;
    expect(r.kind === 'error' && formatParseError(r.error)).toBe(`long.vma:1:${MAX_LINE_LENGTH + 1}: the line has 20000 characters; at most ${MAX_LINE_LENGTH} are allowed`);
    expect(ms).toBeLessThan(100);
  });

  it('the longest line allowed, one word, is refused as quickly, quoting an excerpt of it', () => {
    const t0 = performance.now();
    const r = parseLine('x'.repeat(MAX_LINE_LENGTH), newParseContext(), { file: 'long.vma', line: 1 });
    const ms = performance.now() - t0;
    expect(r.kind === 'error' && r.error.message).toBe(`expected a command, got '${'x'.repeat(40)}…${'x'.repeat(12)}' (${MAX_LINE_LENGTH} characters) (type 'help' for the list)`);
    expect(ms).toBeLessThan(100);
  });

  it('the same limit, with the same message, in `vmasim run`, the REPL on a pipe and at the prompt', async () => {
    const text = `fork\nmunmap 0x100000000000 ${'1'.repeat(MAX_LINE_LENGTH)}\nfork\n`;
    const expected = `:2:${MAX_LINE_LENGTH + 1}: the line has ${MAX_LINE_LENGTH + 22} characters; at most ${MAX_LINE_LENGTH} are allowed`;
    expect(run(text).message).toBe(`limits.vma${expected}`);
    const piped = await cli(['--empty'], text, 30_000);
    expect(piped.stderr).toBe(`<stdin>${expected}\n`);
    expect(piped.stdout).toMatch(/^1: fork.*\n(.*\n)*3: fork/);
    const session = simSession(box.dir);
    const c = new ReplController({ session, ctx: newParseContext(), history: new InputHistory(), historyPath: null, size: { columns: 80, rows: 24 } });
    c.run('fork');
    c.run(text.split('\n')[1]!);
    session.close();
    expect(c.transcript.at(-1)!.text).toBe(`column ${MAX_LINE_LENGTH + 1}: the line has ${MAX_LINE_LENGTH + 22} characters; at most ${MAX_LINE_LENGTH} are allowed`);
    expect(c.transcript.at(-2)!.text).toMatch(new RegExp(`^vmasim> munmap 0x100000000000 1+… \\(${MAX_LINE_LENGTH + 22} characters\\)$`));
    expect(c.transcript.at(-2)!.text.length).toBeLessThan(300);
  });

  // The terminal REPL keeps the latest MAX_TRANSCRIPT lines (up to twice as many between two
  // frames); older ones have been printed for good. Each line is added in place, not by copying.
  it('the terminal REPL keeps a bounded transcript: 2,500 lines leave at most 2,000 entries', () => {
    const session = simSession(box.dir);
    const c = new ReplController({ session, ctx: newParseContext(), history: new InputHistory(), historyPath: null, size: { columns: 80, rows: 24 } });
    for (let i = 0; i < 2500; i++) c.run(i % 2 ? 'munmap 0x100000000000 4K' : 'mmap 0x100000000000 4K rw- fixed');
    session.close();
    expect(c.transcript.length).toBeLessThanOrEqual(2000);
    expect(c.transcript.length).toBeGreaterThanOrEqual(MAX_TRANSCRIPT);
    // The newest lines are the ones kept, numbered on from the first.
    expect(c.transcript.at(-1)!.text).toMatch(/^ {4}- /);
    const ids = c.transcript.map((t) => t.id);
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));
  });
});

describe('sizes that once hurt: guard ranges, FIFOs', () => {

  // Guard markers are kept as page ranges (kernel-sim/guard-markers.ts): a call costs the same over
  // 4 KiB as over 1 TiB, and each call adds at most a few ranges, so they grow as the history does.
  it('guard markers have no bound in pages: 1 TiB of them install, fault and clear page by page', () => {
    const r = run([
      'mmap 0x100000000000 0x10000000000 r-- fixed',
      'madvise 0x100000000000 0x10000000000 guard_install',
      'touch 0x100000000000 read',
      'touch 0x10fffffff000 read',
      'madvise 0x108000000000 4K guard_remove',
      'touch 0x108000000000 read',
      'touch 0x107ffffff000 8K read',
      'touch 0x108000001000 read',
      'munmap 0x100000000000 0x8000000000',
      'mmap 0x100000000000 4K r-- fixed',
      'touch 0x100000000000 read',
    ].join('\n'));
    expect(r.message).toBeNull();
    expect(r.results.map((x) => x.errno)).toEqual([null, null, 'SIGSEGV', 'SIGSEGV', null, null, 'SIGSEGV', 'SIGSEGV', null, null, null]);
    expect(r.state!.processes[0]!.mm.guards.toArray()).toEqual([{ start: 0x108000001000, end: 0x110000000000 }]);
  });

  it('guard_install over 4 GiB costs no more than over 4 KiB', () => {
    const t0 = performance.now();
    const r = run('mmap 0x100000000000 0x100000000 r-- fixed\nmadvise 0x100000000000 0x100000000 guard_install');
    expect(r.results[1]).toMatchObject({ ret: 0, errno: null });
    expect(performance.now() - t0).toBeLessThan(50);
  });

  it('guard_install over 1 TiB gives a result, not an internal error', async () => {
    const r = await cli(['run', '-'], 'mmap 0x100000000000 0x10000000000 r-- fixed\nmadvise 0x100000000000 0x10000000000 guard_install\n', 60_000);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
  }, 90_000);

  // `import` and `vmasim run` read the whole file, whatever it is: a FIFO without a writer blocks
  // the REPL for good, /dev/zero grows memory until the process aborts. Regular files only, and a
  // size limit, would make these refusals.
  it('import of a FIFO is refused at once, and the REPL goes on', async () => {
    const fifo = join(box.dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const r = await cli(['--empty'], `import json ${fifo}\nmmap 0x100000000000 4K rw- fixed\n`, 1_200);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/2: mmap/);
  });

});

function cli(args: readonly string[], input: string, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: box.dir, env: { ...process.env, HOME: box.dir }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

