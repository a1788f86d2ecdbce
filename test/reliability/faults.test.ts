/**
 * Faults from outside: a journal that cannot be written (disk full,
 * permission denied, I/O errors, a write cut short), an export to a path
 * that cannot be written, the native kernel helper missing or crashing.
 * (SIGKILL in the middle of a session is test/journal-kill.test.ts.)
 *
 * What must hold: the session keeps every event it acknowledged, says what
 * failed and why, changes nothing for the command that failed, and goes on
 * with the next one where it can.
 *
 * Tests run as root, where permissions do not stop anything: the journal's
 * failures are injected through its file-system interface (MemoryFs). Where
 * the machine allows it, the same failures are also produced for real: a
 * full and a read-only tmpfs (mount), and the built command run as `nobody`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, isStateCommand } from '../../commands/engine.js';
import { newParseContext } from '../../commands/parse-context.js';
import { parseLine, parseScenario } from '../../commands/parse.js';
import { lineMode } from '../../cli/repl/line-mode.js';
import { openSession } from '../../cli/repl/open-session.js';
import { runLine } from '../../cli/repl/run-line.js';
import { simHistoryOptions } from '../../cli/repl/session.js';
import { liveErrorMessage } from '../../cli/cmd-kernel.js';
import { LiveHelperError, LiveRefusal, runOnKernel } from '../../live/kernel-runner.js';
import type { HostKernelConfig } from '../../live/host-config.js';
import { JournalWriter } from '../../store/journal.js';
import { resumeHistory } from '../../store/resume.js';
import { MemoryFs, errno, type FsOp } from '../../store/testing/memory-fs.js';
import { messageProblems, stderrProblems } from './support/checks.js';
import { FUZZ_SEED, runs, summarize, type Failure } from './support/fuzz.js';
import { fingerprint, sandbox } from './support/sandbox.js';
import { changes, observe, simSession } from './support/session.js';
import { SESSION_LINES } from './support/session-lines.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const box = sandbox();
afterAll(() => box.remove());

const ADVICE: Record<string, RegExp> = {
  ENOSPC: /the disk is full: free some space \(ENOSPC\)/,
  EDQUOT: /the disk quota is used up/,
  EACCES: /permission denied/,
  EIO: /input\/output error/,
  EROFS: /read-only/,
};

interface Fault {
  readonly code: keyof typeof ADVICE;
  readonly op: 'write' | 'fsync';
  /** Writes that succeed in this command before the fault (a line cut short). */
  readonly after: number;
  /** Taking back the partial line fails too: the journal is torn. */
  readonly torn: boolean;
}

const faultArb: fc.Arbitrary<Fault> = fc.record({
  code: fc.constantFrom('ENOSPC', 'ENOSPC', 'EDQUOT', 'EACCES', 'EIO'),
  op: fc.oneof({ weight: 5, arbitrary: fc.constant('write' as const) }, { weight: 2, arbitrary: fc.constant('fsync' as const) }),
  after: fc.integer({ min: 0, max: 2 }),
  torn: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

const stepArb = fc.record({
  line: fc.constantFrom(...SESSION_LINES),
  fault: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: faultArb }),
});

const FILE = '/j/session.jsonl';

