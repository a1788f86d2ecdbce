/**
 * The counts and lengths a user controls that are not the kernel's to
 * bound: how far the simulator goes, and what it says beyond that. Every
 * way in (scenario lines, the internal API, imports) applies the same
 * bounds, so every state the simulator holds can be exported and imported
 * back. The counts follow the native helper (live/helper.c), which has to
 * run the same scenarios on the live kernel.
 */
import { shortText } from './short-text.js';
import { looksLikeShmemId, SHMEM_ID_PREFIX, type SimState } from './state.js';

/** Process 0 and 511 forks: the helper's MAX_PROCS. */
export const MAX_PROCESSES = 512;
/** Regular files (`file` lines, imported paths): the helper's MAX_FILES. Shmem objects are not counted. */
export const MAX_FILES = 1024;
/** A file NAME or an imported path: PATH_MAX (4,096 bytes) less the terminating NUL. */
export const MAX_FILE_NAME_BYTES = 4095;
/** An anon_vma label (`av=ID`, the ids in a snapshot). */
export const MAX_ANON_VMA_ID_BYTES = 64;
/** An anonymous VMA name: ANON_VMA_NAME_MAX_LEN (80) less the terminating NUL. */
export const MAX_ANON_NAME_LENGTH = 79;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const n = (x: number) => x.toLocaleString('en-US');
const quoted = (s: string) => `'${shortText(s)}'`;

/** Why a regular file NAME (or an imported path) cannot be a file's name, or null. */
export function fileNameProblem(name: string): string | null {
  if (looksLikeShmemId(name)) return `${quoted(name)} starts with '${SHMEM_ID_PREFIX}', which names the shmem objects of shared anonymous memory`;
  const b = bytes(name);
  if (b > MAX_FILE_NAME_BYTES) return `${quoted(name)} is ${n(b)} bytes long, more than the ${n(MAX_FILE_NAME_BYTES)} a path may have`;
  return null;
}

/** Why an anon_vma label cannot be one, or null. */
export function anonVmaIdProblem(id: string): string | null {
  const b = bytes(id);
  return b > MAX_ANON_VMA_ID_BYTES ? `${quoted(id)} is ${n(b)} bytes long, more than the ${MAX_ANON_VMA_ID_BYTES} an anon_vma label may have` : null;
}

/**
 * Why the kernel would refuse an anonymous VMA name, or null: the rule of
 * prctl(PR_SET_VMA_ANON_NAME), which no VMA's name can break.
 */
export function anonNameProblem(name: string): string | null {
  if (name.length > MAX_ANON_NAME_LENGTH) return `${quoted(name)} is ${n(name.length)} characters long, more than the kernel's ${MAX_ANON_NAME_LENGTH}`;
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c > 0x7e || '\\`$[]'.includes(ch))
      return `${quoted(name)} holds ${c >= 0x20 && c <= 0x7e ? `'${ch}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`}, which the kernel refuses in a name (printable ASCII only, without \\ \` $ [ ])`;
  }
  return null;
}

/**
 * VMAs in one process. max_map_count is not a bound on what a process holds:
 * the kernel checks it where it adds VMAs in some paths (mmap, a split in
 * the middle of a munmap), a munmap refused at a sealed VMA keeps the split
 * it made first, and the sysctl may be lowered below what a process holds.
 * So the simulator's bound is its own, fixed, and far above the default
 * 65,530: a line that would take a process past it is refused, and so is a
 * snapshot that holds more.
 */
export const MAX_VMAS = 1 << 22;

/** The first process of `state` that holds more than MAX_VMAS VMAs, or null. */
export function processAboveCeiling(state: SimState): { readonly process: number; readonly vmas: number } | null {
  for (const p of state.processes) if (p.mm.vmas.size > MAX_VMAS) return { process: p.id, vmas: p.mm.vmas.size };
  return null;
}

/** `N VMAs, more than the 4,194,304 vmasim holds in one process`. */
export function describeAboveCeiling(vmas: number): string {
  return `${n(vmas)} VMAs, more than the ${n(MAX_VMAS)} vmasim holds in one process`;
}

/** Why `state` cannot take another process, or null. */
export function forkProblem(state: SimState): string | null {
  return state.processes.length >= MAX_PROCESSES
    ? `there are ${MAX_PROCESSES} processes already (process 0 and ${MAX_PROCESSES - 1} forks), the most vmasim runs`
    : null;
}

/** The number of regular files in `files`. */
export function regularFileCount(files: SimState['files']): number {
  let count = 0;
  for (const id in files) if (files[id]!.kind === 'regular') count++;
  return count;
}

/** Why `state` cannot take another regular file, or null. */
export function newFileProblem(state: SimState): string | null {
  return regularFileCount(state.files) >= MAX_FILES ? `there are ${n(MAX_FILES)} files already, the most vmasim holds` : null;
}
