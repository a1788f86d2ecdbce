import { GuardMarkers } from './guard-markers.js';
import { VmaTree } from './vma-tree.js';

/** Build options and sysctls that change results (scenario `config` lines). */
export interface SimConfig {
  /** CONFIG_ANON_VMA_NAME. Off on these machines' kernel: every `name` is EINVAL. */
  readonly anonVmaName: boolean;
  /** CONFIG_MEM_SOFT_DIRTY. Off here: no `sd` flag, nothing sticky but `gu`. */
  readonly softDirty: boolean;
  /** vm.max_map_count. */
  readonly maxMapCount: number;
  /** Top of the top-down placement area (ASLR off). */
  readonly mmapBase: number;
  /**
   * RAM + swap in pages: the heuristic overcommit limit for one request
   * (overcommit_memory 0). The default is this machine's (24,684,096 kB, no swap).
   */
  readonly totalRamPages: number;
}

export const DEFAULT_CONFIG: SimConfig = {
  anonVmaName: false,
  softDirty: false,
  maxMapCount: 65530,
  mmapBase: 0x7ffff7fff000,
  totalRamPages: 6171024,
};

/** An open file description: a regular file from `file`, or the shmem object of a shared anonymous mmap. */
export interface SimFile {
  readonly id: string;
  readonly kind: 'regular' | 'shmem';
  /** The NAME given to `file`; null for shmem objects. */
  readonly name: string | null;
  /** Size in bytes (for SIGBUS past the end of a file). */
  readonly size: number;
}

/**
 * The prefix of shmem object ids (`shmem:1`, `shmem:2`, ...). Files are kept
 * by id and a regular file's id is its NAME, so a NAME with this prefix
 * could be taken for shared anonymous memory: such names are refused.
 */
export const SHMEM_ID_PREFIX = 'shmem:';

/** Whether a regular file NAME (or an imported path) would read as a shmem object's id. */
export function looksLikeShmemId(name: string): boolean {
  return name.startsWith(SHMEM_ID_PREFIX);
}

/** One process's address space: the kernel's mm_struct as far as VMAs go. */
export interface Mm {
  readonly vmas: VmaTree;
  /** The pages holding guard markers (MADV_GUARD_INSTALL). */
  readonly guards: GuardMarkers;
}

export interface Process {
  readonly id: number;
  readonly parent: number | null;
  readonly mm: Mm;
}

/** The whole simulated machine. Immutable; operations return new states. */
export interface SimState {
  readonly config: SimConfig;
  /** Open files by id. Regular files use their NAME as id; shmem objects `shmem:N`, a form no NAME may take. */
  readonly files: Readonly<Record<string, SimFile>>;
  /** Processes by number; a process number is never reused. */
  readonly processes: readonly Process[];
  readonly current: number;
  /** Counter for anon_vma ids the simulator makes up (av1, av2, ...). */
  readonly nextAnonVma: number;
  /** Counter for shmem object ids. */
  readonly nextShmem: number;
  /** anon_vma ids named by `av=`; generated ids skip them. */
  readonly namedAnonVmas: readonly string[];
}

export const EMPTY_MM: Mm = { vmas: VmaTree.EMPTY, guards: GuardMarkers.EMPTY };

export function initialState(config: SimConfig = DEFAULT_CONFIG): SimState {
  return {
    config,
    files: {},
    processes: [{ id: 0, parent: null, mm: EMPTY_MM }],
    current: 0,
    nextAnonVma: 1,
    nextShmem: 1,
    namedAnonVmas: [],
  };
}

export function currentMm(s: SimState): Mm {
  return s.processes[s.current]!.mm;
}

export function withMm(s: SimState, mm: Mm, pid: number = s.current): SimState {
  const processes = s.processes.slice();
  processes[pid] = { ...processes[pid]!, mm };
  return { ...s, processes };
}
