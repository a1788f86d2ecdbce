import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { newParseContext } from '../../commands/parse-context.js';
import { windowVmas, DEFAULT_WINDOW } from '../../snapshots/sim-report.js';
import { DEFAULT_SCENARIO } from '../default-scenario.js';
import { parseReplArgs } from './args.js';
import { lineMode } from './line-mode.js';
import { openSession } from './open-session.js';
import { runLine } from './run-line.js';
import { sessionOf } from './testing-session.js';

const dir = mkdtempSync(join(tmpdir(), 'vmasim-session-'));

/** `text` fed to the line mode as a pipe: its exit code, and what it wrote to stdout and stderr. */
async function pipeRun(session: Parameters<typeof lineMode>[0], ctx: Parameters<typeof lineMode>[1], text: string) {
  const input = new PassThrough();
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: '', err: '' };
  out.on('data', (d) => (chunks.out += d));
  err.on('data', (d) => (chunks.err += d));
  input.end(text);
  const code = await lineMode(session, ctx, [], input, out, err);
  return { code, chunks };
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('command line', () => {
  test('the starts it accepts', () => {
    expect(parseReplArgs([])).toEqual({ start: null, journal: null });
    expect(parseReplArgs(['--empty'])).toEqual({ start: { kind: 'empty' }, journal: null });
    expect(parseReplArgs(['a.vma', '--session', 'j'])).toEqual({ start: { kind: 'scenario', path: 'a.vma' }, journal: 'j' });
    expect(parseReplArgs(['--session=j'])).toEqual({ start: null, journal: 'j' });
  });

  test('what it refuses', () => {
    expect(parseReplArgs(['--empty', 'a.vma'])).toEqual({ error: '--empty and a SCENARIO exclude each other' });
    expect(parseReplArgs(['a', 'b'])).toHaveProperty('error');
    expect(parseReplArgs(['--session'])).toEqual({ error: '--session needs a JOURNAL file' });
    expect(parseReplArgs(['--frob'])).toEqual({ error: "unknown option '--frob'" });
  });
});

describe('the default process', () => {
  test('a typical small process inside the default window: program, heap, libraries, stack', async () => {
    const ctx = newParseContext();
    const opened = await openSession(null, { kind: 'default' }, null, ctx);
    if ('error' in opened) throw new Error(opened.error);
    const state = opened.session.engine.history.current.state;
    const vmas = windowVmas(state, 0, DEFAULT_WINDOW, false);
    expect(vmas.length).toBe(state.processes[0]!.mm.vmas.size);
    const libc = vmas.filter((v) => v.file === 'libc.so.6').map((v) => `${v.perms} ${v.offset.toString(16)}`);
    expect(libc).toEqual(['r--p 0', 'r-xp 28000', 'r--p 1b0000', 'rw-p 1ff000']);
    expect(vmas.some((v) => v.perms === '---p')).toBe(true);
    expect(vmas[vmas.length - 1]!.vmflags).toContain('gd');
    expect(vmas.filter((v) => v.file === null).length).toBeGreaterThanOrEqual(3);
    expect(opened.welcome).toMatch(/typical small process.*help.*Ctrl-Z.*Ctrl-D/);
    // Every line is an event; file NAMEs are declared for later lines.
    expect(opened.session.engine.history.position).toBe(DEFAULT_SCENARIO.split('\n').filter((l) => l.trim() && !l.startsWith('#')).length);
    expect(ctx.files.has('libc.so.6')).toBe(true);
  });
});

