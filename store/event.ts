/** One event of the history: a command that ran, and the state after it. */
export interface HistoryEvent<S, C, R> {
  /** 1, 2, 3, ... in the order the commands ran; 0 is the empty start. Never reused. */
  readonly seq: number;
  /** The event this one continues from: the current position when it ran. Null for event 0. */
  readonly parent: number | null;
  /** Number of events on the path from event 0 (event 0 has depth 0). */
  readonly depth: number;
  /** The command's canonical text ('' for event 0). */
  readonly text: string;
  /** Null for event 0. */
  readonly command: C | null;
  /** Null for event 0. */
  readonly result: R | null;
  /** One line describing the result ('' for event 0). */
  readonly summary: string;
  /** When it ran, in milliseconds since the epoch (from the history's clock). */
  readonly time: number;
  /** The state after the event. */
  readonly state: S;
}

/**
 * The history's own record of an event: the public fields plus immutable
 * links that make ancestry questions cheap (ancestry.ts) and list children.
 */
export interface EventNode<S, C, R> extends HistoryEvent<S, C, R> {
  /** Skew-binary jump pointer: an ancestor, for O(log n) level-ancestor and LCA. */
  readonly jump: number;
  /** The parent's newest child before this one was added (-1 if none): children form a list. */
  readonly prevSibling: number;
}
