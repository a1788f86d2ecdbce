/**
 * Fuzzing the command language's entry points with hostile text: one line
 * (parseLine, as the REPL and the journal use it), a whole scenario file
 * (runScenario, as `vmasim run` uses it), lines typed at the REPL (runLine on
 * the session), and the REPL reading a pipe (lineMode).
 *
 * For every input: nothing throws; an error is one line, names the file, the
 * line and a column inside the line, and shows no stack trace; a line that is
 * refused leaves the history, the state, the window and the files as they
 * were; a line that is accepted has a canonical text that parses back to the
 * same command (the journal stores that text and a resume parses it again).
 */
import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newParseContext, type ParseContext } from '../../commands/parse-context.js';
import { parseLine, parseScenario } from '../../commands/parse.js';
import { formatParseError } from '../../commands/parse-error.js';
import { runScenario } from '../../commands/run-scenario.js';
import { lineMode } from '../../cli/repl/line-mode.js';
import { runLine } from '../../cli/repl/run-line.js';
import { validateState } from '../../kernel-sim/validate.js';
import { mapsTable } from '../../snapshots/maps-format.js';
import { messageProblems } from './support/checks.js';
import { fuzz, runs } from './support/fuzz.js';
import { anyLine, scenarioText } from './support/lines.js';
import { fingerprint, sandbox } from './support/sandbox.js';
import { changes, observe, pathsInside, seedSandbox, simSession } from './support/session.js';

const box = sandbox();
beforeAll(() => seedSandbox(box.dir));
afterAll(() => box.remove());

const WHERE = { file: 'hostile.vma', line: 7 };

/** What a message must not print raw: a terminal would act on it (commands/printable.ts). */
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Big integers survive JSON for comparisons. */
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));

function codePoints(s: string): number {
  return [...s].length;
}

/** The problems of a parse error for `line`, or of its canonical text's round trip. */
function parseProblems(line: string, ctx: ParseContext): { outcome: string; problems: string[] } {
  const before = [...ctx.files];
  const r = parseLine(line, ctx, WHERE);
  const problems: string[] = [];
  if (r.kind === 'empty') return { outcome: 'empty', problems };
  if (r.kind === 'error') {
    const e = r.error;
    problems.push(...messageProblems(e.message, line));
    if (RAW_CONTROL.test(e.message)) problems.push(`shows a raw control character: ${JSON.stringify(e.message).slice(0, 160)}`);
    if (e.file !== WHERE.file || e.line !== WHERE.line) problems.push(`names ${e.file}:${e.line}, not ${WHERE.file}:${WHERE.line}`);
    if (!Number.isInteger(e.column) || e.column < 1 || e.column > codePoints(line) + 1) problems.push(`column ${e.column} lies outside the line (${codePoints(line)} characters)`);
    if (json([...ctx.files]) !== json(before)) problems.push('a line that does not parse changed the declared files');
    return { outcome: 'parse error', problems };
  }
  const added = [...ctx.files].filter((f) => !before.includes(f));
  if (added.length > (r.cmd.kind === 'file' ? 1 : 0)) problems.push(`declared ${json(added)}`);
  // The journal keeps the canonical text; a resume parses it again.
  const again = parseLine(r.canonical, newParseContext(ctx.files), WHERE);
  if (again.kind !== 'command') problems.push(`its canonical text ${json(r.canonical)} does not parse back: ${again.kind === 'error' ? again.error.message : again.kind}`);
  else if (again.canonical !== r.canonical || json(again.cmd) !== json(r.cmd)) problems.push(`its canonical text ${json(r.canonical)} parses back as ${json(again.canonical)} = ${json(again.cmd)}, not ${json(r.cmd)}`);
  return { outcome: 'parsed', problems };
}

