/**
 * Fuzzing `import json` and `import maps`/`smaps` with mutated snapshots
 * and /proc texts: wrong types, missing and extra fields, other versions,
 * deep nesting, huge arrays and strings; truncated lines, bad hex,
 * overlapping and unordered ranges, stray bytes.
 *
 * For every input: nothing throws; a refusal names the file and then the
 * field (`processes[0].vmas[3].end: ...`) or the line (`line 7: ...`); what
 * is accepted gives a valid state, also in a session that has other
 * processes, and that state's JSON export imports back.
 *
 * Problems already reported (see KNOWN) are counted in the summary but do
 * not fail the run; anything else does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currentState } from '../../commands/engine.js';
import { runScenario } from '../../commands/run-scenario.js';
import { CommandError } from '../../kernel-sim/step.js';
import { initialState, type SimState } from '../../kernel-sim/state.js';
import { applyImport } from '../../snapshots/import-data.js';
import { loadImport } from '../../snapshots/importers.js';
import { mapsText, smapsText } from '../../snapshots/export-maps.js';
import { stateToSnapshot } from '../../snapshots/json-snapshot.js';
import { messageProblems } from './support/checks.js';
import { fuzz, runs, type FuzzReport } from './support/fuzz.js';
import { NASTY_CHARS } from './support/lines.js';
import { stateProblems } from './support/round-trip.js';

/** Problems the sources still have (reported; see the README's Reliability section). */
const KNOWN: readonly { readonly what: string; readonly pattern: RegExp }[] = [];

function unknownFailures(r: FuzzReport): string[] {
  return r.failures.filter((f) => !f.problem.startsWith('threw') && !KNOWN.some((k) => k.pattern.test(f.problem))).map((f) => `${f.input} -> ${f.problem}`);
}

/** The known problems a run met, by kind (the failures kept are only the first few, so this counts all of them). */
function reportKnown(r: FuzzReport): void {
  const seen = KNOWN.filter((k) => r.failures.some((f) => k.pattern.test(f.problem))).map((k) => k.what);
  if (seen.length) console.log(`  known problems among these: ${seen.join('; ')}`);
}

function stateOf(text: string): SimState {
  const r = runScenario(text, 'base.vma');
  if (!r.ok) throw new Error(r.message);
  return currentState(r.engine);
}

/** States of several shapes: files, shmem, anon_vmas, named ones, guards, forks, settings. */
const BASES: readonly SimState[] = [
  stateOf('file data 16K\nmmap 0x100000000000 8K rw- fixed\nmmap 0x100000004000 4K r-- shared fixed file=data\ntouch 0x100000000000\nmmap 0x100000008000 4K rw- shared fixed\n'),
  stateOf('config anon_vma_name on\nconfig soft_dirty on\nmmap 0x100000000000 16K rw- fixed\ntouch 0x100000000000 16K\nmadvise 0x100000004000 4K guard_install\nname 0x100000008000 4K heap\nfork\nprocess 1\nmunmap 0x100000000000 4K\n'),
  stateOf('vma add 0x1000 0x3000 1 rd,wr,mr,mw av=a close\nvma add 0x5000 0x6000 5 rd,mr,mw\nmmap 0x7ffff0000000 3p r-x fixed\nmlock 0x7ffff0000000 4K onfault\n'),
  initialState(),
];

/** A session to import into that is not empty: two processes, the second current. */
const BUSY = stateOf('file data 16K\nmmap 0x100000000000 8K rw- fixed\ntouch 0x100000000000\nfork\nprocess 1\n');

const WRONG_VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1.5, 2 ** 53, 2 ** 53 + 2, 1e308, -0, '', 'x', '0x', '0x1000', '0X1000', '0x01000', '0x1fffffffffffff000',
  '0x10000000000000000', 'rd', 'shmem:0', 'shmem:1', 'av1', ' ', '\u0000', [], {}, [null], { start: '0x0' }, 'y'.repeat(3000),
  Array.from({ length: 2000 }, (_, i) => i), JSON.parse('['.repeat(500) + ']'.repeat(500)),
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

function paths(v: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k]!, [...at, k], out);
  return out;
}

type Edit =
  | { readonly op: 'set'; readonly path: number; readonly value: number }
  | { readonly op: 'delete'; readonly path: number }
  | { readonly op: 'extra'; readonly path: number; readonly key: string }
  | { readonly op: 'duplicate' | 'swap'; readonly path: number }
  | { readonly op: 'nudge'; readonly path: number; readonly by: number }
  | { readonly op: 'hex'; readonly path: number; readonly how: number };

