/**
 * The history rules written out the obvious way, as a reference for property
 * tests: plain arrays, undo one step at a time, and "the child most recently
 * left" kept literally, as a time stamp on every child whose subtree a move
 * leaves. Slow (every move walks its whole path) and mutable, but short
 * enough to check against scenario-language.md by reading.
 */
import type { Reducer } from '../reducer.js';

interface NaiveEvent<S> {
  readonly seq: number;
  readonly parent: number | null;
  readonly text: string;
  readonly state: S;
  readonly children: number[];
}

export class NaiveHistory<S, C, R> {
  readonly events: NaiveEvent<S>[];
  current = 0;
  /** child seq → the time its subtree was last left. */
  private readonly leftAt = new Map<number, number>();
  private clock = 0;
  private trail: number[] = [0];
  private trailAt = 0;

  constructor(
    private readonly reducer: Reducer<S, C, R>,
    initial: S,
    private readonly text: (c: C) => string,
  ) {
    this.events = [{ seq: 0, parent: null, text: '', state: initial, children: [] }];
  }

  append(cmd: C): void {
    const seq = this.events.length;
    const { state } = this.reducer.apply(this.events[this.current]!.state, cmd);
    this.events.push({ seq, parent: this.current, text: this.text(cmd), state, children: [] });
    this.events[this.current]!.children.push(seq);
    this.current = seq;
    this.visit(seq);
  }

  /** One step at a time, each a move of its own. */
  undo(n: number): void {
    let moved = false;
    for (let i = 0; i < n && this.events[this.current]!.parent !== null; i++) {
      this.move(this.events[this.current]!.parent!);
      moved = true;
    }
    if (moved) this.visit(this.current);
  }

  redo(n: number): void {
    const start = this.current;
    for (let i = 0; i < n; i++) {
      const c = this.redoTarget();
      if (c === null) break;
      this.current = c; // going down leaves nothing
    }
    if (this.current !== start) this.visit(this.current);
  }

  goto(seq: number): void {
    if (seq === this.current) return;
    this.move(seq);
    this.visit(seq);
  }

  back(n: number): void {
    this.trailAt = Math.max(0, this.trailAt - n);
    this.move(this.trail[this.trailAt]!);
  }

  forward(n: number): void {
    this.trailAt = Math.min(this.trail.length - 1, this.trailAt + n);
    this.move(this.trail[this.trailAt]!);
  }

  get trailRoom(): { back: number; forward: number } {
    return { back: this.trailAt, forward: this.trail.length - 1 - this.trailAt };
  }

  redoTarget(): number | null {
    const kids = this.events[this.current]!.children;
    if (kids.length === 0) return null;
    let best: number | null = null;
    for (const k of kids) {
      const t = this.leftAt.get(k);
      if (t !== undefined && (best === null || t > this.leftAt.get(best)!)) best = k;
    }
    return best ?? kids[kids.length - 1]!;
  }

  path(seq: number): number[] {
    const out: number[] = [];
    for (let x: number | null = seq; x !== null; x = this.events[x]!.parent) out.push(x);
    return out.reverse();
  }

  /** Every child on the path from the current position up to (not including) the common ancestor is left. */
  private move(to: number): void {
    if (to === this.current) return;
    const target = new Set(this.path(to));
    this.clock++;
    for (let x = this.current; !target.has(x); x = this.events[x]!.parent!) this.leftAt.set(x, this.clock);
    this.current = to;
  }

  private visit(seq: number): void {
    this.trail = this.trail.slice(0, this.trailAt + 1);
    this.trail.push(seq);
    this.trailAt++;
  }
}
