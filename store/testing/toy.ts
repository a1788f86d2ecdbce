/**
 * A tiny model for tests and benchmarks of the store: the state is an
 * immutable stack of numbers (a cons list, so states share structure like the
 * simulator's), the commands push and pop.
 */
import type { Reducer } from '../reducer.js';

export type ToyStack = { readonly top: number; readonly rest: ToyStack } | null;

export type ToyCommand = { readonly op: 'push'; readonly value: number } | { readonly op: 'pop' };

/** The stack's depth after the command, or the popped value; 'empty' when pop finds nothing. */
export type ToyResult = number | 'empty';

export const toyReducer: Reducer<ToyStack, ToyCommand, ToyResult> = {
  apply(state, cmd) {
    if (cmd.op === 'push') {
      const next = { top: cmd.value, rest: state };
      return { state: next, result: toyDepth(next) };
    }
    if (state === null) return { state, result: 'empty' };
    return { state: state.rest, result: state.top };
  },
};

export function toyDepth(s: ToyStack): number {
  let n = 0;
  for (let x = s; x !== null; x = x.rest) n++;
  return n;
}

export function toyText(cmd: ToyCommand): string {
  return cmd.op === 'push' ? `push ${cmd.value}` : 'pop';
}

export function toyParse(text: string): { ok: true; command: ToyCommand } | { ok: false; error: string } {
  const m = /^push (-?\d+)$/.exec(text);
  if (m) return { ok: true, command: { op: 'push', value: Number(m[1]) } };
  if (text === 'pop') return { ok: true, command: { op: 'pop' } };
  return { ok: false, error: `not a toy command: ${JSON.stringify(text)}` };
}

export function toyArray(s: ToyStack): number[] {
  const out: number[] = [];
  for (let x = s; x !== null; x = x.rest) out.push(x.top);
  return out.reverse();
}

export function toySummary(r: ToyResult): string {
  return String(r);
}
