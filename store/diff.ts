/**
 * `diff A B`: how the VMAs after event B differ from those after event A.
 *
 * VMAs present in both, unchanged, are skipped in one ordered pass (states
 * share their unchanged VMA objects, so most of them compare by reference).
 * What remains is paired up by address: a VMA of A and a VMA of B whose
 * ranges overlap are one mapping, changed. Pairs that keep their start come
 * first, then pairs that keep their end, then the largest overlap, so each
 * VMA pairs at most once. The rest were removed (only in A) or added (only in
 * B). A split so reports the part that kept the start as changed and the
 * other parts as added; a merge reports the VMA that grew from the same start
 * (the kernel's expanded prev) as changed and the one it absorbed as removed.
 */
import type { Vma } from '../kernel-sim/vma.js';
import { noSuchEvent, type NoSuchEvent } from './history.js';

export type VmaField = 'range' | 'pgoff' | 'flags' | 'file' | 'anonVma' | 'anonVmaChain' | 'anonName' | 'hasClose';

export interface VmaChange {
  readonly before: Vma;
  readonly after: Vma;
  /** The fields that differ, in the order of VmaField. */
  readonly fields: readonly VmaField[];
}

export interface VmaDiff {
  /** In B only, by address. */
  readonly added: readonly Vma[];
  /** In A only, by address. */
  readonly removed: readonly Vma[];
  /** In both, different; by address in B. */
  readonly changed: readonly VmaChange[];
  /** VMAs equal in A and B. */
  readonly unchanged: number;
}

/** Differences from `a` to `b`; both sorted by address, without overlaps (as a VmaTree gives them). */
export function diffVmas(a: readonly Vma[], b: readonly Vma[]): VmaDiff {
  const restA: Vma[] = [];
  const restB: Vma[] = [];
  let unchanged = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x.start < y.start) {
      restA.push(x);
      i++;
    } else if (y.start < x.start) {
      restB.push(y);
      j++;
    } else {
      if (x === y || changedFields(x, y).length === 0) unchanged++;
      else {
        restA.push(x);
        restB.push(y);
      }
      i++;
      j++;
    }
  }
  for (; i < a.length; i++) restA.push(a[i]!);
  for (; j < b.length; j++) restB.push(b[j]!);

  const pairs = overlappingPairs(restA, restB);
  pairs.sort(
    (p, q) =>
      Number(q.sameStart) - Number(p.sameStart) ||
      Number(q.sameEnd) - Number(p.sameEnd) ||
      q.overlap - p.overlap ||
      restA[p.ia]!.start - restA[q.ia]!.start,
  );
  const matchedA = new Uint8Array(restA.length);
  const matchedB = new Uint8Array(restB.length);
  const changed: VmaChange[] = [];
  for (const p of pairs) {
    if (matchedA[p.ia] || matchedB[p.ib]) continue;
    matchedA[p.ia] = 1;
    matchedB[p.ib] = 1;
    const before = restA[p.ia]!;
    const after = restB[p.ib]!;
    changed.push({ before, after, fields: changedFields(before, after) });
  }
  changed.sort((p, q) => p.after.start - q.after.start);
  return {
    added: restB.filter((_, k) => !matchedB[k]),
    removed: restA.filter((_, k) => !matchedA[k]),
    changed,
    unchanged,
  };
}

export function changedFields(x: Vma, y: Vma): VmaField[] {
  const out: VmaField[] = [];
  if (x.start !== y.start || x.end !== y.end) out.push('range');
  if (x.pgoff !== y.pgoff) out.push('pgoff');
  if (x.flags !== y.flags) out.push('flags');
  if (x.file !== y.file) out.push('file');
  if (x.anonVma !== y.anonVma) out.push('anonVma');
  if (!sameList(x.anonVmaChain, y.anonVmaChain)) out.push('anonVmaChain');
  if (x.anonName !== y.anonName) out.push('anonName');
  if (x.hasClose !== y.hasClose) out.push('hasClose');
  return out;
}

function sameList(p: readonly string[], q: readonly string[]): boolean {
  return p === q || (p.length === q.length && p.every((s, k) => s === q[k]));
}

interface Pair {
  readonly ia: number;
  readonly ib: number;
  readonly overlap: number;
  readonly sameStart: boolean;
  readonly sameEnd: boolean;
}

/** Every (A, B) pair whose ranges overlap; both lists sorted and without overlaps of their own. */
function overlappingPairs(a: readonly Vma[], b: readonly Vma[]): Pair[] {
  const out: Pair[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const overlap = Math.min(x.end, y.end) - Math.max(x.start, y.start);
    if (overlap > 0) out.push({ ia: i, ib: j, overlap, sameStart: x.start === y.start, sameEnd: x.end === y.end });
    if (x.end <= y.end) i++;
    else j++;
  }
  return out;
}

/** `diff A B` between two events of a history; `vmasOf` picks the VMAs to compare from a state. */
export function diffEvents<S>(
  history: { stateAt(seq: number): S | undefined; readonly newest: number },
  a: number,
  b: number,
  vmasOf: (state: S) => readonly Vma[],
): { readonly ok: true; readonly diff: VmaDiff } | { readonly ok: false; readonly error: NoSuchEvent } {
  for (const seq of [a, b]) {
    if (history.stateAt(seq) === undefined) return { ok: false, error: noSuchEvent(seq, history.newest) };
  }
  return { ok: true, diff: diffVmas(vmasOf(history.stateAt(a)!), vmasOf(history.stateAt(b)!)) };
}