describe('a journal that cannot be written', () => {
  it('refuses just the command whose line failed, keeps every acknowledged event, and goes on', async () => {
    const inputs = fc.sample(fc.record({ steps: fc.array(stepArb, { minLength: 5, maxLength: 40 }), tornAt: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat(40) }) }), { numRuns: runs(80), seed: FUZZ_SEED });
    const t0 = performance.now();
    const failures: Failure[] = [];
    const outcomes: Record<string, number> = {};
    let crashes = 0;
    let problems = 0;
    for (const input of inputs) {
      const p: string[] = [];
      const count = (k: string) => (outcomes[k] = (outcomes[k] ?? 0) + 1);
      try {
        const memfs = new MemoryFs();
        const session = simSession(box.dir, JournalWriter.create(FILE, { fs: memfs }));
        const ctx = newParseContext();
        runLine(session, ctx, 'file data 64K', { file: '<stdin>', line: 0 });
        let fault: Fault | null = null;
        let writes = 0;
        let broken = false;
        memfs.fault = (op: FsOp, path: string) => {
          if (fault === null || path !== FILE) return;
          if (op === 'write' && writes++ < fault.after) return;
          if (op === fault.op) throw errno(fault.code);
          if (op === 'ftruncate' && fault.torn) throw errno('EIO');
        };
        input.steps.forEach((step, i) => {
          const torn = input.tornAt === i;
          fault = step.fault ? { ...step.fault, torn: torn || step.fault.torn } : torn ? { code: 'ENOSPC', op: 'write', after: 1, torn: true } : null;
          writes = 0;
          // Short writes, so that a fault can strike after part of a line reached the file.
          memfs.writeLimit = fault && fault.after > 0 ? 24 : null;
          const parsed = parseLine(step.line, newParseContext(ctx.files), { file: '<stdin>', line: i + 1 });
          if (parsed.kind !== 'command') throw new Error(`${step.line} does not parse`);
          // What the command does without a journal: whether it would write a line.
          const predicted = execute(session.engine, parsed.cmd, parsed.canonical);
          const writesLine = predicted.kind === 'event' || (predicted.kind === 'moved' && predicted.engine.history.position !== session.engine.history.position);
          const before = observe(session);
          const run = runLine(session, ctx, step.line, { file: '<stdin>', line: i + 1 });
          const after = observe(session);
          const o = run.result.kind === 'outcome' ? run.result.outcome : null;
          if (!writesLine) {
            count('no line to write');
            return;
          }
          if (fault === null && !broken) {
            if (o?.kind !== predicted.kind) p.push(`${step.line}: ${o?.kind ?? run.result.kind} without a fault, ${predicted.kind} expected`);
            count('recorded');
            return;
          }
          if (o?.kind !== 'refused') {
            p.push(`${step.line}: ${o?.kind} although its line could not be written`);
            return;
          }
          count(broken ? 'refused (torn earlier)' : `refused (${fault!.code})`);
          if (!broken && fault!.after > 0 && fault!.op === 'write') count('of which after a partial write');
          p.push(...changes(before, after).map((c) => `${step.line}: refused, but ${c}`));
          p.push(...messageProblems(o.message));
          if (!o.message.includes(FILE)) p.push(`the message does not name the journal: ${o.message}`);
          if (!broken && !ADVICE[fault!.code]!.test(o.message)) p.push(`the message does not say why: ${o.message}`);
          if (!/^Nothing changed/.test(o.message)) p.push(`the message does not say that nothing changed: ${o.message}`);
          // What the failed line left, as the message must say: a partial line (cut off on resume), or
          // a whole one whose fsync failed, cancelled by the line after it.
          const left = broken ? /since an earlier line failed/ : fault?.op === 'fsync' ? /followed by one that cancels it, so resuming skips it/ : fault?.torn ? /partial line/ : null;
          if (left && !left.test(o.message)) p.push(`the message does not say what the journal now holds: ${o.message}`);
          // A failing fsync fails again when the line is taken back: torn too.
          if (fault?.torn || fault?.op === 'fsync') broken = true;
        });
        const acknowledged = session.engine.history;
        session.close();
        // Resume: exactly the acknowledged events and moves, a torn tail cut off.
        memfs.fault = null;
        const make = simHistoryOptions();
        const rctx = newParseContext();
        const resumed = await resumeHistory(FILE, {
          fs: memfs,
          now: () => 1_800_000_000_000,
          history: make.options,
          parse(text) {
            const r = parseLine(text, rctx, { file: FILE, line: 0 });
            if (r.kind !== 'command' || !isStateCommand(r.cmd)) return { ok: false, error: `not an event: ${text}` };
            make.texts.set(r.cmd, r.canonical);
            return { ok: true, command: r.cmd };
          },
        });
        const list = (h: typeof acknowledged) => Array.from({ length: h.newest }, (_, k) => `${k + 1}<${h.event(k + 1)!.parent}:${h.event(k + 1)!.text}`);
        if (JSON.stringify(list(resumed.history)) !== JSON.stringify(list(acknowledged))) {
          p.push(`resumed ${list(resumed.history).length} events, ${list(acknowledged).length} were acknowledged`);
        }
        if (resumed.history.position !== acknowledged.position) p.push(`resumed at ${resumed.history.position}, the session stood at ${acknowledged.position}`);
        if (resumed.report.drift.length) p.push(`drift on resume: ${resumed.report.message}`);
        if (resumed.report.cancelled > 0) count('resumed past a cancelled line');
        if (!broken && resumed.report.status !== 'clean') p.push(`resume status ${resumed.report.status}: ${resumed.report.message}`);
      } catch (e) {
        crashes++;
        p.push(`threw ${(e as Error).stack}`);
      }
      if (p.length) {
        problems++;
        if (failures.length < 5) failures.push({ input: JSON.stringify(input).slice(0, 200), problem: p.join('; ') });
      }
    }
    summarize({ name: 'journal fault fuzz', inputs: inputs.length, crashes, problems, failures, outcomes, ms: performance.now() - t0 });
    expect(crashes).toBe(0);
    expect(failures).toEqual([]);
  });

  it('on a pipe: the failed line is reported on stderr with what to do, the lines after it run and are recorded', async () => {
    const memfs = new MemoryFs();
    const session = simSession(box.dir, JournalWriter.create(FILE, { fs: memfs }));
    // One write a line (the header is written already): the second write is the second command's.
    let writes = 0;
    memfs.fault = (op) => {
      if (op === 'write' && ++writes === 2) throw errno('ENOSPC');
    };
    const input = new PassThrough();
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    let stderr = '';
    out.on('data', (b: Buffer) => (stdout += b.toString()));
    err.on('data', (b: Buffer) => (stderr += b.toString()));
    input.end('mmap 0x100000000000 8K rw- fixed\nmprotect 0x100000000000 4K r--\nmunmap 0x100000001000 4K\n');
    const code = await lineMode(session, newParseContext(), [], input, out, err);
    expect(code).toBe(1);
    expect(stderr).toBe(`<stdin>:2: Nothing changed: journal ${FILE}: write failed: the disk is full: free some space (ENOSPC).\n`);
    expect(stdout).toMatch(/3: munmap 0x100000001000 4K {2}=> 0 {3}\(event 2\)/);
    expect(memfs.text(FILE).trim().split('\n').map((l) => JSON.parse(l).command ?? JSON.parse(l).kind)).toEqual(['header', 'mmap 0x100000000000 8K rw- fixed', 'munmap 0x100000001000 4K']);
  });

  // fsync fails after the whole line was written, and the line cannot be taken back: the command
  // is reported as not done, so the line is cancelled by the one after it (store/journal.ts).
  it('a command reported as not done is not replayed when the journal is resumed', async () => {
    const memfs = new MemoryFs();
    const session = simSession(box.dir, JournalWriter.create(FILE, { fs: memfs }));
    runLine(session, newParseContext(), 'mmap 0x100000000000 8K rw- fixed', { file: '<stdin>', line: 1 });
    memfs.fault = (op) => {
      if (op === 'fsync' || op === 'ftruncate') throw errno('EIO');
    };
    const r = runLine(session, newParseContext(), 'munmap 0x100000000000 4K', { file: '<stdin>', line: 2 });
    expect(r.result.kind === 'outcome' && r.result.outcome.kind).toBe('refused');
    expect(session.engine.history.newest).toBe(1);
    expect(r.result.kind === 'outcome' && r.result.outcome.kind === 'refused' && r.result.outcome.message).toMatch(/so resuming skips it/);
    session.close();
    memfs.fault = null;
    const make = simHistoryOptions();
    const ctx = newParseContext();
    const resumed = await resumeHistory(FILE, {
      fs: memfs,
      history: make.options,
      parse(text) {
        const p = parseLine(text, ctx, { file: FILE, line: 0 });
        if (p.kind !== 'command' || !isStateCommand(p.cmd)) return { ok: false, error: text };
        make.texts.set(p.cmd, p.canonical);
        return { ok: true, command: p.cmd };
      },
    });
    expect(resumed.history.newest).toBe(1);
    expect(resumed.report.cancelled).toBe(1);
    expect(resumed.report.message).toMatch(/1 line cancelled as it was written/);
  });

  it('a journal that cannot be created or continued is said so: the session opens unrecorded or not at all', async () => {
    // The folder does not exist: --session refuses to start without its journal.
    const missing = await openSession(null, { kind: 'empty' }, join(box.dir, 'no-such-folder', 'j.jsonl'), newParseContext());
    expect('error' in missing && missing.error).toMatch(/^journal .*j\.jsonl: open failed: the file or its folder does not exist \(ENOENT\)$/);
    // A folder where the journal should be.
    mkdirSync(join(box.dir, 'a-folder.jsonl'));
    const folder = await openSession(null, { kind: 'empty' }, join(box.dir, 'a-folder.jsonl'), newParseContext());
    expect('error' in folder && folder.error).toMatch(/a-folder\.jsonl: read failed/);
    expect(messageProblems('error' in folder ? folder.error : '')).toEqual([]);
  });
});

