/**
 * The corpus of hostile inputs (test/reliability/corpus/): every file goes
 * through the entry point that reads it, and must give what expected.json
 * says. Scenarios run both as `vmasim run` does and through the REPL reading
 * a pipe; snapshots, maps and smaps are imported, alone and into a session;
 * journals are resumed as `vmasim --session` does. A few files also go
 * through the built `vmasim` command, to see what a user sees.
 *
 * Beyond each file's expectation: nothing throws, messages carry no stack
 * trace, a refused import leaves the session as it was, and every state that
 * results is valid and survives a JSON export and import.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentState } from '../../commands/engine.js';
import { newParseContext } from '../../commands/parse-context.js';
import { runScenario } from '../../commands/run-scenario.js';
import { lineMode } from '../../cli/repl/line-mode.js';
import { openSession } from '../../cli/repl/open-session.js';
import { runLine } from '../../cli/repl/run-line.js';
import type { ImportKind } from '../../commands/ast.js';
import { loadImport } from '../../snapshots/importers.js';
import { applyImport } from '../../snapshots/import-data.js';
import { initialState } from '../../kernel-sim/state.js';
import { scanJournal } from '../../store/journal.js';
import { messageProblems, stderrProblems } from './support/checks.js';
import { stateProblems } from './support/round-trip.js';
import { fingerprint, sandbox } from './support/sandbox.js';
import { changes, observe, simSession } from './support/session.js';

const CORPUS = fileURLToPath(new URL('./corpus/', import.meta.url));
const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

type Expect = string | { readonly line?: number; readonly column?: number; readonly match?: string; readonly any?: boolean; readonly pipe?: string; readonly known?: string };
type JournalExpect = { readonly status: string; readonly events: number; readonly position: number; readonly line?: number; readonly drift?: number; readonly cancelled?: number; readonly known?: string };
const EXPECTED = JSON.parse(readFileSync(join(CORPUS, 'expected.json'), 'utf8')) as {
  scenarios: Record<string, Expect>;
  json: Record<string, Expect>;
  maps: Record<string, Expect>;
  smaps: Record<string, Expect>;
  journals: Record<string, JournalExpect>;
};

const known = (e: Expect | JournalExpect) => (typeof e === 'object' && e.known !== undefined ? it.fails : it);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const box = sandbox();
const SCEN = join(box.dir, 'scenarios');
beforeAll(() => {
  cpSync(join(CORPUS, 'scenarios'), SCEN, { recursive: true });
  writeFileSync(join(SCEN, 'existing.json'), '{"kept": true}\n');
  mkdirSync(join(SCEN, 'folder'));
});
afterAll(() => box.remove());

describe('the corpus', () => {
  it('has an expectation for every file, and a file for every expectation', () => {
    for (const kind of ['scenarios', 'json', 'maps', 'smaps', 'journals'] as const) {
      expect(readdirSync(join(CORPUS, kind)).sort(), kind).toEqual(Object.keys(EXPECTED[kind]).sort());
    }
  });
});

/** Checks a message against a scenario's expectation: `FILE:LINE[:COLUMN]: ...`. */
function checkScenarioMessage(message: string, exp: Expect, file: string, input: string): void {
  if (exp === 'ok' || exp === 'any' || typeof exp !== 'object' || exp.any) return;
  const place = `${escape(file)}:${exp.line}${exp.column ? `:${exp.column}` : ''}: `;
  expect(message).toMatch(new RegExp(`^${place}`));
  expect(message.slice(message.indexOf(': ') + 2)).toMatch(new RegExp(exp.match ?? ''));
  expect(messageProblems(message, input)).toEqual([]);
}

describe('scenarios, as `vmasim run` reads them', () => {
  for (const [name, exp] of Object.entries(EXPECTED.scenarios)) {
    known(exp)(name, () => {
      const path = join(SCEN, name);
      const text = readFileSync(path, 'utf8');
      const files = fingerprint(SCEN);
      const r = runScenario(text, path, { check: true });
      if (exp === 'ok') expect(r.ok ? 'ok' : r.message).toBe('ok');
      if (!r.ok) checkScenarioMessage(r.message, exp, path, text);
      else {
        expect(typeof exp === 'string' || exp.any, `expected an error, it ran`).toBeTruthy();
        expect(stateProblems(currentState(r.engine))).toEqual([]);
      }
      expect(fingerprint(SCEN)).toEqual(files);
    });
  }
});

