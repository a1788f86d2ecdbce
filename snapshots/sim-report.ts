import { flagsToMnemonics, permsString } from '../kernel-sim/flags.js';
import type { SimState } from '../kernel-sim/state.js';
import { hex, PAGE_SIZE, type Vma } from '../kernel-sim/vma.js';
import type { ProcessReport, VmaReport } from './run-report.js';

/** The default `window`: where scenarios map, and what `run --json` reports. */
export const DEFAULT_WINDOW = { start: 0x100000000000, end: 0x200000000000 } as const;

export interface Window {
  readonly start: number;
  readonly end: number;
}

/** One VMA as `run --json` prints it. */
export function vmaReport(state: SimState, v: Vma, withChain: boolean): VmaReport {
  const file = v.file ? state.files[v.file] : undefined;
  const report: VmaReport = {
    start: hex(v.start),
    end: hex(v.end),
    perms: permsString(v.flags),
    // maps prints the file offset for anything with a file, shmem included.
    offset: file ? v.pgoff * PAGE_SIZE : 0,
    file: file && file.kind === 'regular' ? file.name : null,
    name: v.anonName,
    pgoff: v.pgoff,
    anon_vma: v.anonVma,
    vmflags: flagsToMnemonics(v.flags),
    close: v.hasClose,
  };
  return withChain ? { ...report, anon_vma_chain: v.anonVma ? v.anonVmaChain : null } : report;
}

/** The VMAs of process pid that intersect the window, in address order, reported whole. */
export function windowVmas(state: SimState, pid: number, window: Window, withChain: boolean): VmaReport[] {
  const out: VmaReport[] = [];
  for (const v of state.processes[pid]!.mm.vmas.range(window.start, window.end)) out.push(vmaReport(state, v, withChain));
  return out;
}

export function processReports(state: SimState, window: Window): ProcessReport[] {
  return state.processes.map((p) => ({ process: p.id, parent: p.parent, vmas: windowVmas(state, p.id, window, true) }));
}
