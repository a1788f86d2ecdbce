/**
 * `export vitest`: a test file that rebuilds the start state, replays the
 * commands through the simulator and checks every result and the end state
 * (ranges, flags, pgoff, files, anon_vma identity, guard pages, for every
 * process).
 *
 * The start is event 0, or the last import on the path: what an import
 * brought cannot be replayed from a command, so its state is embedded as a
 * JSON snapshot and the commands after it are replayed.
 *
 * The file imports the project's own modules by relative path from where it
 * is written (the package has no `exports` map, so it cannot import itself
 * by name): write it inside this repository, with a name ending in
 * `.test.ts`, and `npx vitest run FILE` runs it as it is.
 */
import { basename, dirname, relative, resolve } from 'node:path';
import { packageRoot } from '../live/paths.js';
import { formatJson } from './export-json.js';
import { isInitialState } from './export-script.js';
import { exported, type Exporter } from './export-types.js';
import { fileReferences, historyPath, importOf } from './history-path.js';
import { stateToSnapshot } from './json-snapshot.js';

/** The project's root as the file at `path` sees it (`../..`), posix style. */
function importBase(path: string | undefined): string {
  const from = path ? dirname(resolve(path)) : packageRoot();
  const rel = relative(from, packageRoot()).split('\\').join('/');
  return rel === '' ? '.' : rel.startsWith('.') ? rel : `./${rel}`;
}

function indentLines(text: string, indent: string): string {
  return text.split('\n').join(`\n${indent}`);
}

export const exportVitest: Exporter = (engine, opts) => {
  const path = historyPath(engine);
  let from = 0;
  path.events.forEach((e, i) => {
    if (importOf(e)) from = i + 1;
  });
  const replayed = path.events.slice(from);
  const startState = from === 0 ? path.start : path.events[from - 1]!.after;
  const startSeq = from === 0 ? 0 : path.events[from - 1]!.seq;
  const start = isInitialState(startState) ? null : stateToSnapshot(startState);
  const end = stateToSnapshot(path.events.length ? path.events[path.events.length - 1]!.after : path.start);
  const declared = [...new Set([...Object.values(startState.files).flatMap((f) => (f.kind === 'regular' ? [f.id] : [])), ...replayed.flatMap((e) => fileReferences(e.command))])];
  const results = replayed.map((e) => ({ command: e.text, ret: e.result.ret, errno: e.result.errno, process: e.result.process }));
  const endLayout = { current: end.current, files: end.files, processes: end.processes };
  const at = importBase(opts.path);
  const title = opts.path ? basename(opts.path).replace(/\.test\.[cm]?[jt]s$/, '').replace(/\.[cm]?[jt]s$/, '') : 'vmasim scenario';
  const startText = start === null ? 'null' : indentLines(formatJson(start), '');

  const text = `/**
 * ${title}: events ${startSeq + 1} to ${path.position} of a vmasim session, replayed.
 *
 * Rebuilds the state of event ${startSeq}${start === null ? ' (the empty start)' : ''}, runs the commands through the
 * simulator, and checks what each returned and the state they lead to: every
 * VMA of every process (range, flags, pgoff, file, anon_vma identity) and the
 * guard pages. anon_vma and shmem ids are compared as identities (which VMAs
 * share one), not by name.
 */
import { describe, expect, it } from 'vitest';
import { currentState, execute, newEngine } from '${at}/commands/engine.js';
import { parseScenario } from '${at}/commands/parse.js';
import { newParseContext } from '${at}/commands/parse-context.js';
import { initialState, type SimState } from '${at}/kernel-sim/state.js';
import { readSnapshot, snapshotToState, stateToSnapshot } from '${at}/snapshots/json-snapshot.js';

/** The state the commands start from, as a vmasim JSON snapshot (null: the empty start). */
const START: unknown = ${startText};

/** The commands, as the history recorded them. */
const COMMANDS: readonly string[] = ${formatJson(replayed.map((e) => e.text))};

/**
 * The file NAMEs the commands may name: those of the start, and those a
 * \`file\` line declared, even one that was undone (naming it then gives EBADF).
 */
const DECLARED: readonly string[] = ${formatJson(declared)};

/** What each command returned, and in which process it ran. */
const RESULTS = ${formatJson(results)};

/** The state after the last command. */
const END = ${formatJson(endLayout)};

interface Layout {
  readonly current: number;
  readonly files: readonly { readonly id: string; readonly kind: string; readonly size: number }[];
  readonly processes: readonly {
    readonly process: number;
    readonly parent: number | null;
    readonly vmas: readonly { readonly file: string | null; readonly anon_vma: string | null; readonly anon_vma_chain: readonly string[] }[];
    readonly guard_ranges: readonly { readonly start: string; readonly end: string }[];
  }[];
}

/** The layout with anon_vma and shmem ids renamed in order of first appearance: identity is what counts. */
function byIdentity(s: Layout): Layout {
  const anon = new Map<string, string>();
  const shmem = new Map<string, string>();
  const a = (id: string) => anon.get(id) ?? (anon.set(id, \`anon_vma #\${anon.size + 1}\`), anon.get(id)!);
  const f = (id: string | null) =>
    id === null || !id.startsWith('shmem:') ? id : (shmem.get(id) ?? (shmem.set(id, \`shmem #\${shmem.size + 1}\`), shmem.get(id)!));
  const processes = s.processes.map((p) => ({
    ...p,
    vmas: p.vmas.map((v) => ({ ...v, file: f(v.file), anon_vma: v.anon_vma === null ? null : a(v.anon_vma), anon_vma_chain: v.anon_vma_chain.map(a) })),
  }));
  const files = s.files.filter((x) => x.kind === 'regular').concat(s.files.filter((x) => x.kind === 'shmem' && shmem.has(x.id)).map((x) => ({ ...x, id: f(x.id)! })));
  return { current: s.current, files, processes };
}

function startState(): SimState {
  if (START === null) return initialState();
  const r = readSnapshot(START);
  if (!r.ok) throw new Error(\`the start state is not a valid snapshot: \${r.error}\`);
  return snapshotToState(r.snapshot);
}

describe(${JSON.stringify(title)}, () => {
  it('replays to the recorded results and end state', () => {
    const start = startState();
    const parsed = parseScenario(COMMANDS.join('\\n'), 'COMMANDS', newParseContext(DECLARED));
    if ('error' in parsed) throw new Error(\`COMMANDS[\${parsed.error.line - 1}]: \${parsed.error.message}\`);
    let engine = newEngine(start);
    const results = [];
    for (const line of parsed.lines) {
      const out = execute(engine, line.cmd, line.canonical);
      if (out.kind !== 'event') throw new Error(\`'\${line.text}' did not run: \${out.kind === 'refused' ? out.message : out.kind}\`);
      engine = out.engine;
      results.push({ command: line.canonical, ret: out.outcome.ret, errno: out.outcome.errno, process: out.outcome.process });
    }
    expect(results).toEqual(RESULTS);
    const end = stateToSnapshot(currentState(engine));
    expect(byIdentity({ current: end.current, files: end.files, processes: end.processes })).toEqual(byIdentity(END));
  });
});
`;
  const notes = from > 0 ? [`the test starts from the state event ${startSeq} imported, embedded in the file`] : [];
  return exported(text, notes);
};
