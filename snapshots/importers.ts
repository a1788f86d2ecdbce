/**
 * `import KIND PATH`: reading a file into ImportData (import-data.ts), one
 * reader per KIND. Reading is the only part that touches the file system;
 * applying the data (applyImport) is pure. Every failure is a value naming
 * the file and the place in it; nothing is kept on failure.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ImportKind } from '../commands/ast.js';
import { currentState } from '../commands/engine.js';
import { runScenario } from '../commands/run-scenario.js';
import { capMessage } from '../kernel-sim/short-text.js';
import { readInputFile } from './read-input-file.js';
import { basename } from 'node:path';
import type { ImportData, ImportSource } from './import-data.js';
import { importMapsText } from './import-maps.js';
import { parseSnapshotText, stateToSnapshot } from './json-snapshot.js';

/** A file to read (absolute, or relative to the working directory), or text already in hand. */
export type ImportInput = { readonly path: string } | { readonly text: string; readonly name?: string };

export type LoadResult =
  | { readonly ok: true; readonly data: ImportData; readonly notes: readonly string[] }
  | { readonly ok: false; readonly error: string };

type Reader = (text: string, source: ImportSource, name: string) => LoadResult;

const READERS: Readonly<Record<ImportKind, Reader>> = {
  json: (text, source, name) => {
    const r = parseSnapshotText(text);
    if (!r.ok) return { ok: false, error: `${name}: ${r.error}` };
    // The history and window are for readers; the event keeps only the state.
    const { history: _history, window: _window, ...s } = r.snapshot;
    const notes = [`the settings (config) come from the snapshot`];
    if (s.processes.length > 1)
      notes.push(`the snapshot holds ${s.processes.length} processes: the address space of its current process ${s.current} is imported, the others are not`);
    return { ok: true, data: { kind: 'state', format: 'json', source, snapshot: s }, notes };
  },
  script: (text, source, name) => {
    // A script that imports itself, or a cycle of scripts, stops at once; a long chain at a depth limit.
    const key = source.kind === 'file' ? source.path : name;
    if (importing.includes(key)) return { ok: false, error: `${basename(key)} imports itself (${[...importing, key].map((p) => basename(p)).join(' -> ')})` };
    if (importing.length >= MAX_SCRIPT_DEPTH) return { ok: false, error: `${name}: scripts import each other more than ${MAX_SCRIPT_DEPTH} deep` };
    importing.push(key);
    let run;
    try {
      run = runScenario(text, name, { allowExport: false });
    } finally {
      importing.pop();
    }
    // A scenario message quotes a word whole (commands/), so a 1 MB word would make a 1 MB message here.
    if (!run.ok) return { ok: false, error: capMessage(run.message) };
    const state = currentState(run.engine);
    const notes = [`ran ${name} (${run.engine.history.position} events) and took its final state, settings (config) included`];
    if (state.processes.length > 1)
      notes.push(`the script ends with ${state.processes.length} processes: the address space of its current process ${state.current} is imported, the others are not`);
    return { ok: true, data: { kind: 'state', format: 'script', source, snapshot: stateToSnapshot(state) }, notes };
  },
  maps: (text, source, name) => withName(importMapsText(text, 'maps', source), name),
  smaps: (text, source, name) => withName(importMapsText(text, 'smaps', source), name),
};

function withName(r: ReturnType<typeof importMapsText>, name: string): LoadResult {
  return r.ok ? r : { ok: false, error: `${name}: ${r.error}` };
}

const MAX_SCRIPT_DEPTH = 8;
/** Scripts being imported right now, outermost first. */
const importing: string[] = [];

function readError(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
  return `cannot read ${path}: ${why}`;
}

/** Read and check what `import KIND PATH` would load. */
export function loadImport(kind: ImportKind, input: ImportInput): LoadResult {
  if ('text' in input) {
    const name = input.name ?? `${kind} text`;
    return READERS[kind](input.text, { kind: 'text', name }, name);
  }
  const path = resolve(input.path);
  const read = readInputFile(path, input.path);
  if ('error' in read) return { ok: false, error: read.error };
  return READERS[kind](read.text, { kind: 'file', path }, input.path);
}

/**
 * A running process's address space, from /proc/PID/smaps (or, where that
 * cannot be read, /proc/PID/maps), as `vmasim --from-pid PID` starts from.
 */
export function importSmapsFromPid(pid: number): LoadResult {
  if (!Number.isSafeInteger(pid) || pid <= 0) return { ok: false, error: `expected a process id (a whole number above 0), got ${pid}` };
  const smapsPath = `/proc/${pid}/smaps`;
  let smapsError: string;
  try {
    const text = readFileSync(smapsPath, 'utf8');
    return withName(importMapsText(text, 'smaps', { kind: 'pid', pid, path: smapsPath }), smapsPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, error: `there is no process ${pid} (${smapsPath} does not exist)` };
    smapsError = readError(smapsPath, e);
  }
  const mapsPath = `/proc/${pid}/maps`;
  try {
    const text = readFileSync(mapsPath, 'utf8');
    const r = withName(importMapsText(text, 'maps', { kind: 'pid', pid, path: mapsPath }), mapsPath);
    return r.ok ? { ...r, notes: [`${smapsError}: read ${mapsPath} instead`, ...r.notes] } : r;
  } catch (e) {
    return { ok: false, error: `${smapsError}; ${readError(mapsPath, e)}` };
  }
}
