/**
 * The simulated machine as a JSON snapshot (docs/snapshot-format.md) and
 * back. `stateToSnapshot` and `snapshotToState` are exact inverses for every
 * state the simulator can reach; `readSnapshot` validates untrusted input
 * (the zod schema, then the rules a schema cannot express) and names the
 * field that is wrong.
 */
import { flagsToMnemonics, mnemonicsToFlags } from '../kernel-sim/flags.js';
import { GuardMarkers } from '../kernel-sim/guard-markers.js';
import type { Process, SimConfig, SimFile, SimState } from '../kernel-sim/state.js';
import { VmaTree } from '../kernel-sim/vma-tree.js';
import { hex, PAGE_SIZE, type Vma } from '../kernel-sim/vma.js';
import { shortJson as q, shortText } from '../kernel-sim/short-text.js';
import { anonNameProblem, anonVmaIdProblem, describeAboveCeiling, fileNameProblem, MAX_FILES, MAX_PROCESSES, MAX_VMAS } from '../kernel-sim/sim-limits.js';
import { findJsonSyntaxError } from './json-syntax.js';
import type { Window } from './sim-report.js';
import {
  describeIssue,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  snapshotSchemas,
  type Snapshot,
  type SnapshotAnonVma,
  type SnapshotFile,
  type SnapshotGuardRange,
  type SnapshotProcess,
  type SnapshotVma,
} from './snapshot-schema.js';
import { checkGuardPages, SNAPSHOT_VERSION_1, snapshotV1Schemas, upgradeV1, type SnapshotV1, type SnapshotV1Process } from './snapshot-v1.js';

/** The highest address the simulator holds exactly (addresses are doubles). */
const ADDRESS_LIMIT = 2 ** 53;
/** The user address limit the `config mmap_base` line allows (TASK_SIZE). */
const TASK_SIZE = 0x7ffffffff000;

export interface SnapshotHistory {
  /** The current event. */
  readonly position: number;
  /** The events on the path from event 0 to the current one, event 0 left out. */
  readonly events: readonly { readonly seq: number; readonly command: string; readonly result: string }[];
}

export interface SnapshotOptions {
  /** The session's window (a setting, not part of the state: written for readers, ignored on import). */
  readonly window?: Window;
  readonly history?: SnapshotHistory;
}

export type SnapshotRead = { readonly ok: true; readonly snapshot: Snapshot } | { readonly ok: false; readonly error: string };

// --- state → snapshot ------------------------------------------------------

export function vmaToSnapshot(v: Vma): SnapshotVma {
  return {
    start: hex(v.start),
    end: hex(v.end),
    pgoff: v.pgoff,
    vmflags: flagsToMnemonics(v.flags),
    file: v.file,
    anon_vma: v.anonVma,
    anon_vma_chain: [...v.anonVmaChain],
    name: v.anonName,
    close: v.hasClose,
  };
}

function fileToSnapshot(f: SimFile): SnapshotFile {
  return f.kind === 'regular'
    ? { id: f.id, kind: 'regular', name: f.name ?? f.id, size: f.size }
    : { id: f.id, kind: 'shmem', name: null, size: f.size };
}

/** Named anon_vmas first (in the order `av=` named them), then the others in the order VMAs show them. */
function anonVmaList(state: SimState): SnapshotAnonVma[] {
  const seen = new Set<string>();
  const out: SnapshotAnonVma[] = [];
  for (const id of state.namedAnonVmas) {
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ id, named: true });
  }
  for (const p of state.processes)
    for (const v of p.mm.vmas)
      for (const id of v.anonVmaChain) {
        if (seen.has(id)) continue;
        seen.add(id);
        out.push({ id, named: false });
      }
  return out;
}

export function stateToSnapshot(state: SimState, opts: SnapshotOptions = {}): Snapshot {
  const c = state.config;
  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    config: {
      anon_vma_name: c.anonVmaName,
      soft_dirty: c.softDirty,
      max_map_count: c.maxMapCount,
      mmap_base: hex(c.mmapBase),
      total_ram_pages: c.totalRamPages,
    },
    ...(opts.window ? { window: { start: hex(opts.window.start), end: hex(opts.window.end) } } : {}),
    files: Object.values(state.files).map(fileToSnapshot),
    anon_vmas: anonVmaList(state),
    counters: { next_anon_vma: state.nextAnonVma, next_shmem: state.nextShmem },
    current: state.current,
    processes: state.processes.map(
      (p): SnapshotProcess => ({
        process: p.id,
        parent: p.parent,
        vmas: p.mm.vmas.toArray().map(vmaToSnapshot),
        guard_ranges: p.mm.guards.toArray().map((g) => ({ start: hex(g.start), end: hex(g.end) })),
      }),
    ),
  };
  if (opts.history) snapshot.history = { position: opts.history.position, events: opts.history.events.map((e) => ({ ...e })) };
  return snapshot;
}

