/**
 * What the last command created, changed and removed in the current
 * process: the previous state against the current one (store/diff.ts), so
 * that an undo or a goto is shown the same way as the event it steps over.
 */
import type { SimState } from '../../kernel-sim/state.js';
import type { Vma } from '../../kernel-sim/vma.js';
import { diffVmas, type VmaField } from '../../store/diff.js';

export interface Changes {
  readonly added: ReadonlySet<Vma>;
  /** Changed VMAs of the current state, with what changed. */
  readonly changed: ReadonlyMap<Vma, readonly VmaField[]>;
  /** VMAs of the previous state that are gone, by address. */
  readonly removed: readonly Vma[];
}

export const NO_CHANGES: Changes = { added: new Set(), changed: new Map(), removed: [] };

export function hasChanges(c: Changes): boolean {
  return c.added.size > 0 || c.changed.size > 0 || c.removed.length > 0;
}

/** Changes in the current process; none when the last command switched processes or the states are the same. */
export function changesBetween(before: SimState | null, after: SimState): Changes {
  if (before === null || before === after) return NO_CHANGES;
  const pid = after.current;
  const old = before.processes[pid];
  if (old === undefined || before.current !== pid) return NO_CHANGES;
  const now = after.processes[pid]!;
  if (old.mm.vmas === now.mm.vmas) return NO_CHANGES;
  const d = diffVmas(old.mm.vmas.toArray(), now.mm.vmas.toArray());
  return { added: new Set(d.added), changed: new Map(d.changed.map((c) => [c.after, c.fields])), removed: d.removed };
}

/** The address range the changes cover, or null. */
export function changedRange(c: Changes): { readonly start: number; readonly end: number } | null {
  let start = Infinity;
  let end = -Infinity;
  const take = (v: Vma) => {
    start = Math.min(start, v.start);
    end = Math.max(end, v.end);
  };
  c.added.forEach(take);
  c.changed.forEach((_, v) => take(v));
  c.removed.forEach(take);
  return start < end ? { start, end } : null;
}
