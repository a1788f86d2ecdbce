import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { rangeString, type Vma } from '../vma.js';
import { mergeAfterReasons, mergeBeforeReasons, prevNextAnonReasons } from './compat.js';
import type { VmaMergeStruct } from './merge-struct.js';

/**
 * The trace lines of a merge attempt that cannot go ahead. Callers make them
 * only when tracing: the closures that put off writing them would otherwise
 * be built on every call. The merge struct changes as a merge goes on, so a
 * line that explains it later reads a copy.
 */

export const SPECIAL_REASONS: readonly string[] = ['special mapping (VM_SPECIAL: io, de, pf or mm)'];

export function tracePrevRefused(w: MmWork, vmg: VmaMergeStruct, prev: Vma): void {
  const at = { ...vmg };
  w.note('no-merge', () => `prev ${describe(prev)} does not merge with ${rangeString(at.start, at.end)}`, () => mergeAfterReasons(at, prev, w.config));
}

/** `both`: prev merges too, so prev and next must also agree on their anon_vmas. */
export function traceNextRefused(w: MmWork, vmg: VmaMergeStruct, next: Vma, both: boolean): void {
  const at = { ...vmg };
  w.note('no-merge', () => `next ${describe(next)} does not merge with ${rangeString(at.start, at.end)}`, () => {
    const reasons = mergeBeforeReasons(at, next, w.config);
    return reasons.length || !both ? reasons : prevNextAnonReasons(at.prev!, next);
  });
}