function applyEdit(root: Json, e: Edit): Json {
  const all = paths(root);
  const p = all[e.path % all.length]!;
  if (p.length === 0) return e.op === 'set' ? (WRONG_VALUES[e.value % WRONG_VALUES.length] as Json) : root;
  let parent: Json = root;
  for (const k of p.slice(0, -1)) parent = (parent as Record<string | number, Json>)[k]!;
  const key = p[p.length - 1]!;
  const obj = parent as Record<string | number, Json>;
  const cur = obj[key]!;
  switch (e.op) {
    case 'set':
      obj[key] = structuredClone(WRONG_VALUES[e.value % WRONG_VALUES.length]) as Json;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete obj[key];
      break;
    case 'extra':
      if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) cur[e.key] = 1;
      else if (Array.isArray(cur)) cur.push(cur[0] ?? null);
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(cur));
      break;
    case 'swap':
      if (Array.isArray(parent) && (key as number) + 1 < parent.length) [parent[key as number], parent[(key as number) + 1]] = [parent[(key as number) + 1]!, cur];
      break;
    case 'nudge':
      if (typeof cur === 'number') obj[key] = cur + e.by;
      break;
    case 'hex':
      if (typeof cur === 'string' && /^0x[0-9a-f]+$/.test(cur)) {
        const n = BigInt(cur);
        const forms = [n + 0x1000n, n - 0x1000n, n + 1n, n * 0x10000n, (1n << 53n) - 0x1000n, 1n << 53n, (1n << 64n) - 0x1000n];
        const v = forms[e.how % forms.length]!;
        obj[key] = v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
      }
      break;
  }
  return root;
}

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), path: fc.nat(), value: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), path: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('extra' as const), path: fc.nat(), key: fc.constantFrom('x', '__proto__', 'constructor', 'vmas', '') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('duplicate' as const, 'swap' as const), path: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('nudge' as const), path: fc.nat(), by: fc.constantFrom(-1, 1, 4096, 0.5, 2 ** 31, 2 ** 53) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('hex' as const), path: fc.nat(), how: fc.nat() }) },
);

/** A base snapshot with edits, written as JSON, sometimes cut short or with stray bytes. */
const snapshotText = fc
  .record({
    base: fc.nat({ max: BASES.length - 1 }),
    edits: fc.array(edit, { minLength: 1, maxLength: 3 }),
    cut: fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 999 }).map((n) => n / 1000) }),
    indent: fc.constantFrom(0, 1, 2),
    stray: fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NASTY_CHARS), fc.integer({ min: 0, max: 999 }).map((n) => n / 1000)) }),
  })
  .map(({ base, edits, cut, indent, stray }) => {
    const value = edits.reduce(applyEdit, structuredClone(stateToSnapshot(BASES[base]!)) as unknown as Json);
    let text = JSON.stringify(value, null, indent) ?? 'undefined';
    if (cut !== null) text = text.slice(0, Math.floor(text.length * cut));
    if (stray !== null) {
      const at = Math.floor(text.length * stray[1]);
      text = text.slice(0, at) + stray[0] + text.slice(at);
    }
    return text;
  });

const FIELD_OR_PLACE = /^(?:\(the top level\)|[a-z_]+(?:\[\d+\]|\.[a-z_]+|\.__proto__|\.constructor|\.)*|__proto__|constructor|not valid JSON)[: ]/;

/** Apply accepted data to a fresh and to a busy session; the states it gives must hold. */
function appliedProblems(data: Parameters<typeof applyImport>[1]): string[] {
  const out: string[] = [];
  for (const [label, start] of [['a fresh session', initialState()], ['a session with two processes', BUSY]] as const) {
    let s: SimState;
    try {
      s = applyImport(start, data);
    } catch (e) {
      if (e instanceof CommandError) continue;
      throw e;
    }
    out.push(...stateProblems(s).map((p) => `imported into ${label}: ${p}`));
  }
  return out;
}