describe('scenarios, as the REPL reads them from a pipe', () => {
  for (const [name, runExp] of Object.entries(EXPECTED.scenarios)) {
    const exp: Expect = typeof runExp === 'object' && runExp.pipe !== undefined ? runExp.pipe : runExp;
    known(runExp)(name, async () => {
      const path = join(SCEN, name);
      const bytes = readFileSync(path);
      const text = bytes.toString('utf8');
      const files = fingerprint(SCEN);
      const session = simSession(SCEN);
      const input = new PassThrough();
      const out = new PassThrough().resume();
      const err = new PassThrough();
      const chunks: string[] = [];
      err.on('data', (b: Buffer) => chunks.push(b.toString()));
      input.end(bytes);
      const code = await lineMode(session, newParseContext(), [], input, out, err);
      const errors = chunks.join('').split('\n').filter((l) => l !== '');
      for (const l of errors) expect(stderrProblems(l)).toEqual([]);
      if (exp === 'ok') expect(errors).toEqual([]);
      if (typeof exp === 'object' && !exp.any) {
        expect(code).toBe(1);
        // The pipe goes on after an error; its first error is the line `vmasim run` stops at.
        const first = errors[0] ?? '';
        checkScenarioMessage(first.replace(/^<stdin>/, path), exp, path, text);
      }
      expect(stateProblems(session.engine.history.current.state)).toEqual([]);
      expect(fingerprint(SCEN)).toEqual(files);
    });
  }
});

function checkImport(kind: ImportKind, name: string, exp: Expect): void {
  const path = join(CORPUS, kind === 'json' ? 'json' : kind, name);
  const text = readFileSync(path, 'utf8');
  const r = loadImport(kind, { path });
  if (exp === 'ok') expect(r.ok ? 'ok' : r.error).toBe('ok');
  if (r.ok) {
    expect(exp === 'ok' || exp === 'any' || (typeof exp === 'object' && exp.any), 'expected a refusal, the import was accepted').toBeTruthy();
    expect(stateProblems(applyImport(initialState(), r.data))).toEqual([]);
    return;
  }
  // `import KIND PATH` names the PATH as given, then the place in the file.
  expect(r.error.startsWith(`${path}: `), r.error).toBe(true);
  const rest = r.error.slice(path.length + 2);
  const pattern = typeof exp === 'string' ? exp : (exp.match ?? '');
  if (exp !== 'any' && !(typeof exp === 'object' && exp.any)) expect(rest).toMatch(new RegExp(pattern));
  expect(messageProblems(r.error, text)).toEqual([]);
  const m = /^line (\d+): /.exec(rest);
  if (m) expect(Number(m[1])).toBeLessThanOrEqual(text.split('\n').length);

  // The same import typed at the REPL: refused, and the session as it was.
  const session = simSession(box.dir);
  runLine(session, newParseContext(), 'mmap 0x100000000000 4K rw- fixed', { file: '<stdin>', line: 1 });
  const before = observe(session);
  const run = runLine(session, newParseContext(), `import ${kind} ${path}`, { file: '<stdin>', line: 2 });
  expect(run.result.kind === 'outcome' && run.result.outcome.kind).toBe('refused');
  expect(changes(before, observe(session))).toEqual([]);
  session.close();
}

for (const kind of ['json', 'maps', 'smaps'] as const) {
  describe(`${kind} imports`, () => {
    for (const [name, exp] of Object.entries(EXPECTED[kind])) known(exp)(name, () => checkImport(kind, name, exp));
  });
}

