import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import type { Vma } from '../vma.js';
import { anonVmaCompatible } from './compat.js';

/**
 * reusable_anon_vma: `old`'s anon_vma may be shared when a and b (the pair
 * in address order) are anon_vma-compatible and old's chain is singular (old
 * is not a fork child).
 */
function reusable(w: MmWork, old: Vma, a: Vma, b: Vma): string | null {
  if (!anonVmaCompatible(a, b, w.config)) return null;
  if (old.anonVma && old.anonVmaChain.length <= 1) return old.anonVma;
  return null;
}

/**
 * anon_vma_prepare: give vma an anon_vma if it has none, reusing the next
 * neighbour's, else the previous one's (find_mergeable_anon_vma), else a new
 * one. Returns the (possibly new) VMA object.
 */
export function anonVmaPrepare(w: MmWork, vma: Vma): Vma {
  if (vma.anonVma) return vma;
  const next = w.nextOf(vma);
  let id: string | null = null;
  let how = '';
  if (next) {
    id = reusable(w, next, vma, next);
    if (id) how = `reused from next ${describe(next)}`;
  }
  if (!id) {
    const prev = w.prevOf(vma);
    if (prev) {
      id = reusable(w, prev, prev, vma);
      if (id) how = `reused from prev ${describe(prev)}`;
    }
  }
  if (!id) {
    id = w.newAnonVmaId();
    how = 'created';
  }
  const updated: Vma = { ...vma, anonVma: id, anonVmaChain: [id] };
  w.update(vma, updated);
  w.note('anon_vma', () => `anon_vma ${id} ${how} for ${describe(vma)}`);
  return updated;
}
