/**
 * The project's measure of truth: do the simulator and the live kernel agree?
 * Fields the kernel cannot show (pgoff, anon_vma, its chain, close) are not
 * compared; kernel-chosen addresses are compared only as "outside the window"
 * (scenario-language.md, mmap), since the helper's own libraries sit where
 * the simulator's empty address space has nothing.
 */
import { resultText, type ProcessReport, type ResultReport, type RunReport, type VmaReport } from '../snapshots/run-report.js';

export interface Window {
  readonly start: number;
  readonly end: number;
}

export interface Difference {
  /** Where: `results[3] (line 7)`, `process 1 vmas`, ... */
  readonly where: string;
  readonly sim: string;
  readonly kernel: string;
}

export function vmaKey(v: VmaReport): string {
  return `${v.start}-${v.end} ${v.perms} ${v.offset.toString(16)} ${v.file ?? ''}${v.name ? ` [anon:${v.name}]` : ''} ${v.vmflags.join(' ')}`;
}

function outsideWindow(ret: string | number, w: Window): boolean {
  if (typeof ret !== 'string' || !ret.startsWith('0x')) return false;
  const a = Number(BigInt(ret));
  return a < w.start || a >= w.end;
}

function sameRet(a: ResultReport, b: ResultReport, w: Window): boolean {
  if (a.errno !== b.errno) return false;
  if (a.ret === b.ret) return true;
  return outsideWindow(a.ret, w) && outsideWindow(b.ret, w);
}

function compareVmas(where: string, sim: readonly VmaReport[], kernel: readonly VmaReport[], out: Difference[]): void {
  const a = sim.map(vmaKey);
  const b = kernel.map(vmaKey);
  if (a.length === b.length && a.every((k, i) => k === b[i])) return;
  out.push({ where, sim: a.join('\n'), kernel: b.join('\n') });
}

export function compareReports(sim: RunReport, kernel: RunReport, window: Window): Difference[] {
  const out: Difference[] = [];
  const n = Math.max(sim.results.length, kernel.results.length);
  for (let i = 0; i < n; i++) {
    const a = sim.results[i];
    const b = kernel.results[i];
    if (!a || !b) {
      out.push({ where: `results[${i}]`, sim: a ? `${a.command} => ${resultText(a)}` : '(none)', kernel: b ? `${b.command} => ${resultText(b)}` : '(none)' });
      continue;
    }
    if (!sameRet(a, b, window) || (a.process ?? 0) !== (b.process ?? 0))
      out.push({ where: `line ${a.line}: ${a.command}`, sim: resultText(a), kernel: resultText(b) });
  }
  compareVmas('vmas', sim.vmas, kernel.vmas, out);
  const procs = (r: RunReport): readonly ProcessReport[] => r.processes ?? [];
  const pa = procs(sim);
  const pb = procs(kernel);
  if (pa.length !== pb.length) out.push({ where: 'processes', sim: `${pa.length} processes`, kernel: `${pb.length} processes` });
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) compareVmas(`process ${pa[i]!.process} vmas`, pa[i]!.vmas, pb[i]!.vmas, out);
  return out;
}
