/**
 * `export maps` and `export smaps`: every VMA of the current process as
 * /proc/PID/maps and /proc/PID/smaps print them (kernel-vma-semantics.md
 * §14), not only those in the window. The simulator has no devices, inodes
 * or resident pages, so:
 * - devices and inodes print as `00:00 0`; a file prints its NAME as path;
 *   shared anonymous memory prints `/dev/zero (deleted)`, as the kernel does;
 * - smaps prints the kernel's fields in the kernel's order with plausible
 *   values: Size from the range, page sizes of 4 kB, and 0 kB for the rest,
 *   except that a VMA with an anon_vma shows one resident anonymous page
 *   (Rss, Pss, Pss_Dirty, Private_Dirty, Referenced, Anonymous: 4 kB), so
 *   that importing the text finds the same VMAs with an anon_vma.
 */
import { currentState } from '../commands/engine.js';
import type { SimState } from '../kernel-sim/state.js';
import type { Vma } from '../kernel-sim/vma.js';
import { PAGE_SIZE } from '../kernel-sim/vma.js';
import { exported, type Exporter } from './export-types.js';
import { mapsLine } from './maps-format.js';
import { vmaReport } from './sim-report.js';

/** smaps fields after Size, in the kernel's order (6.18, without ProtectionKey: no PKU here). */
const SMAPS_FIELDS = [
  'KernelPageSize', 'MMUPageSize', 'Rss', 'Pss', 'Pss_Dirty', 'Shared_Clean', 'Shared_Dirty', 'Private_Clean', 'Private_Dirty',
  'Referenced', 'Anonymous', 'KSM', 'LazyFree', 'AnonHugePages', 'ShmemPmdMapped', 'FilePmdMapped', 'Shared_Hugetlb',
  'Private_Hugetlb', 'Swap', 'SwapPss', 'Locked',
] as const;

/** Fields that count the one page a VMA with an anon_vma is shown to have. */
const ONE_ANON_PAGE: ReadonlySet<string> = new Set(['Rss', 'Pss', 'Pss_Dirty', 'Private_Dirty', 'Referenced', 'Anonymous']);

function header(state: SimState, v: Vma): string {
  const r = vmaReport(state, v, false);
  const shmem = v.file !== null && state.files[v.file]?.kind === 'shmem';
  return mapsLine(shmem && r.name === null ? { ...r, file: '/dev/zero (deleted)' } : r);
}

/** show_smap's `%-16s%8lu kB` and `%-16s%8d`. */
function field(name: string, value: number, unit = ' kB'): string {
  return `${`${name}:`.padEnd(16)}${String(value).padStart(8)}${unit}`;
}

export function mapsText(state: SimState): string {
  return state.processes[state.current]!.mm.vmas.toArray().map((v) => `${header(state, v)}\n`).join('');
}

export function smapsText(state: SimState): string {
  const out: string[] = [];
  for (const v of state.processes[state.current]!.mm.vmas) {
    out.push(header(state, v));
    out.push(field('Size', ((v.end - v.start) / PAGE_SIZE) * 4));
    for (const f of SMAPS_FIELDS) {
      const value = f === 'KernelPageSize' || f === 'MMUPageSize' ? 4 : v.anonVma !== null && ONE_ANON_PAGE.has(f) ? 4 : 0;
      out.push(field(f, value));
    }
    out.push(field('THPeligible', 0, ''));
    const flags = vmaReport(state, v, false).vmflags;
    out.push(`VmFlags: ${flags.map((m) => `${m} `).join('')}`);
  }
  return out.map((l) => `${l}\n`).join('');
}

export const exportMaps: Exporter = (engine) => exported(mapsText(currentState(engine)));
export const exportSmaps: Exporter = (engine) => exported(smapsText(currentState(engine)));
