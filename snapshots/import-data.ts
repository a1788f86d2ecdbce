/**
 * What an `import` carries, and what it does to the simulated machine.
 *
 * loadImport (importers.ts) reads a file once and turns it into ImportData:
 * plain JSON, so the event can keep it and the journal can record it, and
 * replaying the event never reads the file again. applyImport is the pure
 * part: the same state and data always give the same new state.
 *
 * What an import replaces (scenario-language.md: an import acts on the
 * current process):
 * - the current process's address space (its VMAs and guard markers): the
 *   imported VMAs are linked exactly as given, nothing merges;
 * - files are added; a regular file whose NAME the machine already has is
 *   that same file (one open file, so VMAs of both can merge);
 * - json and script imports also bring their settings (`config`), under
 *   which their VMAs were made; maps and smaps leave the settings alone.
 * Other processes are left as they are. Ids that would collide with theirs
 * are renamed; json and script keep their anon_vma and shmem ids otherwise,
 * so importing a snapshot into a fresh session gives back the same state.
 */
import type { ImportKind } from '../commands/ast.js';
import { CommandError, type StepOutcome } from '../kernel-sim/step.js';
import { GuardMarkers } from '../kernel-sim/guard-markers.js';
import { describeAboveCeiling, MAX_FILES, processAboveCeiling, regularFileCount } from '../kernel-sim/sim-limits.js';
import { shortJson, shortText } from '../kernel-sim/short-text.js';
import type { SimFile, SimState } from '../kernel-sim/state.js';
import { VmaTree } from '../kernel-sim/vma-tree.js';
import type { Vma } from '../kernel-sim/vma.js';
import { snapshotConfig, snapshotFileToFile, snapshotGuards, snapshotVmaToVma } from './json-snapshot.js';
import type { Snapshot, SnapshotFile, SnapshotVma } from './snapshot-schema.js';

/** Where imported data came from: named in notes and messages, and used by `export script`. */
export type ImportSource =
  /** An absolute path. */
  | { readonly kind: 'file'; readonly path: string }
  /** Text handed over directly (tests, the API). */
  | { readonly kind: 'text'; readonly name: string }
  /** /proc/PID/smaps or /proc/PID/maps of a running process. */
  | { readonly kind: 'pid'; readonly pid: number; readonly path: string };

/** json and script: a whole machine, of which the current process's address space is imported. */
export interface StateImport {
  readonly kind: 'state';
  readonly format: 'json' | 'script';
  readonly source: ImportSource;
  readonly snapshot: Snapshot;
}

/**
 * maps and smaps: one address space. VMAs refer to `files` by id; anon_vma
 * ids here are labels, replaced by fresh ids when applied.
 */
export interface AddressSpaceImport {
  readonly kind: 'address-space';
  readonly format: 'maps' | 'smaps';
  readonly source: ImportSource;
  readonly files: readonly SnapshotFile[];
  readonly vmas: readonly SnapshotVma[];
}

export type ImportData = StateImport | AddressSpaceImport;

/** The state-changing command an `import` line becomes once its file is loaded. */
export interface ImportCommand {
  readonly kind: 'import';
  readonly format: ImportKind;
  /** The PATH as written on the line. */
  readonly path: string;
  readonly data: ImportData;
}

export function isImportCommand(cmd: unknown): cmd is ImportCommand {
  return typeof cmd === 'object' && cmd !== null && (cmd as { kind?: unknown }).kind === 'import' && 'data' in cmd;
}

/** One line for history listings and traces. */
export function describeImport(data: ImportData): string {
  const from = data.source.kind === 'file' ? data.source.path : data.source.kind === 'pid' ? data.source.path : data.source.name;
  const n = data.kind === 'state' ? data.snapshot.processes[data.snapshot.current]!.vmas.length : data.vmas.length;
  return `imported ${n} VMA${n === 1 ? '' : 's'} from ${data.format} ${from}`;
}

/**
 * The event an import becomes, for the engine's reducer: the new state and a
 * trace line; an import has no entry in `results` (it is not a system call).
 * Throws CommandError, like step(), when the import cannot be applied.
 */
export function importOutcome(state: SimState, cmd: ImportCommand): StepOutcome {
  const next = applyImport(state, cmd.data);
  return { state: next, reported: false, ret: 0, errno: null, trace: [{ kind: 'note', text: describeImport(cmd.data) }], process: state.current };
}

interface Incoming {
  readonly files: readonly SnapshotFile[];
  readonly vmas: readonly SnapshotVma[];
  readonly guards: GuardMarkers;
  /** anon_vma ids named by `av=` in the imported state. */
  readonly named: readonly string[];
  /** Keep imported anon_vma and shmem ids unless another process uses them. */
  readonly keepIds: boolean;
  /** Regular files must agree in size with files of the same NAME (false when sizes were guessed). */
  readonly strictSizes: boolean;
  readonly config: SimState['config'];
  readonly nextAnonVma: number;
  readonly nextShmem: number;
}

/**
 * Replace the current process's address space with the imported one (see
 * the file comment). Pure. A regular file that exists with another size is
 * a CommandError: the import is refused and nothing changes.
 */