// --- snapshot → state ------------------------------------------------------

export function snapshotVmaToVma(v: SnapshotVma): Vma {
  const flags = mnemonicsToFlags(v.vmflags);
  if ('unknown' in flags) throw new Error(`unknown mnemonic ${flags.unknown} in a validated snapshot`);
  return {
    start: Number(v.start),
    end: Number(v.end),
    pgoff: v.pgoff,
    flags: flags.flags,
    file: v.file,
    anonVma: v.anon_vma,
    anonVmaChain: [...v.anon_vma_chain],
    anonName: v.name,
    hasClose: v.close,
  };
}

/** A process's guard_ranges (validated) as its guard markers. */
export function snapshotGuards(ranges: readonly SnapshotGuardRange[]): GuardMarkers {
  return GuardMarkers.of(ranges.map((g) => ({ start: Number(g.start), end: Number(g.end) })));
}

export function snapshotFileToFile(f: SnapshotFile): SimFile {
  return f.kind === 'regular' ? { id: f.id, kind: 'regular', name: f.name, size: f.size } : { id: f.id, kind: 'shmem', name: null, size: f.size };
}

export function snapshotConfig(s: Snapshot): SimConfig {
  return {
    anonVmaName: s.config.anon_vma_name,
    softDirty: s.config.soft_dirty,
    maxMapCount: s.config.max_map_count,
    mmapBase: Number(s.config.mmap_base),
    totalRamPages: s.config.total_ram_pages,
  };
}

/** The whole machine a (validated) snapshot describes: every process, the settings and the id counters. */
export function snapshotToState(s: Snapshot): SimState {
  const files: Record<string, SimFile> = {};
  for (const f of s.files) files[f.id] = snapshotFileToFile(f);
  const processes: Process[] = s.processes.map((p) => ({
    id: p.process,
    parent: p.parent,
    mm: { vmas: VmaTree.fromSorted(p.vmas.map(snapshotVmaToVma)), guards: snapshotGuards(p.guard_ranges) },
  }));
  return {
    config: snapshotConfig(s),
    files,
    processes,
    current: s.current,
    nextAnonVma: s.counters.next_anon_vma,
    nextShmem: s.counters.next_shmem,
    namedAnonVmas: s.anon_vmas.filter((a) => a.named).map((a) => a.id),
  };
}

// --- validation ------------------------------------------------------------

/**
 * Validate a parsed JSON value as a snapshot, of the current version or of
 * version 1 (upgraded). Nothing is changed or kept on error.
 */
export function readSnapshot(value: unknown): SnapshotRead {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, error: '(the top level): expected a JSON object (a vmasim snapshot)' };
  const o = value as Record<string, unknown>;
  // Format and version first: a file of another version should say so, not list every difference.
  if (o.format !== SNAPSHOT_FORMAT)
    return { ok: false, error: `format: expected ${q(SNAPSHOT_FORMAT)}, got ${o.format === undefined ? 'nothing' : q(o.format)}` };
  if (o.version !== SNAPSHOT_VERSION && o.version !== SNAPSHOT_VERSION_1)
    return {
      ok: false,
      error: `version: this vmasim reads snapshot versions ${SNAPSHOT_VERSION_1} and ${SNAPSHOT_VERSION}, the file has ${o.version === undefined ? 'no version' : `version ${q(o.version)}`}`,
    };
  const version = o.version;
  const tooMany = countProblem(o);
  if (tooMany) return { ok: false, error: tooMany };
  const parsed =
    version === SNAPSHOT_VERSION_1
      ? snapshotV1Schemas().snapshotV1Schema.safeParse(value, { reportInput: true })
      : snapshotSchemas().snapshotSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    return { ok: false, error: describeIssue(issues[0]!, version) + more };
  }
  const problem = checkRules(parsed.data);
  if (problem) return { ok: false, error: problem };
  return { ok: true, snapshot: parsed.data.version === SNAPSHOT_VERSION_1 ? upgradeV1(parsed.data) : parsed.data };
}

