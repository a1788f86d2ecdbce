/**
 * The property every state a user can reach must have: the invariants hold,
 * and its JSON export imports back (the export is how a state is kept).
 */
import type { SimState } from '../../../kernel-sim/state.js';
import { validateState } from '../../../kernel-sim/validate.js';
import { loadImport } from '../../../snapshots/importers.js';
import { applyImport } from '../../../snapshots/import-data.js';
import { initialState } from '../../../kernel-sim/state.js';
import { stateToSnapshot } from '../../../snapshots/json-snapshot.js';

export function stateProblems(state: SimState): string[] {
  const out = validateState(state);
  const text = JSON.stringify(stateToSnapshot(state));
  const back = loadImport('json', { text, name: 'its JSON export' });
  if (!back.ok) out.push(`cannot be imported back: ${back.error}`);
  else {
    try {
      out.push(...validateState(applyImport(initialState(), back.data)).map((p) => `after a round trip: ${p}`));
    } catch (e) {
      out.push(`its JSON export is refused when applied: ${(e as Error).message}`);
    }
  }
  return out;
}