describe('imports under hostile input', () => {
  it('import json: a refusal names the field, what is accepted gives a valid state', () => {
    const r = fuzz('json import fuzz', snapshotText, runs(1_200), (text) => {
      const loaded = loadImport('json', { text, name: 'hostile.json' });
      if (!loaded.ok) {
        const problems = messageProblems(loaded.error, text);
        const rest = loaded.error.startsWith('hostile.json: ') ? loaded.error.slice('hostile.json: '.length) : null;
        if (rest === null) problems.push(`does not start with the file name: ${loaded.error.slice(0, 100)}`);
        else if (!FIELD_OR_PLACE.test(rest)) problems.push(`names no field: ${rest.slice(0, 100)}`);
        if (/^not valid JSON/.test(rest ?? '') && !/line \d+, column \d+/.test(rest!)) problems.push(`JSON syntax error without a place: ${rest!.slice(0, 80)}`);
        return { outcome: 'refused', problems };
      }
      return { outcome: 'accepted', problems: appliedProblems(loaded.data) };
    });
    reportKnown(r);
    expect(r.crashes).toBe(0);
    expect(unknownFailures(r)).toEqual([]);
  });

  it('import json: deep nesting and huge arrays are refused by field, without a crash', () => {
    const base = JSON.stringify(stateToSnapshot(BASES[0]!));
    const cases: Record<string, string> = {
      'nesting 100000 deep': '['.repeat(100_000) + ']'.repeat(100_000),
      'a field nested 50000 deep': base.replace('"files":', `"deep":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)},"files":`),
      'a 50000-element array of numbers for files': base.replace(/"files":\[[^\]]*\]/, `"files":[${Array(50_000).fill(7).join(',')}]`),
      'a 1 MB string as format': base.replace('"vmasim-snapshot"', JSON.stringify('x'.repeat(1_000_000))),
    };
    for (const [what, text] of Object.entries(cases)) {
      const t0 = performance.now();
      const r = loadImport('json', { text, name: 'big.json' });
      console.log(`json import of ${what}: refused in ${Math.round(performance.now() - t0)} ms: ${!r.ok && r.error.slice(0, 90)}`);
      expect(r.ok, what).toBe(false);
      expect(messageProblems(!r.ok && r.error, ''), what).toEqual([]);
    }
  });

  const LINE_EDITS = ['cut', 'delete', 'duplicate', 'swap', 'hex', 'blank', 'crlf', 'huge', 'perms', 'nul', 'stray', 'offset', 'path'] as const;
  const mapsInput = fc
    .record({
      base: fc.nat({ max: BASES.length - 1 }),
      smaps: fc.boolean(),
      edits: fc.array(fc.record({ op: fc.constantFrom(...LINE_EDITS), line: fc.nat(), at: fc.integer({ min: 0, max: 999 }).map((n) => n / 1000), pick: fc.nat() }), { minLength: 1, maxLength: 3 }),
    })
    .map(({ base, smaps, edits }) => {
      const lines = (smaps ? smapsText(BASES[base]!) : mapsText(BASES[base]!)).split('\n');
      for (const e of edits) {
        const i = lines.length ? e.line % lines.length : 0;
        const l = lines[i] ?? '';
        const at = Math.floor(l.length * e.at);
        switch (e.op) {
          case 'cut': lines[i] = l.slice(0, at); break;
          case 'delete': lines.splice(i, 1); break;
          case 'duplicate': lines.splice(i, 0, l); break;
          case 'swap': if (i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1]!, l]; break;
          case 'hex': lines[i] = l.slice(0, at) + 'g0FxZ-:'[e.pick % 7] + l.slice(at + 1); break;
          case 'blank': lines.splice(i, 0, ''); break;
          case 'crlf': lines[i] = l + '\r'; break;
          case 'huge': lines[i] = l.replace(/^[0-9a-f]+/, (m) => ['f'.repeat(20), '1' + '0'.repeat(17), m + '000', '7ffffffff000', '0'][e.pick % 5]!); break;
          case 'perms': lines[i] = l.replace(/ [r-][w-][x-][ps] /, ` ${['rwxs', '----', 'rw-', 'RW-P', 'r-xq'][e.pick % 5]} `); break;
          case 'nul': lines[i] = l.slice(0, at) + '\u0000' + l.slice(at); break;
          case 'stray': lines[i] = l.slice(0, at) + NASTY_CHARS[e.pick % NASTY_CHARS.length] + l.slice(at); break;
          case 'offset': lines[i] = l.replace(/^(\S+ \S+ )(\S+)/, (_m, a: string) => a + ['fffffffffffff000', '1', '1000', '00000000000000001000'][e.pick % 4]); break;
          case 'path': lines[i] = l.replace(/^(\S+ \S+ \S+ \S+ \S+)(.*)$/, (_m, a: string) => `${a}      ${['/lib/x.so', '[heap]', '[anon:x]', '[anon_shmem:y]', '/dev/zero (deleted)', 'a b', '[vsyscall]', '\u001b[2J'][e.pick % 8]}`); break;
        }
      }
      return { kind: smaps ? ('smaps' as const) : ('maps' as const), text: lines.join('\n') };
    });

  it('import maps and smaps: a refusal names the line, what is accepted gives a valid state', () => {
    const r = fuzz('maps import fuzz', mapsInput, runs(1_200), ({ kind, text }) => {
      const loaded = loadImport(kind, { text, name: 'hostile' });
      if (!loaded.ok) {
        const problems = messageProblems(loaded.error, text);
        const m = /^hostile: line (\d+): ./.exec(loaded.error);
        if (!m) problems.push(`names no line: ${loaded.error.slice(0, 120)}`);
        else if (Number(m[1]) < 1 || Number(m[1]) > text.split('\n').length) problems.push(`names line ${m[1]} of ${text.split('\n').length}`);
        return { outcome: `${kind} refused`, problems };
      }
      return { outcome: `${kind} accepted`, problems: appliedProblems(loaded.data) };
    });
    reportKnown(r);
    expect(r.crashes).toBe(0);
    expect(unknownFailures(r)).toEqual([]);
  });
});
