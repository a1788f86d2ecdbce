/**
 * What the ported kernel tests (tools/testing/vma) share: an mm to link VMAs
 * into, the kernel harness's helpers (alloc_and_link_vma, vmg_set_range,
 * merge_new, merge_existing, expand_existing, cleanup_mm) and the command
 * language, one line at a time through step() or a whole scenario through
 * runScenario().
 *
 * The kernel's tests compare struct pointers and poke fields of linked VMAs.
 * VMAs here are immutable values, so:
 * - "the merge returned prev itself" becomes expectSurvivor(): the returned
 *   VMA is the merge target, still holds the original's range, and the
 *   original is not among the removed VMAs;
 * - "vma_write_started(vma)" becomes "the VMA was replaced": an operation that
 *   leaves a VMA alone leaves the very same object in the tree;
 * - writing vma->anon_vma, vma->vm_ops or vma->flags of a linked VMA is
 *   setVma(), which swaps in a changed copy.
 */
import { expect } from 'vitest';
import { isStateCommand } from '../../commands/engine.js';
import { newParseContext, type ParseContext } from '../../commands/parse-context.js';
import { parseLine } from '../../commands/parse.js';
import { runScenario } from '../../commands/run-scenario.js';
import type { RunReport } from '../../snapshots/run-report.js';
import type { Errno } from '../errno.js';
import { flagsToMnemonics, mnemonicsToFlags, type VmFlags } from '../flags.js';
import { MmWork } from '../mm-work.js';
import { currentMm, EMPTY_MM, initialState, withMm, type SimState } from '../state.js';
import { step } from '../step.js';
import { newMergeStruct, type VmaMergeStruct } from '../vma-api/merge-struct.js';
import { vmaExpand } from '../vma-api/vma-expand.js';
import { vmaMergeExistingRange } from '../vma-api/vma-merge-existing.js';
import { vmaMergeNewRange } from '../vma-api/vma-merge-new.js';
import { hex, type Vma } from '../vma.js';

/** VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE: what almost every kernel test maps. */
export const VMA_FLAGS = 'rd,wr,mr,mw';

/** The kernel's ENOMEM, for expand_existing()'s return value. */
export const ENOMEM = 12;

/** A comma-separated mnemonic list (the language's FLAGS) as VmFlags. */
export function flags(list: string): VmFlags {
  const r = mnemonicsToFlags(list.split(',').filter((w) => w !== ''));
  if ('unknown' in r) throw new Error(`unknown VmFlags mnemonic '${r.unknown}'`);
  return r.flags;
}

/** FLAGS with some more mnemonics (possibly none) appended. */
export function withFlags(list: string, extra: string): string {
  return extra === '' ? list : `${list},${extra}`;
}

/**
 * The sticky flags (VMA_STICKY_FLAGS) for a configuration: `gu`, plus `sd`
 * when soft-dirty is built in. Both are run, as the kernel's harness can be
 * built either way.
 */
export interface StickyConfig {
  readonly name: string;
  /** `config` lines that set the build up. */
  readonly setup: readonly string[];
  /** The sticky mnemonics, comma-separated. */
  readonly sticky: string;
}

export const STICKY_CONFIGS: readonly StickyConfig[] = [
  { name: 'without soft-dirty (the live kernel)', setup: [], sticky: 'gu' },
  { name: 'with soft-dirty', setup: ['config soft_dirty on'], sticky: 'sd,gu' },
];

/** Every combination of n booleans, false first (the kernel's nested 0..1 loops). */
export function permutations(n: number): boolean[][] {
  const out: boolean[][] = [];
  for (let i = 0; i < 2 ** n; i++) out.push(Array.from({ length: n }, (_, k) => ((i >> (n - 1 - k)) & 1) === 1));
  return out;
}

export interface LineResult {
  readonly ret: string | number;
  readonly errno: Errno | null;
}

/** One process's address space, driven the way the kernel's userland tests drive an mm_struct. */
export class TestMm {
  state: SimState;
  private readonly ctx: ParseContext = newParseContext();

  constructor(setup: readonly string[] = []) {
    this.state = initialState();
    for (const line of setup) this.run(line);
  }