export function applyImport(state: SimState, data: ImportData): SimState {
  if (data.kind === 'state') {
    const s = data.snapshot;
    const p = s.processes[s.current]!;
    return install(state, {
      files: s.files,
      vmas: p.vmas,
      guards: snapshotGuards(p.guard_ranges),
      named: s.anon_vmas.filter((a) => a.named).map((a) => a.id),
      keepIds: true,
      strictSizes: true,
      config: snapshotConfig(s),
      nextAnonVma: s.counters.next_anon_vma,
      nextShmem: s.counters.next_shmem,
    });
  }
  return install(state, {
    files: data.files,
    vmas: data.vmas,
    guards: GuardMarkers.EMPTY,
    named: [],
    keepIds: false,
    strictSizes: false,
    config: state.config,
    nextAnonVma: 1,
    nextShmem: 1,
  });
}

function idNumber(id: string, prefix: RegExp): number {
  const m = prefix.exec(id);
  return m ? Number(m[1]) : 0;
}

function install(state: SimState, inc: Incoming): SimState {
  // anon_vma ids that stay in use: those of the other processes.
  const taken = new Set<string>();
  state.processes.forEach((p, i) => {
    if (i === state.current) return;
    for (const v of p.mm.vmas) for (const id of v.anonVmaChain) taken.add(id);
  });
  const named = new Set(state.namedAnonVmas);
  const anonMap = new Map<string, string>();
  const incomingIds: string[] = [...inc.named];
  for (const v of inc.vmas) incomingIds.push(...v.anon_vma_chain);
  if (inc.keepIds) for (const id of incomingIds) if (!taken.has(id) && !anonMap.has(id)) anonMap.set(id, id);
  const keptIds = new Set(anonMap.values());
  let nextAnon = Math.max(state.nextAnonVma, inc.keepIds ? inc.nextAnonVma : 1);
  for (const id of incomingIds) {
    if (anonMap.has(id)) continue;
    let fresh: string;
    do fresh = `av${nextAnon++}`;
    while (taken.has(fresh) || named.has(fresh) || keptIds.has(fresh) || inc.named.includes(fresh));
    anonMap.set(id, fresh);
  }
  for (const id of keptIds) if (!inc.named.includes(id)) nextAnon = Math.max(nextAnon, idNumber(id, /^av([0-9]+)$/) + 1);
  const namedAfter = [...state.namedAnonVmas];
  for (const id of inc.named) {
    const mapped = anonMap.get(id)!;
    if (!namedAfter.includes(mapped)) namedAfter.push(mapped);
  }

  // Files: regular files by NAME; shmem objects keep their id where it is free.
  const files: Record<string, SimFile> = { ...state.files };
  const fileMap = new Map<string, string>();
  const shmemKept = new Set<string>();
  if (inc.keepIds) for (const f of inc.files) if (f.kind === 'shmem' && !state.files[f.id]) shmemKept.add(f.id);
  let nextShmem = Math.max(state.nextShmem, inc.keepIds ? inc.nextShmem : 1);
  for (const id of shmemKept) nextShmem = Math.max(nextShmem, idNumber(id, /^shmem:([0-9]+)$/) + 1);
  for (const f of inc.files) {
    if (f.kind === 'regular') {
      const existing = state.files[f.name];
      // The readers refuse such names; a regular file must never be joined to a shmem object.
      if (existing && existing.kind !== 'regular') throw new CommandError(`the imported file ${shortJson(f.name)} has the id of a shmem object`);
      if (existing && inc.strictSizes && existing.size !== f.size)
        throw new CommandError(`file ${shortText(f.name)} already exists with ${existing.size} bytes; the imported one has ${f.size}`);
      if (!existing) files[f.name] = snapshotFileToFile(f);
      fileMap.set(f.id, f.name);
      continue;
    }
    let id = f.id;
    if (!shmemKept.has(id)) {
      do id = `shmem:${nextShmem++}`;
      while (files[id] || shmemKept.has(id));
    }
    files[id] = { ...snapshotFileToFile(f), id };
    fileMap.set(f.id, id);
  }

  const vmas: Vma[] = inc.vmas.map((sv) => {
    const v = snapshotVmaToVma(sv);
    const chain = v.anonVmaChain.map((id) => anonMap.get(id)!);
    return {
      ...v,
      file: v.file === null ? null : fileMap.get(v.file)!,
      anonVma: v.anonVma === null ? null : anonMap.get(v.anonVma)!,
      anonVmaChain: chain,
    };
  });
  const processes = state.processes.slice();
  processes[state.current] = { ...processes[state.current]!, mm: { vmas: VmaTree.fromSorted(vmas), guards: inc.guards } };
  const next: SimState = {
    ...state,
    config: inc.config,
    files,
    processes,
    nextAnonVma: nextAnon,
    nextShmem,
    namedAnonVmas: namedAfter,
  };
  // What every state must keep to be exported and imported back (kernel-sim/sim-limits.ts).
  const above = processAboveCeiling(next);
  if (above) throw new CommandError(`the import would leave process ${above.process} with ${describeAboveCeiling(above.vmas)}`);
  const fileCount = regularFileCount(files);
  if (fileCount > MAX_FILES) throw new CommandError(`the import would make ${fileCount.toLocaleString('en-US')} files, more than the ${MAX_FILES.toLocaleString('en-US')} vmasim holds`);
  return next;
}
