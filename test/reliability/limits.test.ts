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

describe('sizes without a bound, where it already hurts', () => {

  // Messages quote what they were given whole: a 1 MB value gives a 1 MB message.
  it.fails('a refused import quotes at most a little of a huge value', () => {
    const s = stateToSnapshot(run('file f 4K').state!);
    const r = loadImport('json', { text: JSON.stringify({ ...s, format: 'x'.repeat(1_000_000) }), name: 'huge.json' });
    expect(!r.ok && r.error.length).toBeLessThan(1000);
  });

  // A snapshot may hold any number of VMAs: 400,000 import in 5.5 s and 700 MB here, far above
  // its own max_map_count (a state the kernel cannot reach).
  it.fails('import json refuses more VMAs in a process than the snapshot\'s max_map_count', () => {
    const lines = ['config max_map_count 10', ...Array.from({ length: 20 }, (_, i) => `vma add 0x${(0x1000 + i * 0x2000).toString(16)} 0x${(0x2000 + i * 0x2000).toString(16)} 0 rd`)];
    const r = loadImport('json', { text: JSON.stringify(stateToSnapshot(run(lines.join('\n')).state!)), name: 'many.json' });
    expect(r.ok).toBe(false);
  });

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