function tryMount(dir: string, options: string): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    // Not mounted.
  }
}

function vmasim(args: readonly string[], input: string, opts: { cwd: string; uid?: number }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: opts.cwd },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('on real disks (root only: a small tmpfs, a read-only one, and the command run as nobody)', () => {
  const full = join(box.dir, 'full');
  const ro = join(box.dir, 'ro');
  let mounted = { full: false, ro: false };
  beforeAll(() => {
    mounted = { full: tryMount(full, 'size=64k,mode=0755'), ro: tryMount(ro, 'ro,size=64k,mode=0755') };
  });
  afterAll(() => {
    unmount(full);
    unmount(ro);
  });

  it('a disk that fills up: each refused command is reported, every acknowledged event survives, the export leaves nothing half-written', async (ctx) => {
    if (!mounted.full) return ctx.skip();
    const lines = Array.from({ length: 800 }, (_, i) => `mmap 0x${(0x100000000000 + i * 0x2000).toString(16)} 4K ${i % 2 ? 'r--' : 'rw-'} fixed`);
    lines.push('export json big.json');
    const r = await vmasim(['--empty', '--session', join(full, 'j.jsonl')], lines.join('\n') + '\n', { cwd: full });
    expect(stderrProblems(r.stderr)).toEqual([]);
    expect(r.code).toBe(1);
    const acked = [...r.stdout.matchAll(/\(event (\d+)\)/g)].map((m) => Number(m[1]));
    const refused = r.stderr.split('\n').filter((l) => /the disk is full: free some space \(ENOSPC\)/.test(l));
    expect(acked.length).toBeGreaterThan(10);
    expect(refused.length).toBeGreaterThan(10);
    expect(acked.length + refused.length).toBe(800);
    expect(r.stderr).toMatch(/<stdin>:801: cannot write .*big\.json: no space left on the device/);
    expect(readdirSync(full).filter((f) => f !== 'j.jsonl')).toEqual([]);
    const opened = await openSession(null, { kind: 'empty' }, join(full, 'j.jsonl'), newParseContext());
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.session.engine.history.newest).toBe(Math.max(...acked));
    expect(opened.notes[0]).toMatch(/^Resumed j\.jsonl: \d+ events and 0 moves replayed; position \d+\.$/);
    opened.session.close();
  });

  it('a read-only disk: the journal and the export say so', async (ctx) => {
    if (!mounted.ro) return ctx.skip();
    const s = await vmasim(['--empty', '--session', join(ro, 'j.jsonl')], 'mmap - 4K rw-\n', { cwd: box.dir });
    expect([s.code, s.stderr]).toEqual([1, `vmasim: journal ${join(ro, 'j.jsonl')}: open failed: the file system is read-only (EROFS)\n`]);
    const e = await vmasim(['--empty'], `mmap - 4K rw-\nexport maps ${join(ro, 'x.maps')}\nmunmap 0 4K\n`, { cwd: box.dir });
    expect(e.stderr).toBe(`<stdin>:2: cannot write ${join(ro, 'x.maps')}: the file system is read-only\n`);
    expect(e.stdout).toMatch(/3: munmap 0 4K/);
  });

  it('permission denied, as nobody: export and a new journal are refused; a read-only journal resumes unrecorded', async (ctx) => {
    if (process.getuid?.() !== 0) return ctx.skip();
    const dir = join(box.dir, 'locked');
    mkdirSync(dir);
    chmodSync(box.dir, 0o755);
    const journal = join(dir, 'old.jsonl');
    const first = await vmasim(['--empty', '--session', journal], 'mmap 0x100000000000 4K rw- fixed\n', { cwd: dir });
    expect(first.code).toBe(0);
    chmodSync(journal, 0o444);
    chmodSync(dir, 0o555);
    const [exp, fresh, old] = await Promise.all([
      vmasim(['--empty'], `mmap - 4K rw-\nexport json ${join(dir, 'x.json')}\nmunmap 0 4K\n`, { cwd: dir, uid: 65534 }),
      vmasim(['--empty', '--session', join(dir, 'new.jsonl')], 'mmap - 4K rw-\n', { cwd: dir, uid: 65534 }),
      vmasim(['--session', journal], 'munmap 0x100000000000 4K\n', { cwd: dir, uid: 65534 }),
    ]);
    expect(exp.stderr).toBe(`<stdin>:2: cannot write ${join(dir, 'x.json')}: permission denied\n`);
    expect(exp.stdout).toMatch(/3: munmap 0 4K/);
    expect([fresh.code, fresh.stderr]).toEqual([1, `vmasim: journal ${join(dir, 'new.jsonl')}: open failed: permission denied: check the permissions of the file and its folder (EACCES)\n`]);
    expect(old.code).toBe(0);
    expect(old.stderr).toMatch(/^Resumed old\.jsonl: 1 event and 0 moves replayed; position 1\.\njournal .*old\.jsonl: open failed: permission denied.*: this session is not recorded\.\n$/);
    expect(old.stdout).toMatch(/1: munmap 0x100000000000 4K {2}=> 0 {3}\(event 2\)/);
    expect(readdirSync(dir).sort()).toEqual(['old.jsonl']);
  });
});

