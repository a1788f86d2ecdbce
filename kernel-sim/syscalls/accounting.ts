import { fail } from '../errno.js';
import type { MmWork } from '../mm-work.js';

/**
 * security_vm_enough_memory_mm in heuristic overcommit mode: one request may
 * not exceed RAM + swap.
 */
export function chargeOrFail(w: MmWork, pages: number): void {
  if (pages > w.config.totalRamPages) {
    if (w.tracing) w.note('error', `cannot charge ${pages} pages: more than RAM + swap (${w.config.totalRamPages} pages)`);
    fail('ENOMEM');
  }
}
