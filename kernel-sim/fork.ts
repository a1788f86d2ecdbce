import { flagsAndNot, hasAny, VM_DONTCOPY, VM_LOCKED_MASK, VM_WIPEONFORK } from './flags.js';
import type { MmWork } from './mm-work.js';
import { GuardMarkers, type GuardRange } from './guard-markers.js';
import type { SimState } from './state.js';
import { VmaTree } from './vma-tree.js';
import type { Vma } from './vma.js';

/**
 * dup_mmap: the child's address space. Every VMA is copied as it is (never
 * merged), except: dontfork VMAs are left out, copies lose lo/lf, and
 * wipeonfork copies start empty (no anon_vma, no pages, no guard markers).
 * anon_vma_fork gives each copy that has an anon_vma a new anon_vma of its
 * own, linked after its parent's chain: a fork-child VMA.
 */
export function forkProcess(s: SimState, w: MmWork): { state: SimState; child: number } {
  const copies: Vma[] = [];
  const guards: GuardRange[] = [];
  for (const v of w.vmas) {
    if (hasAny(v.flags, VM_DONTCOPY)) continue;
    const wipe = hasAny(v.flags, VM_WIPEONFORK);
    let copy: Vma = { ...v, flags: flagsAndNot(v.flags, VM_LOCKED_MASK) };
    if (wipe) copy = { ...copy, anonVma: null, anonVmaChain: [] };
    else if (v.anonVma) {
      const id = w.newAnonVmaId();
      copy = { ...copy, anonVma: id, anonVmaChain: [...v.anonVmaChain, id] };
    }
    copies.push(copy);
    if (!wipe) for (const r of w.guards.within(v.start, v.end)) guards.push(r);
  }
  const base = w.finish();
  const child = base.processes.length;
  const state: SimState = {
    ...base,
    processes: [...base.processes, { id: child, parent: s.current, mm: { vmas: VmaTree.fromSorted(copies), guards: GuardMarkers.of(guards) } }],
  };
  return { state, child };
}