/**
 * Too many processes, or VMAs in a process, checked before the schema so
 * that a huge snapshot is refused at once rather than after checking every
 * VMA (sim-limits.ts MAX_PROCESSES, MAX_VMAS).
 */
function countProblem(o: Record<string, unknown>): string | null {
  const processes = o.processes;
  if (!Array.isArray(processes)) return null;
  if (processes.length > MAX_PROCESSES)
    return `processes: ${processes.length.toLocaleString('en-US')} processes, more than the ${MAX_PROCESSES} vmasim runs (process 0 and ${MAX_PROCESSES - 1} forks)`;
  for (const [pi, p] of processes.entries()) {
    const vmas = (p as { vmas?: unknown } | null)?.vmas;
    if (Array.isArray(vmas) && vmas.length > MAX_VMAS) return `processes[${pi}].vmas: ${describeAboveCeiling(vmas.length)}`;
  }
  return null;
}

/** JSON text → snapshot; a syntax error names the line and column. */
export function parseSnapshotText(text: string): SnapshotRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const at = findJsonSyntaxError(text);
    // JSON.parse and the reader agree on what JSON is (json-syntax.test.ts); V8's own words are a last resort.
    return { ok: false, error: `not valid JSON: ${at ? `line ${at.line}, column ${at.column}: ${at.reason}` : shortText((e as Error).message)}` };
  }
  return readSnapshot(value);
}

function addressOf(h: string): number | null {
  const n = BigInt(h);
  return n > BigInt(ADDRESS_LIMIT) ? null : Number(n);
}

