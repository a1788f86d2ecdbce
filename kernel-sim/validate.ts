import type { Mm, SimState } from './state.js';
import { PAGE_SIZE } from './vma.js';

/**
 * The kernel's validate_mm, and the simulator's own bookkeeping: returns
 * every broken rule (empty when all hold).
 */
export function validateMm(state: SimState, mm: Mm, pid: number): string[] {
  const broken: string[] = [];
  let prevEnd = -1;
  let count = 0;
  const where = (s: number, e: number) => `process ${pid} VMA 0x${s.toString(16)}-0x${e.toString(16)}`;
  for (const v of mm.vmas) {
    count++;
    if (v.start % PAGE_SIZE || v.end % PAGE_SIZE) broken.push(`${where(v.start, v.end)}: not page aligned`);
    if (v.start >= v.end) broken.push(`${where(v.start, v.end)}: empty or inverted`);
    if (v.start < prevEnd) broken.push(`${where(v.start, v.end)}: overlaps or is out of order with the VMA before it`);
    if (!Number.isInteger(v.pgoff) || v.pgoff < 0) broken.push(`${where(v.start, v.end)}: pgoff ${v.pgoff} is not a page number`);
    if (v.file !== null && !state.files[v.file]) broken.push(`${where(v.start, v.end)}: refers to a file that does not exist (${v.file})`);
    if (v.anonVma === null && v.anonVmaChain.length) broken.push(`${where(v.start, v.end)}: anon_vma chain without an anon_vma`);
    if (v.anonVma !== null && v.anonVmaChain[v.anonVmaChain.length - 1] !== v.anonVma)
      broken.push(`${where(v.start, v.end)}: its anon_vma ${v.anonVma} is not the last of its chain`);
    prevEnd = v.end;
  }
  if (count !== mm.vmas.size) broken.push(`process ${pid}: map_count ${mm.vmas.size} but ${count} VMAs`);
  for (const v of mm.vmas) {
    if (mm.vmas.find(v.start) !== v) {
      broken.push(`process ${pid}: the index does not find ${where(v.start, v.end)}`);
      break;
    }
  }
  let guardEnd = -1;
  for (const g of mm.guards.toArray()) {
    const range = `process ${pid} guard markers 0x${g.start.toString(16)}-0x${g.end.toString(16)}`;
    if (g.start % PAGE_SIZE || g.end % PAGE_SIZE) broken.push(`${range}: not page aligned`);
    if (g.start >= g.end) broken.push(`${range}: empty or inverted`);
    // Ranges that touch must be one range: only then do the same markers always make the same structure.
    if (g.start <= guardEnd) broken.push(`${range}: overlap, touch or are out of order with the range before`);
    guardEnd = g.end;
  }
  return broken;
}

export function validateState(state: SimState): string[] {
  const broken: string[] = [];
  state.processes.forEach((p, i) => {
    if (p.id !== i) broken.push(`process ${i} carries the number ${p.id}`);
    broken.push(...validateMm(state, p.mm, i));
  });
  if (state.current < 0 || state.current >= state.processes.length) broken.push(`current process ${state.current} does not exist`);
  return broken;
}
