import type { Vma } from './vma.js';
import { hex, rangeString } from './vma.js';
import { newEditToken, type EditToken, type VmaTree } from './vma-tree.js';
import type { SimConfig, SimFile, SimState } from './state.js';
import { LazyStep, NO_TRACE, type TraceKind, type TraceStep } from './trace.js';
import type { GuardMarkers } from './guard-markers.js';

/**
 * The scratch space of one operation on one process: the kernel's view of a
 * locked mm. It holds the current VMA tree (persistent, so every update is a
 * cheap new version), the guard markers and the id counters, collects the
 * trace, and at the end folds everything back into a new SimState. Nothing
 * here mutates the state it was made from.
 */
export class MmWork {
  vmas: VmaTree;
  guards: GuardMarkers;
  nextAnonVma: number;
  nextShmem: number;
  files: Readonly<Record<string, SimFile>>;
  namedAnonVmas: readonly string[];
  readonly trace: TraceStep[];
  #edit: EditToken = newEditToken();

  constructor(
    readonly base: SimState,
    readonly pid: number = base.current,
    /** Whether to record the trace: bulk runs skip it and recompute it for the few events someone asks about. */
    readonly tracing: boolean = true,
  ) {
    // Without tracing nothing is ever pushed: every such operation shares one empty list.
    this.trace = tracing ? [] : (NO_TRACE as TraceStep[]);
    const mm = base.processes[pid]!.mm;
    this.vmas = mm.vmas;
    this.guards = mm.guards;
    this.nextAnonVma = base.nextAnonVma;
    this.nextShmem = base.nextShmem;
    this.files = base.files;
    this.namedAnonVmas = base.namedAnonVmas;
  }

  get config(): SimConfig {
    return this.base.config;
  }

  get mapCount(): number {
    return this.vmas.size;
  }

  /** Record a step; pass the text as a function when making it costs anything. */
  note(kind: TraceKind, text: string | (() => string), reasons?: readonly string[] | (() => readonly string[])): void {
    if (!this.tracing) return;
    if (typeof text === 'function' || typeof reasons === 'function') this.trace.push(new LazyStep(kind, typeof text === 'function' ? text : () => text, reasons));
    else this.trace.push(reasons ? { kind, text, reasons } : { kind, text });
  }

  // --- lookup -------------------------------------------------------------

  /** The VMA containing addr. */
  find(addr: number): Vma | undefined {
    return this.vmas.find(addr);
  }

  /** The first VMA ending above addr (find_vma). */
  findFrom(addr: number): Vma | undefined {
    return this.vmas.findFrom(addr);
  }

  /** The first VMA intersecting [start, end) (find_vma_intersection). */
  findIntersection(start: number, end: number): Vma | undefined {
    const v = this.vmas.findFrom(start);
    return v !== undefined && v.start < end ? v : undefined;
  }

  prevOf(v: Vma): Vma | undefined {
    return this.vmas.findPrev(v.start);
  }

  nextOf(v: Vma): Vma | undefined {
    // The first VMA ending above v's end is the one after v: a single descent.
    return this.vmas.findFrom(v.end);
  }

  /** The last VMA ending at or below addr. */
  prevBefore(addr: number): Vma | undefined {
    return this.vmas.findPrev(addr);
  }

  range(start: number, end: number): Vma[] {
    return this.vmas.range(start, end);
  }

  /** How many VMAs intersect [start, end). */
  countIn(start: number, end: number): number {
    return this.vmas.countIn(start, end);
  }

  // --- update -------------------------------------------------------------
  // The tree is changed in place where this operation made the nodes itself
  // (its edit token); `finish` retires the token before the tree is handed out.

  /** Replace `olds` (consecutive VMAs, in order) with `news` (in order). */
  replace(olds: readonly Vma[], news: readonly Vma[]): void {
    if (olds.length === 0) {
      for (const v of news) this.insert(v);
      return;
    }
    this.vmas = this.vmas.splice(olds[0]!.start, olds.length, news, this.#edit);
  }

  /** Replace the `count` VMAs from the first one ending above `addr` with `news` (in order). */
  replaceAt(addr: number, count: number, news: readonly Vma[]): void {
    this.vmas = this.vmas.splice(addr, count, news, this.#edit);
  }

  insert(v: Vma): void {
    this.vmas = this.vmas.splice(v.start, 0, [v], this.#edit);
  }

  remove(v: Vma): void {
    this.vmas = this.vmas.splice(v.start, 1, [], this.#edit);
  }

  /** Replace one VMA by a changed copy of it (same position in the order). */
  update(old: Vma, changed: Vma): Vma {
    this.vmas = this.vmas.splice(old.start, 1, [changed], this.#edit);
    return changed;
  }

  // --- ids ----------------------------------------------------------------

  newAnonVmaId(): string {
    for (;;) {
      const id = `av${this.nextAnonVma++}`;
      if (!this.namedAnonVmas.includes(id)) return id;
    }
  }

  newShmem(size: number): string {
    const id = `shmem:${this.nextShmem++}`;
    this.files = { ...this.files, [id]: { id, kind: 'shmem', name: null, size } };
    return id;
  }

  // --- guard markers ------------------------------------------------------

  addGuards(start: number, end: number): void {
    this.guards = this.guards.add(start, end);
  }

  clearGuards(start: number, end: number): void {
    this.guards = this.guards.clear(start, end);
  }

  /** Move the markers of [start, end) by delta bytes (mremap moves page tables). */
  moveGuards(start: number, end: number, delta: number): void {
    this.guards = this.guards.move(start, end, delta);
  }

  /** Fold the work into a new state. */
  finish(): SimState {
    this.#edit = newEditToken();
    const s = this.base;
    const mm = s.processes[this.pid]!.mm;
    const mmChanged = mm.vmas !== this.vmas || mm.guards !== this.guards;
    let processes = s.processes;
    if (mmChanged) {
      const copy = s.processes.slice();
      const p = s.processes[this.pid]!;
      copy[this.pid] = { id: p.id, parent: p.parent, mm: { vmas: this.vmas, guards: this.guards } };
      processes = copy;
    }
    if (
      !mmChanged &&
      this.nextAnonVma === s.nextAnonVma &&
      this.nextShmem === s.nextShmem &&
      this.files === s.files &&
      this.namedAnonVmas === s.namedAnonVmas
    )
      return s;
    return {
      config: s.config,
      files: this.files,
      processes,
      current: s.current,
      nextAnonVma: this.nextAnonVma,
      nextShmem: this.nextShmem,
      namedAnonVmas: this.namedAnonVmas,
    };
  }
}

export function describe(v: Vma): string {
  return rangeString(v.start, v.end);
}

export { hex };
