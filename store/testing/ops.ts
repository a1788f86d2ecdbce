/** Random sessions of toy commands and history moves, for property tests. */
import fc from 'fast-check';
import type { History } from '../history.js';
import type { NaiveHistory } from './naive-history.js';
import type { ToyCommand, ToyResult, ToyStack } from './toy.js';

export type SessionOp =
  | { readonly k: 'push'; readonly v: number }
  | { readonly k: 'pop' }
  | { readonly k: 'undo'; readonly n: number }
  | { readonly k: 'redo'; readonly n: number }
  /** Event number = floor(at × number of events). */
  | { readonly k: 'goto'; readonly at: number }
  | { readonly k: 'back'; readonly n: number }
  | { readonly k: 'forward'; readonly n: number };

const steps = fc.integer({ min: 0, max: 6 });
const fraction = fc.integer({ min: 0, max: 999_999 }).map((i) => i / 1_000_000);

export const sessionOp: fc.Arbitrary<SessionOp> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 99 }).map((v): SessionOp => ({ k: 'push', v })) },
  { weight: 2, arbitrary: fc.constant<SessionOp>({ k: 'pop' }) },
  { weight: 3, arbitrary: steps.map((n): SessionOp => ({ k: 'undo', n })) },
  { weight: 3, arbitrary: steps.map((n): SessionOp => ({ k: 'redo', n })) },
  { weight: 3, arbitrary: fraction.map((at): SessionOp => ({ k: 'goto', at })) },
  { weight: 2, arbitrary: steps.map((n): SessionOp => ({ k: 'back', n })) },
  { weight: 2, arbitrary: steps.map((n): SessionOp => ({ k: 'forward', n })) },
);

export const session = (maxLength = 120): fc.Arbitrary<SessionOp[]> => fc.array(sessionOp, { maxLength, size: 'max' });

export type ToyHistory = History<ToyStack, ToyCommand, ToyResult>;

export function applyOp(h: ToyHistory, op: SessionOp): ToyHistory {
  switch (op.k) {
    case 'push':
      return h.append({ op: 'push', value: op.v }).history;
    case 'pop':
      return h.append({ op: 'pop' }).history;
    case 'undo':
      return h.undo(op.n).history;
    case 'redo':
      return h.redo(op.n).history;
    case 'goto': {
      const r = h.goto(Math.floor(op.at * h.size));
      if (!r.ok) throw new Error(r.error.message);
      return r.history;
    }
    case 'back':
      return h.back(op.n).history;
    case 'forward':
      return h.forward(op.n).history;
  }
}

export function applyNaive(m: NaiveHistory<ToyStack, ToyCommand, ToyResult>, op: SessionOp): void {
  switch (op.k) {
    case 'push':
      return m.append({ op: 'push', value: op.v });
    case 'pop':
      return m.append({ op: 'pop' });
    case 'undo':
      return m.undo(op.n);
    case 'redo':
      return m.redo(op.n);
    case 'goto':
      return m.goto(Math.floor(op.at * m.events.length));
    case 'back':
      return m.back(op.n);
    case 'forward':
      return m.forward(op.n);
  }
}
