import { PVec } from './pvec.js';

/**
 * The positions made current, oldest first, for back and forward: a
 * browser's history list. Visiting a position after stepping back drops the
 * entries forward would have returned to (they are overwritten in place, so
 * a visit costs O(log n), not a copy).
 */
export class Trail {
  private constructor(
    private readonly entries: PVec<number>,
    /** Index of the current position. */
    private readonly at: number,
    /** Entries in use; those after `at` are what forward returns to. */
    private readonly length: number,
  ) {}

  static start(seq: number): Trail {
    return new Trail(PVec.empty<number>().push(seq), 0, 1);
  }

  get back(): number {
    return this.at;
  }

  get forward(): number {
    return this.length - 1 - this.at;
  }

  visit(seq: number): Trail {
    const at = this.at + 1;
    const entries = at < this.entries.size ? this.entries.set(at, seq) : this.entries.push(seq);
    return new Trail(entries, at, at + 1);
  }

  /** Move `delta` entries (negative: back), within the trail; the position there. */
  step(delta: number): { readonly trail: Trail; readonly position: number } {
    const at = Math.max(0, Math.min(this.length - 1, this.at + delta));
    return { trail: new Trail(this.entries, at, this.length), position: this.entries.get(at)! };
  }
}
