/**
 * The address-space strip: the window's VMAs and holes in proportion, one
 * cell per equal slice of addresses. Zoom 0 fits the VMAs in the window;
 * each step in halves the span shown (centred on what the last command
 * changed), each step out doubles it, up to the whole window.
 *
 * A VMA narrower than a cell still shows in the cell that holds it: a cell
 * belongs to whatever covers most of it, and a hole only if nothing is there.
 */
import type { SimState } from '../../kernel-sim/state.js';
import { PAGE_SIZE, type Vma } from '../../kernel-sim/vma.js';
import type { Window } from '../../snapshots/sim-report.js';
import type { Changes } from './changes.js';
import { vmaKind, type VmaKind } from './vma-kind.js';

export interface StripCell {
  /** null: a hole. */
  readonly kind: VmaKind | null;
  /** Alternates between neighbouring VMAs, so that two of one kind stay apart. */
  readonly shade: 0 | 1;
  readonly change: '+' | '~' | '-' | null;
}

export interface StripView {
  readonly start: number;
  readonly end: number;
  readonly cells: readonly StripCell[];
  /** Whether the view is the whole window (nothing more to zoom out to). */
  readonly whole: boolean;
}

export const MAX_ZOOM = 40;

/** The range zoom 0 shows: the VMAs in the window, or the window when it has none. */
function fitRange(vmas: readonly Vma[], window: Window): { start: number; end: number } {
  if (vmas.length === 0) return { start: window.start, end: window.end };
  const start = Math.max(window.start, vmas[0]!.start);
  const end = Math.min(window.end, vmas[vmas.length - 1]!.end);
  return { start, end };
}

export function stripView(state: SimState, window: Window, changes: Changes, focus: number | null, zoom: number, cells: number): StripView {
  const vmas = state.processes[state.current]!.mm.vmas.range(window.start, window.end);
  const fit = fitRange(vmas, window);
  const windowSpan = window.end - window.start;
  const minSpan = Math.min(windowSpan, Math.max(1, cells) * PAGE_SIZE);
  let span = (fit.end - fit.start) / 2 ** zoom;
  span = Math.min(windowSpan, Math.max(minSpan, span));
  const centre = focus ?? (fit.start + fit.end) / 2;
  let start = zoom === 0 ? fit.start : centre - span / 2;
  start = Math.max(window.start, Math.min(window.end - span, start));
  const end = start + span;
  return { start, end, cells: fillCells(vmas, changes, start, end, Math.max(0, cells)), whole: span >= windowSpan };
}

function fillCells(vmas: readonly Vma[], changes: Changes, start: number, end: number, n: number): StripCell[] {
  const out: StripCell[] = [];
  const step = (end - start) / n;
  let i = 0;
  for (let c = 0; c < n; c++) {
    const a = start + c * step;
    const b = c === n - 1 ? end : a + step;
    while (i < vmas.length && vmas[i]!.end <= a) i++;
    let best = -1;
    let bestCover = 0;
    for (let j = i; j < vmas.length && vmas[j]!.start < b; j++) {
      const cover = Math.min(b, vmas[j]!.end) - Math.max(a, vmas[j]!.start);
      if (cover > bestCover) {
        bestCover = cover;
        best = j;
      }
    }
    if (best >= 0) {
      const v = vmas[best]!;
      const change = changes.added.has(v) ? '+' : changes.changed.has(v) ? '~' : null;
      out.push({ kind: vmaKind(v.flags), shade: (best % 2) as 0 | 1, change });
    } else {
      const gone = changes.removed.some((v) => v.start < b && v.end > a);
      out.push({ kind: null, shade: 0, change: gone ? '-' : null });
    }
  }
  return out;
}
