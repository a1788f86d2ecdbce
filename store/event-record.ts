/**
 * The history's record of one event. The state and the summary are not
 * fields: the state is the checkpoint's, or rebuilt by the StateKeeper; the
 * summary is made from the result when asked for. What stays per event is
 * small: the links, the command and its text, the result and the time.
 */
import type { EventNode } from './event.js';
import { NOT_KEPT, type KeptLinks, type StateKeeper } from './state-keeper.js';

/** What the records of one history share. */
export interface RecordContext<S, C, R> {
  readonly keeper: StateKeeper<S, C, R>;
  readonly summarize: (result: R) => string;
  /** Times are kept relative to this, so that they stay small integers. */
  readonly epoch: number;
}

export class EventRecord<S, C, R> implements EventNode<S, C, R>, KeptLinks<S, C> {
  /** Milliseconds after the history's epoch: a small integer where the time itself would be boxed. */
  private readonly timeOffset: number;

  constructor(
    readonly ctx: RecordContext<S, C, R>,
    readonly seq: number,
    readonly parentNode: EventRecord<S, C, R> | null,
    readonly depth: number,
    readonly text: string,
    readonly command: C | null,
    readonly result: R | null,
    time: number,
    readonly jump: number,
    readonly prevSibling: number,
    readonly kept: S | typeof NOT_KEPT,
    readonly cost: number,
  ) {
    this.timeOffset = time - ctx.epoch;
  }

  get parent(): number | null {
    return this.parentNode === null ? null : this.parentNode.seq;
  }

  get time(): number {
    return this.timeOffset + this.ctx.epoch;
  }

  get state(): S {
    return this.kept !== NOT_KEPT ? this.kept : this.ctx.keeper.stateOf(this);
  }

  get summary(): string {
    return this.result === null ? '' : this.ctx.summarize(this.result);
  }

  toJSON(): Record<string, unknown> {
    return { seq: this.seq, parent: this.parent, depth: this.depth, text: this.text, summary: this.summary, time: this.time };
  }
}