describe('the command language under hostile input', () => {
  it('parseLine: every line gives a command, nothing, or an error with its place', () => {
    const ctx = newParseContext(['data', 'data2']);
    const r = fuzz('parse fuzz', anyLine, runs(3_000), (line) => parseProblems(line, ctx));
    expect(r.crashes).toBe(0);
    expect(r.failures).toEqual([]);
  });

  // A CRLF file with a stray CR ("...\r\r\n") once left a CR in the last word's canonical text,
  // which the journal recorded and a resume stripped. A CR is now a line end wherever it stands.
  it('a canonical text parses back to the same command when the last word ends in CR', () => {
    for (const line of ['vma add 0x3000 0x4000 3 rd,wr,mr,mw av=a\r\r', 'name 0x100000000000 4K heap\r\r', 'import maps good.maps\r\r']) {
      const r = parseLine(line, newParseContext(), WHERE);
      expect(r.kind).toBe('command');
      const again = parseLine((r as { canonical: string }).canonical, newParseContext(), WHERE);
      expect(json(again.kind === 'command' && again.cmd)).toBe(json((r as { cmd: unknown }).cmd));
    }
  });

  it('runScenario: every file runs or stops at a line it names, with invariants checked after every line', () => {
    const file = join(box.dir, 'fuzz.vma');
    const r = fuzz('scenario fuzz', scenarioText, runs(600), (text) => {
      const parsed = parseScenario(text, file);
      if ('lines' in parsed && !parsed.lines.every((l) => pathsInside(l.cmd, box.dir))) return { outcome: 'skipped: a PATH outside the sandbox' };
      const rows = text.split(/\r\n|\r|\n/).length;
      const out = runScenario(text, file, { check: true });
      if (out.ok) {
        JSON.stringify(out.report);
        mapsTable(out.report.vmas);
        return { outcome: 'ran' };
      }
      const problems = messageProblems(out.message, text);
      if (RAW_CONTROL.test(out.message.slice(file.length))) problems.push(`shows a raw control character: ${JSON.stringify(out.message).slice(0, 160)}`);
      const m = /^(.*?):(\d+)(?::(\d+))?: /.exec(out.message);
      if (!m || m[1] !== file) problems.push(`does not start with ${file}:LINE: ${out.message.slice(0, 120)}`);
      else if (Number(m[2]) < 1 || Number(m[2]) > rows) problems.push(`names line ${m[2]} of ${rows}`);
      if (/broke an invariant/.test(out.message)) problems.push(out.message);
      return { outcome: m?.[3] ? 'parse error' : 'refused', problems };
    });
    expect(r.crashes).toBe(0);
    expect(r.failures).toEqual([]);
  });

  it('the REPL: a refused line changes nothing, an accepted one leaves a valid state', () => {
    const session = simSession(box.dir);
    const ctx = newParseContext();
    let n = 0;
    const r = fuzz('repl fuzz', anyLine, runs(1_000), (line) => {
      const probe = parseLine(line, newParseContext(ctx.files), WHERE);
      if (probe.kind === 'command' && !pathsInside(probe.cmd, box.dir)) return { outcome: 'skipped: a PATH outside the sandbox' };
      const snapshotCommand = probe.kind === 'command' && (probe.cmd.kind === 'export' || probe.cmd.kind === 'import');
      const files = snapshotCommand ? fingerprint(box.dir) : null;
      const was = observe(session);
      const run = runLine(session, ctx, line, { file: '<stdin>', line: ++n });
      const now = observe(session);
      const res = run.result;
      const problems: string[] = [];
      const unchanged = (what: string) => {
        const c = changes(was, now);
        if (c.length) problems.push(`${what} changed the session: ${c.join(', ')}`);
        if (files && json(fingerprint(box.dir)) !== json(files)) problems.push(`${what} changed the files`);
      };
      switch (res.kind) {
        case 'parse-error':
          problems.push(...messageProblems(res.error.message, line));
          unchanged('a line that does not parse');
          return { outcome: 'parse error', problems };
        case 'refused':
          problems.push(...messageProblems(res.message, line));
          unchanged('a refused line');
          return { outcome: 'refused', problems };
        case 'outcome': {
          const o = res.outcome;
          if (o.kind === 'refused') {
            problems.push(...messageProblems(o.message, line));
            unchanged('a refused command');
            return { outcome: 'refused', problems };
          }
          if (o.kind === 'event') {
            if (now.newest !== was.newest + 1 || now.position !== now.newest) problems.push(`an event moved the history from ${was.position}/${was.newest} to ${now.position}/${now.newest}`);
            problems.push(...validateState(session.engine.history.current.state));
          }
          return { outcome: o.kind, problems };
        }
        default:
          return { outcome: res.kind, problems };
      }
    });
    session.close();
    expect(r.crashes).toBe(0);
    expect(r.failures).toEqual([]);
    // Refused lines changed no file (checked line by line above); no export left a temporary file.
    expect(Object.keys(fingerprint(box.dir)).filter((k) => /\.tmp$/.test(k))).toEqual([]);
  });

  it('the REPL on a pipe: every error line names <stdin> and its line, and the exit status says whether one failed', async () => {
    const texts = fc.sample(scenarioText, { numRuns: runs(40), seed: 5 });
    let crashes = 0;
    let errors = 0;
    const failures: string[] = [];
    for (const text of texts) {
      // As the pipe receives it: UTF-8 carries no lone surrogate.
      const parsed = parseScenario(Buffer.from(text).toString('utf8'), 'x');
      if ('lines' in parsed && !parsed.lines.every((l) => pathsInside(l.cmd, box.dir))) continue;
      const input = new PassThrough();
      const out = new PassThrough();
      const err = new PassThrough();
      const chunks: string[] = [];
      err.on('data', (b: Buffer) => chunks.push(b.toString()));
      out.resume();
      input.end(text);
      let code: number;
      try {
        code = await lineMode(simSession(box.dir), newParseContext(), [], input, out, err);
      } catch (e) {
        crashes++;
        failures.push(`${JSON.stringify(text).slice(0, 120)} threw ${String(e)}`);
        continue;
      }
      const lines = chunks.join('').split('\n').filter((l) => l !== '');
      errors += lines.length;
      const rows = text.split(/\r\n|\n|\r/).length;
      for (const l of lines) {
        const m = /^<stdin>:(\d+):(?:\d+:)? (.*)$/s.exec(l);
        if (!m || Number(m[1]) < 1 || Number(m[1]) > rows || messageProblems(m[2], text).length || RAW_CONTROL.test(l)) failures.push(`${JSON.stringify(text).slice(0, 120)}: stderr line ${JSON.stringify(l).slice(0, 160)}`);
      }
      // `vmasim run` and the pipe split lines alike: the line that does not parse is the same line, with the same message.
      if ('error' in parsed && !/works only at the REPL prompt/.test(parsed.error.message)) {
        const same = formatParseError({ ...parsed.error, file: '<stdin>' });
        if (!lines.includes(same)) failures.push(`${JSON.stringify(text).slice(0, 120)}: \`vmasim run\` says ${JSON.stringify(same)}, the pipe does not`);
      }
      if ((code === 1) !== lines.length > 0) failures.push(`${JSON.stringify(text).slice(0, 120)}: exit ${code} with ${lines.length} error lines`);
    }
    console.log(`pipe fuzz: ${texts.length} inputs, ${crashes} crashes, ${failures.length} problems (${errors} error lines)`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(crashes).toBe(0);
  });
});