describe('lines', () => {
  test('events, moves, pages and errors', () => {
    const { session, ctx } = sessionOf('');
    const at = (n: number) => ({ file: '<prompt>', line: n });
    const r1 = runLine(session, ctx, 'mmap 0x100000000000 16K rw- fixed', at(1));
    expect(r1.result).toMatchObject({ kind: 'outcome', outcome: { kind: 'event', seq: 1 } });
    expect(r1.before).not.toBe(r1.after);
    expect(runLine(session, ctx, 'undo', at(2)).result).toMatchObject({ kind: 'outcome', outcome: { kind: 'moved', message: 'at event 0 (undid 1)' } });
    expect(runLine(session, ctx, 'undo', at(3)).result).toMatchObject({ kind: 'outcome', outcome: { kind: 'moved' } });
    expect(runLine(session, ctx, 'goto 7', at(4)).result).toMatchObject({ kind: 'outcome', outcome: { kind: 'refused' } });
    expect(runLine(session, ctx, 'help mmap', at(5)).result).toMatchObject({ kind: 'page', title: 'help mmap' });
    expect(runLine(session, ctx, 'mmap 0x1000 4K rwz', at(6)).result).toMatchObject({ kind: 'parse-error', error: { line: 6, column: 16 } });
    expect(runLine(session, ctx, 'diff 0 9', at(7)).result).toMatchObject({ kind: 'refused' });
    expect(runLine(session, ctx, 'file f 4K', at(8)).result).toMatchObject({ kind: 'outcome', outcome: { kind: 'event' } });
    expect(runLine(session, ctx, 'file f 4K', at(9)).result).toMatchObject({ kind: 'outcome', outcome: { kind: 'refused', message: 'file f already exists' } });
    expect(runLine(session, ctx, 'quit', at(10)).result).toEqual({ kind: 'quit' });
  });

  test('a pipe: plain text results, errors with line and column on stderr, exit 1 after an error', async () => {
    const { session, ctx } = sessionOf('');
    const { code, chunks } = await pipeRun(session, ctx, 'mmap 0x100000000000 16K rw- fixed\nmprotect 0x100000001000 4K r--\n\nmunmap 0x100000000000 4k zz\nhistory\n');
    expect(code).toBe(1);
    expect(chunks.out).toContain('1: mmap 0x100000000000 16K rw- fixed  => 0x100000000000   (event 1)\n    + 0x100000000000-0x100000004000 rw-p 16K\n');
    expect(chunks.out).toContain('2: mprotect 0x100000001000 4K r--  => 0   (event 2)');
    expect(chunks.out).toContain('* 2  mprotect 0x100000001000 4K r--  => 0');
    expect(chunks.err).toBe("<stdin>:4:26: unexpected extra word 'zz' (syntax: munmap ADDR LEN)\n");
    expect(chunks.out).not.toMatch(/\x1b/);
  });
});

describe('what the REPL says back', () => {
  test('goto and diff name a number beyond any event as typed', () => {
    const { session, ctx } = sessionOf('');
    const at = { file: '<prompt>', line: 1 };
    runLine(session, ctx, 'fork', at);
    expect(runLine(session, ctx, 'goto 18446744073709551615', at).result).toMatchObject({
      kind: 'outcome',
      outcome: { kind: 'refused', message: 'There is no event 18446744073709551615: events are numbered 0 to 1. `history` lists them.' },
    });
    expect(runLine(session, ctx, 'goto 9007199254740993', at).result).toMatchObject({ outcome: { message: /^There is no event 9007199254740993: / } });
    expect(runLine(session, ctx, 'goto 9007199254740991', at).result).toMatchObject({ outcome: { message: /^There is no event 9007199254740991: / } });
    expect(runLine(session, ctx, 'diff 0 0x20000000000001', at).result).toEqual({ kind: 'refused', message: 'There is no event 9007199254740993: events are numbered 0 to 1.' });
    expect(session.engine.history.position).toBe(1);
  });

  test('a pipe: a byte order mark before the first line is dropped; CR LF and a lone CR end lines as LF does', async () => {
    const { session, ctx } = sessionOf('');
    const { code, chunks } = await pipeRun(session, ctx, '\ufefffork\r\nfork\rfork\n\ufefffork\n');
    expect(code).toBe(1);
    expect(chunks.out.split('\n').filter((l) => /^\d+: /.test(l)).map((l) => l.slice(0, 7))).toEqual(['1: fork', '2: fork', '3: fork']);
    expect(chunks.err).toBe('<stdin>:4:1: U+FEFF BYTE ORDER MARK is allowed only at the very start of the input; delete it\n');
  });

  test('a pipe: a refusal that quotes the input shows its control characters escaped', async () => {
    const { session, ctx } = sessionOf('');
    const input = new PassThrough();
    const err = new PassThrough();
    let text = '';
    err.on('data', (d) => (text += d));
    input.end(`import json ${join(dir, 'no\x1b[2Jsuch\x07.json')}\n`);
    expect(await lineMode(session, ctx, [], input, new PassThrough().resume(), err)).toBe(1);
    expect(text).toBe(`<stdin>:1: cannot read ${join(dir, 'no\\x1b[2Jsuch\\x07.json')}: no such file\n`);
  });

  test('a pipe: names and paths accepted with control characters in them are printed escaped', async () => {
    const { session, ctx } = sessionOf('');
    const input = new PassThrough();
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    input.end('file \x1b[2J\x9b 4K\nmmap 0x100000000000 4K r-- fixed file=\x1b[2J\x9b\nvmas\n');
    expect(await lineMode(session, ctx, [], input, out, new PassThrough().resume())).toBe(0);
    expect(text).not.toMatch(/[\x1b\x9b]/);
    expect(text).toContain('1: file \\x1b[2J\\x9b 4K  event 1');
    expect(text).toContain('+ 0x100000000000-0x100000001000 r--p 4K \\x1b[2J\\x9b');
  });
});

