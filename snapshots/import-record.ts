/**
 * What the journal keeps of an import: the ImportData its file gave
 * (store/journal-format.ts, an event's `data`). Replaying the event rebuilds
 * the state it recorded from that, whatever became of the file since.
 *
 * Read back, the data gets the checks a snapshot file gets: a line's
 * checksum proves the line unchanged, not that vmasim wrote it, and data that
 * applyImport trusts must not come from anywhere unchecked.
 */
import type { ImportKind } from '../commands/ast.js';
import { initialState } from '../kernel-sim/state.js';
import { isImportCommand, type ImportCommand, type ImportData, type ImportSource } from './import-data.js';
import { readSnapshot, stateToSnapshot } from './json-snapshot.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshot-schema.js';

/** The data to journal with a command: an import's, else undefined. */
export function importDataOf(cmd: unknown): ImportData | undefined {
  return isImportCommand(cmd) ? cmd.data : undefined;
}

/** The import a journal line recorded (its FORMAT and PATH, and its data), or what is wrong with the data. */
export function recordedImport(format: ImportKind, path: string, value: unknown): { readonly cmd: ImportCommand } | { readonly error: string } {
  const data = readImportData(format, value);
  if ('error' in data) return { error: `the data recorded with it is not valid: ${data.error}` };
  return { cmd: { kind: 'import', format, path, data: data.data } };
}

type Read<T> = { readonly data: T } | { readonly error: string };

function readImportData(format: ImportKind, value: unknown): Read<ImportData> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'expected a JSON object' };
  const o = value as Record<string, unknown>;
  const kind = format === 'json' || format === 'script' ? 'state' : 'address-space';
  if (o.kind !== kind) return { error: `kind: expected "${kind}" for an import ${format}, got ${JSON.stringify(o.kind)}` };
  if (o.format !== format) return { error: `format: expected "${format}", got ${JSON.stringify(o.format)}` };
  const source = readSource(o.source);
  if ('error' in source) return source;
  if (kind === 'state') {
    const r = readSnapshot(o.snapshot);
    if (!r.ok) return { error: `snapshot${r.error.startsWith('(') ? ' ' : '.'}${r.error}` };
    return { data: { kind: 'state', format: format as 'json' | 'script', source: source.data, snapshot: r.snapshot } };
  }
  // An address space is checked as the one process of a snapshot, with
  // settings of its own: the rules for files and VMAs are the same.
  const vmas = o.vmas;
  const anonIds = new Set<string>();
  if (Array.isArray(vmas)) {
    for (const v of vmas) {
      const chain = (v as { anon_vma_chain?: unknown } | null)?.anon_vma_chain;
      if (Array.isArray(chain)) for (const id of chain) if (typeof id === 'string') anonIds.add(id);
    }
  }
  const r = readSnapshot({
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    config: stateToSnapshot(initialState()).config,
    files: o.files,
    anon_vmas: [...anonIds].map((id) => ({ id, named: false })),
    counters: { next_anon_vma: Number.MAX_SAFE_INTEGER, next_shmem: Number.MAX_SAFE_INTEGER },
    current: 0,
    processes: [{ process: 0, parent: null, vmas, guard_ranges: [] }],
  });
  if (!r.ok) return { error: r.error.replace(/^processes\[0\]\./, '') };
  return { data: { kind: 'address-space', format: format as 'maps' | 'smaps', source: source.data, files: r.snapshot.files, vmas: r.snapshot.processes[0]!.vmas } };
}

function readSource(value: unknown): Read<ImportSource> {
  const bad = { error: 'source: expected {"kind":"file","path":...}, {"kind":"text","name":...} or {"kind":"pid","pid":...,"path":...}' };
  if (typeof value !== 'object' || value === null) return bad;
  const s = value as Record<string, unknown>;
  if (s.kind === 'file' && typeof s.path === 'string') return { data: { kind: 'file', path: s.path } };
  if (s.kind === 'text' && typeof s.name === 'string') return { data: { kind: 'text', name: s.name } };
  if (s.kind === 'pid' && typeof s.pid === 'number' && Number.isSafeInteger(s.pid) && s.pid > 0 && typeof s.path === 'string') {
    return { data: { kind: 'pid', pid: s.pid, path: s.path } };
  }
  return bad;
}