describe('journals, as `vmasim --session` resumes them', () => {
  for (const [name, exp] of Object.entries(EXPECTED.journals)) {
    known(exp)(name, async () => {
      const dir = join(box.dir, `journal-${name}`);
      mkdirSync(dir);
      const path = join(dir, name);
      const original = readFileSync(join(CORPUS, 'journals', name));
      writeFileSync(path, original);
      const opened = await openSession(null, { kind: 'empty' }, path, newParseContext());
      if (exp.status === 'unsupported') {
        expect('error' in opened && opened.error).toMatch(/format version \d+; this vmasim reads versions 1 to \d+\. Nothing was read or changed/);
        expect(readFileSync(path)).toEqual(original);
        return;
      }
      if ('error' in opened) throw new Error(`the session did not open: ${opened.error}`);
      const { session, notes } = opened;
      const h = session.engine.history;
      expect({ events: h.newest, position: h.position }).toEqual({ events: exp.events, position: exp.position });
      const message = notes[0]!;
      expect(messageProblems(message)).toEqual([]);
      if (exp.line !== undefined) expect(message).toMatch(new RegExp(`\\b[Ll]ine ${exp.line}\\b`));
      if (exp.drift !== undefined) expect(message).toMatch(/replayed differently/);
      else expect(message).not.toMatch(/replayed differently/);
      if (exp.cancelled !== undefined) expect(message).toMatch(new RegExp(`${exp.cancelled} lines? cancelled as`));
      const now = readFileSync(path);
      const sides = readdirSync(dir).filter((f) => f !== name);
      // The journal now ends before the line the replay stopped at, else after its valid lines.
      const cut = exp.status === 'stopped' ? lineStart(original, exp.line!) : scanJournal(original).validBytes;
      if (cut === 0 && session.journalPath !== null) {
        // Nothing valid was left: the journal starts again with a header of its own.
        expect(scanJournal(now)).toMatchObject({ bad: null, records: [], validBytes: now.length });
        expect(now.length).toBeGreaterThan(0);
      } else expect(now.equals(original.subarray(0, cut))).toBe(true);
      if (exp.status === 'repaired' || exp.status === 'stopped') {
        // Every byte from the damaged line, or the line that cannot be replayed, on is saved aside, and nothing else is left behind.
        expect(sides).toHaveLength(1);
        expect(sides[0]).toMatch(new RegExp(`^${escape(name)}\\.damaged-`));
        expect(readFileSync(join(dir, sides[0]!)).equals(original.subarray(cut))).toBe(true);
      } else expect(sides).toEqual([]);
      if (exp.status === 'unfinished') {
        // What is missing lies outside the journal: it is kept whole, to be resumed again.
        expect(session.journalPath).toBeNull();
        expect(notes.join(' ')).toMatch(/stay in the journal, unreplayed.*not recorded/);
        session.close();
        return;
      }
      // Resumed: the session goes on, and its next event is recorded after the kept ones.
      const out = runLine(session, newParseContext(['data']), 'mmap 0x100000010000 4K rw- fixed', { file: '<stdin>', line: 1 });
      expect(out.result.kind === 'outcome' && out.result.outcome.kind).toBe('event');
      session.close();
      const again = await openSession(null, { kind: 'empty' }, path, newParseContext());
      if ('error' in again) throw new Error(again.error);
      expect(again.session.engine.history.newest).toBe(exp.events + 1);
      expect(again.notes[0]).toMatch(/^Resumed .*position \d+\./);
      expect(again.notes[0]).not.toMatch(/is damaged|Replay stopped/);
      again.session.close();
    });
  }
});

/** Byte offset where a 1-based line starts. */
function lineStart(bytes: Buffer, line: number): number {
  let at = 0;
  for (let k = 1; k < line; k++) at = bytes.indexOf(0x0a, at) + 1;
  return at;
}

/** Runs the built command; resolves with its exit status and output, or a timeout. */
function vmasim(args: readonly string[], input: Buffer | string | null, cwd: string, timeoutMs = 15_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd, env: { ...process.env, HOME: cwd }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? undefined);
  });
}