/** The rules beyond the shape; the first broken one, or null. */
function checkRules(s: Snapshot | SnapshotV1): string | null {
  const c = s.config;
  const base = addressOf(c.mmap_base);
  if (base === null || base % PAGE_SIZE !== 0 || base < 0x10000 || base > TASK_SIZE)
    return `config.mmap_base: expected a page-aligned address between 0x10000 and ${hex(TASK_SIZE)}, got ${q(c.mmap_base)}`;
  if (s.window) {
    const ws = addressOf(s.window.start);
    const we = addressOf(s.window.end);
    if (ws === null || we === null || ws >= we) return `window: expected start below end, both at most ${hex(ADDRESS_LIMIT)}`;
  }

  const fileIds = new Map<string, SnapshotFile>();
  let regularFiles = 0;
  for (const [i, f] of s.files.entries()) {
    if (fileIds.has(f.id)) return `files[${i}].id: ${q(f.id)} appears twice`;
    if (f.kind === 'regular' && f.name !== f.id) return `files[${i}].name: a regular file's id is its name; expected ${q(f.id)}, got ${q(f.name)}`;
    if (f.kind === 'regular') {
      const bad = fileNameProblem(f.name);
      if (bad) return `files[${i}].name: ${bad}`;
      if (++regularFiles > MAX_FILES) return `files[${i}]: a regular file beyond the ${MAX_FILES.toLocaleString('en-US')} vmasim holds`;
    }
    fileIds.set(f.id, f);
  }
  const anonIds = new Map<string, SnapshotAnonVma>();
  for (const [i, a] of s.anon_vmas.entries()) {
    if (anonIds.has(a.id)) return `anon_vmas[${i}].id: ${q(a.id)} appears twice`;
    const bad = anonVmaIdProblem(a.id);
    if (bad) return `anon_vmas[${i}].id: ${bad}`;
    anonIds.set(a.id, a);
  }

  if (s.current >= s.processes.length) return `current: expected a process number below ${s.processes.length}, got ${s.current}`;
  const usedAnon = new Set<string>();
  for (const [pi, p] of s.processes.entries()) {
    const at = `processes[${pi}]`;
    if (p.process !== pi) return `${at}.process: processes are listed in number order from 0; expected ${pi}, got ${p.process}`;
    if (pi === 0 ? p.parent !== null : p.parent === null || p.parent >= pi)
      return `${at}.parent: expected ${pi === 0 ? 'null (process 0 has no parent)' : `the number of an earlier process (below ${pi})`}, got ${p.parent}`;
    let prevEnd = -1;
    for (const [vi, v] of p.vmas.entries()) {
      const vat = `${at}.vmas[${vi}]`;
      const start = addressOf(v.start);
      const end = addressOf(v.end);
      if (start === null) return `${vat}.start: expected an address at most ${hex(ADDRESS_LIMIT)}, got ${q(v.start)}`;
      if (end === null) return `${vat}.end: expected an address at most ${hex(ADDRESS_LIMIT)}, got ${q(v.end)}`;
      if (start % PAGE_SIZE !== 0) return `${vat}.start: expected a page-aligned address, got ${q(v.start)}`;
      if (end % PAGE_SIZE !== 0) return `${vat}.end: expected a page-aligned address, got ${q(v.end)}`;
      if (start >= end) return `${vat}: expected start below end, got ${shortText(v.start)}-${shortText(v.end)}`;
      if (start < prevEnd)
        return `${vat}.start: VMAs must be in address order without overlap; ${shortText(v.start)} is below the end of the VMA before it (${hex(prevEnd)})`;
      prevEnd = end;
      if (new Set(v.vmflags).size !== v.vmflags.length) return `${vat}.vmflags: a mnemonic appears twice`;
      if (v.file !== null && !fileIds.has(v.file)) return `${vat}.file: expected the id of a file in "files", got ${q(v.file)}`;
      if (v.anon_vma === null && v.anon_vma_chain.length > 0) return `${vat}.anon_vma_chain: expected [] for a VMA without an anon_vma`;
      if (v.anon_vma !== null && v.anon_vma_chain[v.anon_vma_chain.length - 1] !== v.anon_vma)
        return `${vat}.anon_vma_chain: expected its anon_vma ${q(v.anon_vma)} as the last (newest) entry`;
      if (new Set(v.anon_vma_chain).size !== v.anon_vma_chain.length) return `${vat}.anon_vma_chain: an anon_vma appears twice`;
      for (const [ci, id] of v.anon_vma_chain.entries()) {
        if (!anonIds.has(id)) return `${vat}.anon_vma_chain[${ci}]: ${q(id)} is not listed in "anon_vmas"`;
        usedAnon.add(id);
      }
      const badName = v.name === null ? null : anonNameProblem(v.name);
      if (badName) return `${vat}.name: ${badName}`;
    }
    const guardProblem = isV1Process(p) ? checkGuardPages(p.guard_pages, at, addressOf) : checkGuardRanges(p.guard_ranges, at);
    if (guardProblem) return guardProblem;
  }
  for (const [i, a] of s.anon_vmas.entries()) {
    if (!a.named && !usedAnon.has(a.id)) return `anon_vmas[${i}]: ${q(a.id)} is neither named nor used by a VMA`;
    const m = /^av([0-9]+)$/.exec(a.id);
    if (!a.named && m && Number(m[1]) >= s.counters.next_anon_vma)
      return `counters.next_anon_vma: expected a number above ${shortText(m[1]!)} (anon_vma ${shortText(a.id)} exists), got ${s.counters.next_anon_vma}`;
  }
  for (const f of s.files) {
    const m = /^shmem:([0-9]+)$/.exec(f.id);
    if (f.kind === 'shmem' && m && Number(m[1]) >= s.counters.next_shmem)
      return `counters.next_shmem: expected a number above ${shortText(m[1]!)} (${shortText(f.id)} exists), got ${s.counters.next_shmem}`;
  }
  return null;
}

function isV1Process(p: SnapshotProcess | SnapshotV1Process): p is SnapshotV1Process {
  return 'guard_pages' in p;
}

/** Page-aligned ranges in address order, apart (ranges that touch are one range, written once). */
function checkGuardRanges(ranges: readonly SnapshotGuardRange[], at: string): string | null {
  let prevEnd = -1;
  for (const [i, g] of ranges.entries()) {
    const gat = `${at}.guard_ranges[${i}]`;
    const start = addressOf(g.start);
    const end = addressOf(g.end);
    if (start === null || start % PAGE_SIZE !== 0) return `${gat}.start: expected a page-aligned address at most ${hex(ADDRESS_LIMIT)}, got "${g.start}"`;
    if (end === null || end % PAGE_SIZE !== 0) return `${gat}.end: expected a page-aligned address at most ${hex(ADDRESS_LIMIT)}, got "${g.end}"`;
    if (start >= end) return `${gat}: expected start below end, got ${g.start}-${g.end}`;
    if (start <= prevEnd)
      return `${gat}.start: guard ranges must be in address order and apart (ranges that touch are one range); ${g.start} is not above the end of the range before it (${hex(prevEnd)})`;
    prevEnd = end;
  }
  return null;
}
