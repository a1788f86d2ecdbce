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
  for (let i = 1; i < mm.guardPages.length; i++) if (mm.guardPages[i]! <= mm.guardPages[i - 1]!) broken.push(`process ${pid}: guard markers out of order`);
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