describe.concurrent('the built vmasim command', () => {
  it('run of a binary file: exit 1, the file, line and column, no stack trace', async () => {
    const r = await vmasim(['run', 'binary.vma'], null, SCEN);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^vmasim: binary\.vma:1:1: expected a command/);
    expect(stderrProblems(r.stderr)).toEqual([]);
  });

  it('run of a missing file, of a folder: exit 2 with the reason', async () => {
    const [missing, folder] = await Promise.all([vmasim(['run', 'nope.vma'], null, SCEN), vmasim(['run', 'folder'], null, SCEN)]);
    expect([missing.code, missing.stderr]).toEqual([2, 'vmasim: nope.vma: cannot read scenario: no such file\n']);
    expect([folder.code, folder.stderr]).toEqual([2, 'vmasim: folder: cannot read scenario: is a directory\n']);
  });

  it('run - of NUL bytes on standard input names <stdin>', async () => {
    const r = await vmasim(['run', '-', '--json'], readFileSync(join(SCEN, 'nul-byte.vma')), SCEN);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^vmasim: <stdin>:2:8: /);
  });

  it('kernel and diff of a file that does not parse stop before the helper runs', async () => {
    const [k, d] = await Promise.all([vmasim(['kernel', 'huge-number.vma'], null, SCEN), vmasim(['diff', 'huge-number.vma'], null, SCEN)]);
    expect(k.code).toBe(1);
    expect(d.code).toBe(2);
    for (const r of [k, d]) expect(r.stderr).toMatch(/^vmasim: huge-number\.vma:2:23: LEN .* does not fit in 64 bits\n$/);
  });

  it('the REPL on a pipe: the file, a hostile line, then the rest of the lines still run', async () => {
    const r = await vmasim(['--empty'], 'mmap 0x100000000000 4K rw- fixed\nmadvise 0x100000000000 4K \u001b[2J\nmunmap 0x100000000000 4K\n', SCEN);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^<stdin>:2:27: expected an ADVICE/);
    expect(r.stdout).toMatch(/3: munmap 0x100000000000 4K {2}=> 0 {3}\(event 2\)/);
  });

  it('hostile arguments: a usage message and exit 2 (or 1 for what cannot be opened), never an internal error', async () => {
    const cases: [string[], number, RegExp][] = [
      [['run'], 2, /^vmasim: run takes exactly one FILE$/],
      [['run', '--bogus', 'binary.vma'], 2, /^vmasim: Unknown option '--bogus'/],
      [['fuzz', '--ops', 'many'], 2, /^vmasim: fuzz: .*ops/],
      [['fuzz', '--seed', '1e99'], 2, /^vmasim: fuzz: .*seed/],
      [['--from-pid', 'abc'], 2, /^vmasim: --from-pid needs a process id/],
      [['--from-pid', '4194305'], 1, /^vmasim: (there is no process 4194305|cannot read \/proc\/4194305\/smaps: no such file)/],
      [['--session'], 2, /^vmasim: --session needs a JOURNAL file/],
    ];
    const results = await Promise.all(cases.map(([args]) => vmasim(args, '', SCEN)));
    results.forEach((r, i) => {
      const [args, code, message] = cases[i]!;
      expect({ args, code: r.code, stderr: r.stderr.split('\n')[0] }).toEqual({ args, code, stderr: expect.stringMatching(message) });
      expect(stderrProblems(r.stderr)).toEqual([]);
    });
  });

  it('run of a script that imports itself reports the cycle (today: internal error, exit 70)', async () => {
    const r = await vmasim(['run', 'import-self.vma'], null, SCEN);
    expect(stderrProblems(r.stderr)).toEqual([]);
    expect(r.code).toBe(1);
  });

  it('the REPL survives a script that imports itself, and runs the lines after it', async () => {
    const r = await vmasim(['--empty'], 'import script import-self.vma\nmmap 0x100000000000 4K rw- fixed\n', SCEN);
    expect(stderrProblems(r.stderr)).toEqual([]);
    expect(r.stdout).toMatch(/2: mmap 0x100000000000 4K rw- fixed/);
  });
});

it('no file of the corpus was changed by the runs', () => {
  expect(existsSync(join(SCEN, 'no-such-folder'))).toBe(false);
  expect(readFileSync(join(SCEN, 'existing.json'), 'utf8')).toBe('{"kept": true}\n');
  expect(readdirSync(SCEN).filter((f) => /\.tmp$|^out/.test(f)).map((f) => basename(f))).toEqual([]);
});
