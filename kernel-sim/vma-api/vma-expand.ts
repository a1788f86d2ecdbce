import { flagsAnd, flagsOr } from '../flags.js';
import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import type { Vma } from '../vma.js';
import { stickyFlags } from './compat.js';
import type { VmaMergeStruct } from './merge-struct.js';

/**
 * vma_expand: grow vmg.target to [vmg.start, vmg.end) with vmg.pgoff,
 * removing vmg.next when the new end reaches next's end.
 *
 * Assumes: the target lies within [start, end); any next VMA the range
 * overlaps ends exactly at `end` (it is absorbed whole); compatibility was
 * checked by the caller (or deliberately not, for the `vma expand` command).
 *
 *   target        next              target
 *   |------|  +   |--------|  =>   |----------------|
 *
 * anon_vma: the target keeps its own; otherwise it takes next's (when next is
 * removed), otherwise the moved VMA's (mremap copy, the live kernel's fix).
 */
export function vmaExpand(w: MmWork, vmg: VmaMergeStruct): Vma | undefined {
  const target = vmg.target!;
  const next = vmg.next;
  const removeNext = next !== undefined && next !== target && vmg.end === next.end;
  if (vmg.failPrealloc) {
    vmg.state = 'nomem';
    w.note('error', 'preallocation failed: nothing changed');
    return undefined;
  }
  let sticky = flagsAnd(vmg.flags, stickyFlags(w.config));
  let anonVma = target.anonVma;
  let chain = target.anonVmaChain;
  vmg.anonVmaOutcome = anonVma ? 'kept' : 'none';
  const removed: Vma[] = [];
  if (removeNext) {
    sticky = flagsOr(sticky, flagsAnd(next.flags, stickyFlags(w.config)));
    if (!anonVma && next.anonVma) {
      anonVma = next.anonVma;
      chain = next.anonVmaChain;
      vmg.anonVmaOutcome = 'duplicated';
      w.note('anon_vma', () => `${describe(target)} takes anon_vma ${anonVma} from the removed next ${describe(next)}`);
    }
    removed.push(next);
  }
  if (!anonVma && vmg.copiedFrom?.anonVma) {
    anonVma = vmg.copiedFrom.anonVma;
    chain = vmg.copiedFrom.anonVmaChain;
    vmg.anonVmaOutcome = 'duplicated';
    w.note('anon_vma', () => `${describe(target)} takes anon_vma ${anonVma} from the moved VMA`);
  }
  const grown: Vma = {
    ...target,
    start: vmg.start,
    end: vmg.end,
    pgoff: vmg.pgoff,
    flags: flagsOr(target.flags, sticky),
    anonVma,
    anonVmaChain: chain,
  };
  // Everything from the target to the absorbed next is replaced by the grown VMA.
  const olds = w.range(Math.min(vmg.start, target.start), Math.max(vmg.end, target.end));
  w.replace(olds, [grown]);
  w.note('expand', () => `${describe(target)} expanded to ${describe(grown)}${removed.length ? `, removing ${removed.map(describe).join(', ')}` : ''}`);
  vmg.state = 'success';
  vmg.target = grown;
  vmg.removed = removed;
  return grown;
}
