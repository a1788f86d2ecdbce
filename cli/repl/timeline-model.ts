/**
 * The timeline line: the events on the path to the current position, the
 * current one marked, the events `redo` would step to after it, and where
 * other branches leave the path. Built from the History alone.
 */
import type { SimHistory } from '../../commands/engine.js';

export type TimelineStyle = 'label' | 'past' | 'current' | 'future' | 'fork' | 'dim';

export interface TimelineSegment {
  readonly text: string;
  readonly style: TimelineStyle;
}

/** Events after the current one that redo would go to, at most `max`. */
function redoPath(h: SimHistory, max: number): number[] {
  const out: number[] = [];
  let at = h;
  for (let i = 0; i < max; i++) {
    const next = at.redoTarget();
    if (next === null) break;
    out.push(next);
    at = at.redo(1).history;
  }
  return out;
}

/** The timeline as styled pieces that fit in `width` characters. */
export function timelineSegments(h: SimHistory, width: number, branchCount: number): TimelineSegment[] {
  const label: TimelineSegment = { text: 'timeline ', style: 'label' };
  const tail: TimelineSegment[] = [];
  const at = h.position;
  const info = `  event ${at} of ${h.newest}` + (branchCount > 1 ? ` · ${branchCount} branches` : '') + (h.atHead ? '' : ' · viewing the past');
  tail.push({ text: info, style: 'dim' });
  const room = Math.max(0, width - label.text.length - info.length);

  const past = h.path(at); // 0 .. at
  const future = redoPath(h, 64);
  const forks = (seq: number) => h.children(seq).length > 1;
  const item = (seq: number, style: TimelineStyle): TimelineSegment[] => {
    const out: TimelineSegment[] = [{ text: seq === at ? `[${seq}]` : String(seq), style }];
    if (forks(seq)) out.push({ text: '*', style: 'fork' });
    return out;
  };
  const len = (segs: readonly TimelineSegment[]) => segs.reduce((n, s) => n + s.text.length, 0);

  const middle: TimelineSegment[] = [...item(at, 'current')];
  let used = len(middle);
  const after: TimelineSegment[] = [];
  const futureRoom = Math.floor(room / 3);
  let f = 0;
  for (; f < future.length; f++) {
    const piece = [{ text: '─', style: 'dim' as const }, ...item(future[f]!, 'future')];
    if (used + len(after) + len(piece) > futureRoom + len(middle)) break;
    after.push(...piece);
  }
  used += len(after);
  if (f < future.length) {
    after.push({ text: '…', style: 'dim' });
    used += 1;
  }
  const before: TimelineSegment[] = [];
  let p = past.length - 2;
  for (; p >= 0; p--) {
    const piece = [...item(past[p]!, 'past'), { text: '─', style: 'dim' as const }];
    // Keep room for "0…" when events are left out.
    const reserve = p > 0 ? 2 : 0;
    if (used + len(piece) + reserve > room) break;
    before.unshift(...piece);
    used += len(piece);
  }
  if (p >= 0) {
    before.unshift(...item(0, 'past'), { text: '…', style: 'dim' });
  }
  return [label, ...before, ...middle, ...after, ...tail];
}
