/**
 * What an operation did and why: the steps it took and, for every neighbour
 * that did not merge, the reasons. Traces are data; `explain` renders them.
 */
export type TraceKind =
  | 'split'
  | 'merge'
  | 'no-merge'
  | 'expand'
  | 'shrink'
  | 'insert'
  | 'remove'
  | 'anon_vma'
  | 'flags'
  | 'fault'
  | 'error'
  | 'note';

export interface TraceStep {
  readonly kind: TraceKind;
  /** One line a person can read. */
  readonly text: string;
  /** For `no-merge`: each reason the neighbour could not merge. */
  readonly reasons?: readonly string[];
}

export type Trace = readonly TraceStep[];

/** The trace of a step run without one (or that did nothing worth a line): shared, never written to. */
export const NO_TRACE: Trace = Object.freeze([]);

/**
 * A step whose text is made only when someone reads it: bulk runs (replay,
 * fuzzing, benchmarks) record traces for every operation and read few.
 */
export class LazyStep implements TraceStep {
  private made: string | undefined;
  private madeReasons: readonly string[] | undefined;
  constructor(
    readonly kind: TraceKind,
    private readonly make: () => string,
    private readonly makeReasons?: readonly string[] | (() => readonly string[]),
  ) {}
  get text(): string {
    return (this.made ??= this.make());
  }
  get reasons(): readonly string[] | undefined {
    if (this.makeReasons === undefined) return undefined;
    return (this.madeReasons ??= typeof this.makeReasons === 'function' ? this.makeReasons() : this.makeReasons);
  }
  toJSON(): TraceStep {
    return this.reasons ? { kind: this.kind, text: this.text, reasons: this.reasons } : { kind: this.kind, text: this.text };
  }
}