describe('an export to a path that cannot be written', () => {
  const dir = join(box.dir, 'exports');
  beforeAll(() => {
    mkdirSync(join(dir, 'folder'), { recursive: true });
    writeFileSync(join(dir, 'existing.json'), 'keep me\n');
  });

  it.each([
    ['export json no-folder/x.json', /^cannot write .*no-folder\/x\.json: its folder does not exist$/],
    ['export json folder', /^cannot write .*folder: it is a folder$/],
    ['export json existing.json/x.json', /^cannot write .*existing\.json\/x\.json: a part of the path is not a folder$/],
    ['export json existing.json', /^.*existing\.json exists: add --force to replace it$/],
    ['export json x\u0000.json', /^cannot write .*x\u0000\.json: /],
  ])('%s: refused, the session and the folder as they were, no temporary file left', (line, message) => {
    const session = simSession(dir);
    runLine(session, newParseContext(), 'mmap 0x100000000000 8K rw- fixed', { file: '<stdin>', line: 1 });
    const files = fingerprint(dir);
    const before = observe(session);
    const r = runLine(session, newParseContext(), line, { file: '<stdin>', line: 2 });
    const o = r.result.kind === 'outcome' ? r.result.outcome : null;
    expect(o?.kind).toBe('refused');
    expect(o?.kind === 'refused' && o.message).toMatch(message);
    expect(messageProblems(o?.kind === 'refused' ? o.message : '', line)).toEqual([]);
    expect(changes(before, observe(session))).toEqual([]);
    expect(fingerprint(dir)).toEqual(files);
    // The session goes on.
    const next = runLine(session, newParseContext(), 'munmap 0x100000000000 4K', { file: '<stdin>', line: 3 });
    expect(next.result.kind === 'outcome' && next.result.outcome.kind).toBe('event');
    session.close();
  });

  // `export ... --force` renames its temporary file over PATH whatever PATH is: a FIFO, a device
  // node or a symbolic link is replaced by a regular file (snapshots/write-export.ts). As root,
  // `export maps /dev/stdout --force` would replace /dev/stdout. It should write through a link
  // (or refuse it) and refuse what is not a regular file.
  it('export --force over a FIFO or a symbolic link refuses (or writes through the link) instead of replacing it', () => {
    const target = join(dir, 'target.txt');
    writeFileSync(target, 'original\n');
    symlinkSync(target, join(dir, 'link'));
    mkfifoSync(join(dir, 'fifo'));
    const session = simSession(dir);
    runLine(session, newParseContext(), 'mmap 0x100000000000 8K rw- fixed', { file: '<stdin>', line: 1 });
    runLine(session, newParseContext(), 'export maps fifo --force', { file: '<stdin>', line: 2 });
    runLine(session, newParseContext(), 'export maps link --force', { file: '<stdin>', line: 3 });
    session.close();
    expect(lstatSync(join(dir, 'fifo')).isFIFO()).toBe(true);
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
  });
});