describe('journals', () => {
  test('--session records the session; a second run resumes it where it stood', async () => {
    const file = join(dir, 'one.journal');
    const first = await openSession(null, { kind: 'empty' }, file, newParseContext());
    if ('error' in first) throw new Error(first.error);
    const ctx1 = newParseContext();
    runLine(first.session, ctx1, 'file lib 8K', { file: '<prompt>', line: 1 });
    runLine(first.session, ctx1, 'mmap 0x100000000000 8K r-- fixed file=lib off=0', { file: '<prompt>', line: 2 });
    runLine(first.session, ctx1, 'mprotect 0x100000000000 4K rw-', { file: '<prompt>', line: 3 });
    runLine(first.session, ctx1, 'undo', { file: '<prompt>', line: 4 });
    first.session.close();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(5);

    const ctx2 = newParseContext();
    const again = await openSession(null, { kind: 'empty' }, file, ctx2);
    if ('error' in again) throw new Error(again.error);
    const h = again.session.engine.history;
    expect([h.position, h.newest]).toEqual([2, 3]);
    expect(h.event(2)!.text).toBe('mmap 0x100000000000 8K r-- fixed file=lib off=0');
    expect(again.notes[0]).toMatch(/^Resumed one.journal: 3 events and 1 move replayed; position 2\./);
    // The file NAME is declared again, and later lines are recorded.
    expect(runLine(again.session, ctx2, 'mmap 0x100000004000 4K r-- fixed file=lib off=0x1000', { file: '<prompt>', line: 1 }).result).toMatchObject({
      kind: 'outcome',
      outcome: { kind: 'event', seq: 4 },
    });
    again.session.close();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(6);
  });

  test('an existing journal refuses a SCENARIO or --empty beside it', async () => {
    const file = join(dir, 'two.journal');
    const first = await openSession(null, { kind: 'empty' }, file, newParseContext());
    if ('error' in first) throw new Error(first.error);
    first.session.close();
    expect(await openSession({ kind: 'empty' }, { kind: 'empty' }, file, newParseContext())).toHaveProperty('error');
  });

  test('a scenario that does not parse or cannot run is refused with its file and line', async () => {
    const bad = join(dir, 'bad.vma');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, 'file a 4K\nfile a 4K\n');
    expect(await openSession({ kind: 'scenario', path: bad }, { kind: 'empty' }, null, newParseContext())).toEqual({ error: `${bad}:2: file a already exists` });
    expect(await openSession({ kind: 'scenario', path: join(dir, 'nope.vma') }, { kind: 'empty' }, null, newParseContext())).toEqual({
      error: `${join(dir, 'nope.vma')}: cannot read scenario: no such file`,
    });
  });
});