  /** One line of the command language, through step(). */
  run(line: string): LineResult {
    const parsed = parseLine(line, this.ctx, { file: 'kernel-test', line: 1 });
    if (parsed.kind === 'error') throw new Error(`'${line}': ${parsed.error.message}`);
    if (parsed.kind === 'empty' || !isStateCommand(parsed.cmd)) throw new Error(`'${line}' changes no state`);
    const out = step(this.state, parsed.cmd);
    this.state = out.state;
    return { ret: out.ret, errno: out.errno };
  }

  /** run(), which must succeed; its ret. */
  ok(line: string): string | number {
    const r = this.run(line);
    if (r.errno !== null) throw new Error(`'${line}' failed with ${r.errno}`);
    return r.ret;
  }

  get vmas(): Vma[] {
    return currentMm(this.state).vmas.toArray();
  }

  /** mm->map_count. */
  get mapCount(): number {
    return currentMm(this.state).vmas.size;
  }

  /** The VMA containing addr (vma_lookup), or undefined. */
  find(addr: number): Vma | undefined {
    return currentMm(this.state).vmas.find(addr);
  }

  /** The VMA that starts at start; it must exist. */
  vma(start: number): Vma {
    const v = this.find(start);
    if (!v || v.start !== start) throw new Error(`no VMA starts at ${hex(start)}`);
    return v;
  }

  /** alloc_and_link_vma: link a VMA without merging (`vma add`). */
  allocAndLinkVma(start: number, end: number, pgoff: number, vmFlags: string, opts: { av?: string; close?: boolean } = {}): Vma {
    const av = opts.av ? ` av=${opts.av}` : '';
    const close = opts.close ? ' close' : '';
    this.ok(`vma add ${hex(start)} ${hex(end)} ${pgoff} ${vmFlags}${av}${close}`);
    return this.vma(start);
  }

  /**
   * Run fn on the internal API, on a scratch copy of the mm that then becomes
   * the state (also when fn throws, as the kernel keeps partial work).
   */
  api<T>(fn: (w: MmWork) => T): T {
    const w = new MmWork(this.state);
    try {
      return fn(w);
    } finally {
      this.state = w.finish();
    }
  }

  /**
   * Write fields of a linked VMA in place, as the kernel tests assign
   * vma->anon_vma (with a one-entry anon_vma chain), vma->vm_ops (a close
   * hook or none) or vma->flags.
   */
  setVma(start: number, patch: { anonVma?: string | null; hasClose?: boolean; flags?: string }): Vma {
    return this.api((w) => {
      const old = w.find(start);
      if (!old || old.start !== start) throw new Error(`no VMA starts at ${hex(start)}`);
      let changed: Vma = { ...old };
      if (patch.anonVma !== undefined) {
        changed = { ...changed, anonVma: patch.anonVma, anonVmaChain: patch.anonVma ? [patch.anonVma] : [] };
        if (patch.anonVma && !w.namedAnonVmas.includes(patch.anonVma)) w.namedAnonVmas = [...w.namedAnonVmas, patch.anonVma];
      }
      if (patch.hasClose !== undefined) changed = { ...changed, hasClose: patch.hasClose };
      if (patch.flags !== undefined) changed = { ...changed, flags: flags(patch.flags) };
      return w.update(old, changed);
    });
  }

  /** cleanup_mm: drop every VMA; returns how many there were. */
  cleanupMm(): number {
    const n = this.mapCount;
    this.state = withMm(this.state, EMPTY_MM);
    return n;
  }

  /** A merge struct for [start, end) with pgoff and FLAGS (the kernel's VMG_STATE). */
  vmg(start: number, end: number, pgoff: number, vmFlags: string, anonVma: string | null = null): VmaMergeStruct {
    return newMergeStruct({ start, end, pgoff, flags: flags(vmFlags), anonVma, anonVmaChain: anonVma ? [anonVma] : [] });
  }