/** mkfifo(3) through the shell: Node has no binding for it. */
function mkfifoSync(path: string): void {
  execFileSync('mkfifo', [path]);
}

describe('the native kernel helper missing or crashing', () => {
  const helpers = sandbox('vmasim-helpers-', { exec: true });
  afterAll(() => helpers.remove());
  const HOST: HostKernelConfig = { anonVmaName: false, softDirty: false, source: 'the test' };
  const lines = () => {
    const p = parseScenario('mmap 0x100000000000 4K rw- fixed\n', 'crash.vma');
    if ('error' in p) throw new Error(p.error.message);
    return p.lines;
  };
  const script = (name: string, body: string, mode = 0o755): string => {
    const p = join(helpers.dir, name);
    writeFileSync(p, body);
    chmodSync(p, mode);
    return p;
  };
  const OK_HEAD = 'vmasim-helper 1\\nok 0x0\\nok 0x100000000000\\n@@current 0\\n@@process 0 parent -\\n';
  const cases: [string, () => string, RegExp][] = [
    ['missing', () => join(helpers.dir, 'nope'), /is missing: run `npm run build`/],
    ['not executable', () => script('noexec', '#!/bin/sh\nexit 0\n', 0o644), /^cannot start the kernel helper .*EACCES/],
    ['a folder', () => helpers.dir, /^cannot start the kernel helper/],
    ['an interpreter that does not exist', () => script('badinterp', '#!/nonexistent/sh\n'), /^cannot start the kernel helper .*ENOENT/],
    ['exits 1 with a message', () => script('fail', '#!/bin/sh\ncat >/dev/null\necho "vmasim-helper: out of cheese" >&2\nexit 1\n'), /^the kernel helper failed \(exit status 1\): out of cheese$/],
    ['killed by SIGSEGV', () => script('segv', '#!/bin/sh\nkill -SEGV $$\n'), /^the kernel helper was killed by SIGSEGV$/],
    ['killed by SIGKILL mid-output', () => script('kill', `#!/bin/sh\ncat >/dev/null\nprintf 'vmasim-helper 1\\nok 0x0\\n'\nkill -KILL $$\n`), /^the kernel helper was killed by SIGKILL$/],
    ['prints garbage', () => script('garbage', '#!/bin/sh\ncat >/dev/null\nhead -c 3000 /dev/urandom\n'), /^unexpected output from the kernel helper at line \d+: /],
    ['stops early without an error', () => script('short', `#!/bin/sh\ncat >/dev/null\nprintf '${OK_HEAD}'\n`), /^unexpected output from the kernel helper at line \d+: .*(cut short|not terminated)/],
    ['names a file it was not given', () => script('badfile', `#!/bin/sh\ncat >/dev/null\nprintf '${OK_HEAD}100000000000-100000001000 rw-p 00000000 00:00 0 vmasim-file:9\\nVmFlags: rd wr\\n@@end 0\\n@@done\\n'\n`), /unknown file vmasim-file:9/],
    ['hangs', () => script('hang', '#!/bin/sh\nexec sleep 30\n'), /did not finish within 300 ms/],
  ];
  for (const [what, path, message] of cases) {
    it(`${what}: a LiveHelperError with a message of one line`, async () => {
      const e = await runOnKernel(lines(), { helperPath: path(), hostConfig: HOST, timeoutMs: 300 }).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(LiveHelperError);
      expect((e as Error).message).toMatch(message);
      expect(messageProblems((e as Error).message)).toEqual([]);
      expect(() => liveErrorMessage(e, 'crash.vma')).not.toThrow();
    });
  }

  // The helper's smaps is parsed outside the LiveHelperError net: a SmapsParseError escapes
  // runOnKernel, liveErrorMessage rethrows it, and `vmasim kernel` and `vmasim diff` end with
  // "internal error" (exit 70). live/kernel-runner.ts buildReport calls parseSmaps unguarded.
  it('prints smaps that does not parse: a LiveHelperError, not an internal error', async () => {
    const path = script('badsmaps', `#!/bin/sh\ncat >/dev/null\nprintf '${OK_HEAD}this is not smaps\\n@@end 0\\n@@done\\n'\n`);
    const e = await runOnKernel(lines(), { helperPath: path, hostConfig: HOST, timeoutMs: 2000 }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(LiveHelperError);
  });

  it('the real helper refuses a scenario beyond its limits (1025 files) with a message, not a crash', async () => {
    const text = Array.from({ length: 1025 }, (_, i) => `file f${i} 4K`).join('\n') + '\n';
    const p = parseScenario(text, 'files.vma');
    if ('error' in p) throw new Error(p.error.message);
    const e = await runOnKernel(p.lines, { hostConfig: HOST, timeoutMs: 20_000 }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e instanceof LiveHelperError || e instanceof LiveRefusal).toBe(true);
    expect((e as Error).message).toMatch(/too many files/);
    expect((e as Error).message).toMatch(/line 1025\b/);
  });

  it('leaves no helper files behind', () => {
    expect(existsSync(join(helpers.dir, 'nope'))).toBe(false);
    expect(readFileSync(join(helpers.dir, 'fail'), 'utf8')).toMatch(/out of cheese/);
  });
});
