import { flagsAnd, flagsOr } from '../flags.js';
import type { MmWork } from '../mm-work.js';
import { describe } from '../mm-work.js';
import { NO_VMAS, vmaMerged, type Vma } from '../vma.js';
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
  // The VMA whose anon_vma (and chain) the grown one takes.
  let anon = target;
  vmg.anonVmaOutcome = target.anonVma ? 'kept' : 'none';
  let removed: readonly Vma[] = NO_VMAS;
  if (removeNext) {
    sticky = flagsOr(sticky, flagsAnd(next.flags, stickyFlags(w.config)));
    if (!target.anonVma && next.anonVma) {
      anon = next;
      vmg.anonVmaOutcome = 'duplicated';
      if (w.tracing) traceAnonVmaTaken(w, target, next, 'the removed next');
    }
    removed = [next];
  }
  const copiedFrom = vmg.copiedFrom;
  if (!anon.anonVma && copiedFrom?.anonVma) {
    anon = copiedFrom;
    vmg.anonVmaOutcome = 'duplicated';
    if (w.tracing) traceAnonVmaTaken(w, target, copiedFrom, null);
  }
  const grown = vmaMerged(target, vmg.start, vmg.end, vmg.pgoff, flagsOr(target.flags, sticky), anon);
  // Everything from the target to the absorbed next is replaced by the grown VMA.
  const from = Math.min(vmg.start, target.start);
  w.replaceAt(from, w.countIn(from, Math.max(vmg.end, target.end)), [grown]);
  if (w.tracing) traceExpanded(w, target, grown, removed);
  vmg.state = 'success';
  vmg.target = grown;
  vmg.removed = removed;
  return grown;
}

// Made only when tracing: a closure here, even one never built, would have
// the variables it captures allocated on every call.

/** `from`: how the line names the VMA the anon_vma comes from (null: the moved VMA). */
function traceAnonVmaTaken(w: MmWork, target: Vma, source: Vma, from: string | null): void {
  w.note('anon_vma', () => `${describe(target)} takes anon_vma ${source.anonVma} from ${from === null ? 'the moved VMA' : `${from} ${describe(source)}`}`);
}

function traceExpanded(w: MmWork, target: Vma, grown: Vma, removed: readonly Vma[]): void {
  w.note('expand', () => `${describe(target)} expanded to ${describe(grown)}${removed.length ? `, removing ${removed.map(describe).join(', ')}` : ''}`);
}