  /** The kernel harness's merge_new(): fill in prev and next around the range, then vma_merge_new_range. */
  mergeNew(vmg: VmaMergeStruct): Vma | undefined {
    return this.api((w) => {
      vmg.prev = w.prevBefore(vmg.start);
      vmg.next = w.findFrom(vmg.end);
      return vmaMergeNewRange(w, vmg);
    });
  }

  /** vma_merge_new_range with the neighbours the caller put in vmg. */
  mergeNewRange(vmg: VmaMergeStruct): Vma | undefined {
    return this.api((w) => vmaMergeNewRange(w, vmg));
  }

  /** The kernel harness's merge_existing(): vma_merge_existing_range. */
  mergeExisting(vmg: VmaMergeStruct): Vma | undefined {
    return this.api((w) => vmaMergeExistingRange(w, vmg));
  }

  /** The kernel harness's expand_existing(): vma_expand; 0 or -ENOMEM. */
  expandExisting(vmg: VmaMergeStruct): number {
    return this.api((w) => (vmaExpand(w, vmg) ? 0 : -ENOMEM));
  }

  /**
   * The kernel harness's try_merge_new_vma(): merge [start, end) as a new
   * range, else link it as a VMA of its own. The merge state must agree.
   */
  tryMergeNewVma(vmg: VmaMergeStruct, start: number, end: number, pgoff: number, vmFlags: string): { vma: Vma; merged: boolean } {
    vmgSetRange(vmg, start, end, pgoff, vmFlags);
    const merged = this.mergeNew(vmg);
    if (merged) {
      expect(vmg.state).toBe('success');
      return { vma: merged, merged: true };
    }
    expect(vmg.state).toBe('nomerge');
    return { vma: this.allocAndLinkVma(start, end, pgoff, vmFlags), merged: false };
  }
}

/**
 * vmg_set_range: point the merge struct at a new range and forget the
 * neighbours, target and outcome of the last attempt. The anon_vma stays.
 */
export function vmgSetRange(vmg: VmaMergeStruct, start: number, end: number, pgoff: number, vmFlags: string): void {
  vmg.prev = undefined;
  vmg.middle = undefined;
  vmg.next = undefined;
  vmg.target = undefined;
  vmg.start = start;
  vmg.end = end;
  vmg.pgoff = pgoff;
  vmg.flags = flags(vmFlags);
  vmg.justExpand = false;
  vmg.state = 'nomerge';
  vmg.removed = [];
  vmg.anonVmaOutcome = 'none';
}

/** vmg_set_range_anon_vma: vmg_set_range, and the proposal's anon_vma. */
export function vmgSetRangeAnonVma(vmg: VmaMergeStruct, start: number, end: number, pgoff: number, vmFlags: string, anonVma: string | null): void {
  vmgSetRange(vmg, start, end, pgoff, vmFlags);
  vmg.anonVma = anonVma;
  vmg.anonVmaChain = anonVma ? [anonVma] : [];
}

/**
 * "The merge returned `original` itself": the result is the merge target,
 * holds all of the original's range, and the original was not removed.
 */
export function expectSurvivor(vmg: VmaMergeStruct, result: Vma | undefined, original: Vma): Vma {
  expect(result, 'the merge returned a VMA').toBeDefined();
  const v = result!;
  expect(vmg.target).toBe(v);
  expect(v.start).toBeLessThanOrEqual(original.start);
  expect(v.end).toBeGreaterThanOrEqual(original.end);
  expect(vmg.removed.some((r) => r.start === original.start && r.end === original.end)).toBe(false);
  return v;
}

/** Whether any sticky flag of the configuration is set (vma_flags_test_any_mask(.., VMA_STICKY_FLAGS)). */
export function hasSticky(v: Vma, sticky: string): boolean {
  const set = new Set(flagsToMnemonics(v.flags));
  return sticky.split(',').some((m) => set.has(m));
}

/** A whole scenario through runScenario(), with a window over the low addresses the kernel tests use. */
export function runKernelScenario(lines: readonly string[]): RunReport {
  const out = runScenario(['window 0x0 0x100000000', ...lines].join('\n'), 'kernel-test.vmasim');
  if (!out.ok) throw new Error(out.message);
  return out.report;
}
