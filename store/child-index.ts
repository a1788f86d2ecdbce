import { PVec } from './pvec.js';

/**
 * Each event's newest child, per version of a history. A history mostly
 * grows along one line: each new event is the child of the one before it.
 * So a slot does not hold "the next event" explicitly; NEXT_IF_CHILD says
 * "the event numbered one above, if it exists in this version and is my
 * child, else none". Appending along the line is then one push, where
 * writing the parent's slot meant copying the vector's tail on every event.
 * A slot is written only when an event gets a child that is not the next
 * event (a branch), and then holds that child.
 */
const NEXT_IF_CHILD = -2;

/** What the index needs of an event table: a version's events, by number. */
export interface ParentTable {
  readonly size: number;
  get(seq: number): { readonly parent: number | null } | undefined;
}

export class ChildIndex {
  private constructor(private readonly slots: PVec<number>) {}

  /** The index of a history holding only event 0. */
  static start(): ChildIndex {
    return new ChildIndex(PVec.empty<number>().push(NEXT_IF_CHILD));
  }

  /** The newest child of `seq` among `events` (the same version's table), or -1. */
  newest(seq: number, events: ParentTable): number {
    const slot = this.slots.get(seq);
    if (slot === undefined) return -1;
    if (slot !== NEXT_IF_CHILD) return slot;
    return seq + 1 < events.size && events.get(seq + 1)!.parent === seq ? seq + 1 : -1;
  }

  /** With event `child` (the new highest number) added under `parent`. */
  withChild(parent: number, child: number): ChildIndex {
    // Under the event before it, the child is what the parent's slot already says.
    if (child === parent + 1) return new ChildIndex(this.slots.push(NEXT_IF_CHILD));
    return new ChildIndex(this.slots.setThenPush(parent, child, NEXT_IF_CHILD));
  }
}
