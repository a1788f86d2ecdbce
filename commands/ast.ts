import type { ImportCommand } from '../snapshots/import-data.js';

/**
 * The parsed form of every command of the scenario language
 * (shared spec: scenario-language.md). Numbers are bigint so that a 64-bit
 * argument keeps every bit until the system call decides what it means
 * (a length that wraps past 2^64 is a different error from one that does not).
 */

/** PROT_READ | PROT_WRITE | PROT_EXEC bits, as mmap(2) takes them. */
export type Prot = number;
export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

export const ADVICES = [
  'dontfork', 'dofork', 'dontdump', 'dodump', 'hugepage', 'nohugepage', 'wipeonfork', 'keeponfork',
  'mergeable', 'unmergeable', 'dontneed', 'free', 'willneed', 'normal', 'random', 'sequential',
  'remove', 'cold', 'pageout', 'populate_read', 'populate_write', 'guard_install', 'guard_remove',
] as const;
export type Advice = (typeof ADVICES)[number];

export interface MmapFlags {
  readonly shared: boolean;
  readonly fixed: boolean;
  readonly noreplace: boolean;
  readonly growsdown: boolean;
  readonly locked: boolean;
  readonly populate: boolean;
  readonly noreserve: boolean;
}

export type SetupCommand =
  | { readonly kind: 'file'; readonly name: string; readonly size: bigint }
  | { readonly kind: 'window'; readonly start: bigint; readonly end: bigint }
  | { readonly kind: 'config'; readonly option: 'anon_vma_name' | 'soft_dirty'; readonly value: boolean }
  | { readonly kind: 'config'; readonly option: 'max_map_count' | 'mmap_base'; readonly value: bigint };

export type SyscallCommand =
  | {
      readonly kind: 'mmap';
      /** null: `-`, NULL */
      readonly addr: bigint | null;
      readonly len: bigint;
      readonly prot: Prot;
      readonly flags: MmapFlags;
      /** NAME of a `file` line, or null for anonymous memory. */
      readonly file: string | null;
      readonly off: bigint;
    }
  | { readonly kind: 'munmap'; readonly addr: bigint; readonly len: bigint }
  | { readonly kind: 'mprotect'; readonly addr: bigint; readonly len: bigint; readonly prot: Prot }
  | { readonly kind: 'madvise'; readonly addr: bigint; readonly len: bigint; readonly advice: Advice }
  | { readonly kind: 'mlock'; readonly addr: bigint; readonly len: bigint; readonly onfault: boolean }
  | { readonly kind: 'munlock'; readonly addr: bigint; readonly len: bigint }
  | {
      readonly kind: 'mremap';
      readonly addr: bigint;
      readonly oldLen: bigint;
      readonly newLen: bigint;
      readonly maymove: boolean;
      readonly dontunmap: boolean;
      /** `fixed=NEWADDR`, or null. */
      readonly newAddr: bigint | null;
    }
  | { readonly kind: 'mseal'; readonly addr: bigint; readonly len: bigint }
  | { readonly kind: 'name'; readonly addr: bigint; readonly len: bigint; readonly name: string | null }
  | {
      readonly kind: 'touch';
      readonly addr: bigint;
      /** null: only the page holding addr. */
      readonly len: bigint | null;
      readonly write: boolean;
    };

/** A VMA description for the internal API (`vma add`, `vma merge-new`). */
export interface VmaSpec {
  readonly start: bigint;
  readonly end: bigint;
  readonly pgoff: bigint;
  /** VmFlags mnemonics, already checked to be known. */
  readonly flags: readonly string[];
  readonly file: string | null;
  readonly av: string | null;
}

export type VmaCommand =
  | { readonly kind: 'vma-add'; readonly vma: VmaSpec; readonly close: boolean }
  | { readonly kind: 'vma-merge-new'; readonly vma: VmaSpec; readonly expandOnly: boolean; readonly failPrealloc: boolean }
  | { readonly kind: 'vma-merge-existing'; readonly start: bigint; readonly end: bigint; readonly flags: readonly string[]; readonly failPrealloc: boolean }
  | { readonly kind: 'vma-modify'; readonly start: bigint; readonly end: bigint; readonly flags: readonly string[]; readonly failPrealloc: boolean }
  | { readonly kind: 'vma-expand'; readonly start: bigint; readonly end: bigint; readonly failPrealloc: boolean }
  | { readonly kind: 'vma-shrink'; readonly start: bigint; readonly end: bigint }
  | { readonly kind: 'vma-split'; readonly addr: bigint }
  | { readonly kind: 'vma-unmap'; readonly start: bigint; readonly end: bigint }
  | { readonly kind: 'vma-copy'; readonly start: bigint; readonly newAddr: bigint; readonly pgoff: bigint; readonly failPrealloc: boolean };

export type ProcessCommand =
  | { readonly kind: 'fork' }
  | { readonly kind: 'process'; readonly n: bigint };

export type HistoryCommand =
  | { readonly kind: 'undo'; readonly n: bigint }
  | { readonly kind: 'redo'; readonly n: bigint }
  | { readonly kind: 'goto'; readonly n: bigint };

export type ExportKind = 'json' | 'script' | 'maps' | 'smaps' | 'vitest' | 'kernel-c' | 'selftest';
export type ImportKind = 'json' | 'script' | 'maps' | 'smaps';

export type SnapshotCommand =
  | { readonly kind: 'export'; readonly format: ExportKind; readonly path: string; readonly force: boolean }
  | { readonly kind: 'import'; readonly format: ImportKind; readonly path: string };

/**
 * Everything that changes the simulated machine (and so is an event). An
 * `import` line becomes an ImportCommand once its file is loaded: the event
 * carries the data, so replaying it never reads the file again.
 */
export type StateCommand = Exclude<SetupCommand, { kind: 'window' }> | SyscallCommand | VmaCommand | ProcessCommand | ImportCommand;

/**
 * Commands typed at the REPL prompt that only show or navigate: never events,
 * never in a scenario file.
 */
export type ReplCommand =
  | { readonly kind: 'history' }
  | { readonly kind: 'branches' }
  /** Return to the position visited before the current one, N times. */
  | { readonly kind: 'back'; readonly n: bigint }
  /** Redo what `back` went back over, N times. */
  | { readonly kind: 'forward'; readonly n: bigint }
  /** Compare the states after events A and B. */
  | { readonly kind: 'diff'; readonly a: bigint; readonly b: bigint }
  /** Show the trace of the last event. */
  | { readonly kind: 'explain' }
  | { readonly kind: 'vmas' }
  | { readonly kind: 'quit' };

export type Command =
  | SetupCommand
  | SyscallCommand
  | VmaCommand
  | ProcessCommand
  | HistoryCommand
  | SnapshotCommand
  | { readonly kind: 'help'; readonly topic: string | null }
  | { readonly kind: 'show'; readonly what: string; readonly args: readonly string[] }
  | ReplCommand;
