/**
 * "Did you mean ...?" for misspelt command names, subcommands, flags and
 * advice names.
 */

/**
 * Longer words are not looked at: no typing slip makes one, and comparing
 * costs time in proportion to the product of the two lengths.
 */
export const MAX_SLIP_LENGTH = 64;

/**
 * Optimal string alignment distance: Levenshtein plus the swap of two
 * neighbouring letters, the most common typing slip: `munmpa` is one slip
 * from `munmap`, not two. Past `max` the exact figure does not matter: the
 * answer is then `max + 1`, found as soon as it is certain.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      row.push(best);
      rowMin = Math.min(rowMin, best);
    }
    // No row has a smaller minimum than the one above it.
    if (rowMin > max) return max + 1;
    before = previous;
    previous = row;
  }
  return Math.min(previous[b.length]!, max + 1);
}

/**
 * The candidate closest to `word` (case-insensitive), if it is close enough
 * to be a slip rather than a different word: about one edit per three
 * letters; failing that, the only candidate that starts with the word.
 */
export function nearest(word: string, candidates: readonly string[]): string | null {
  if (word.length > MAX_SLIP_LENGTH) return null;
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(w.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = editDistance(w, c.toLowerCase(), limit);
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  if (best !== null && bestDistance <= limit) return best;
  if (w.length >= 2) {
    const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(w));
    if (prefixed.length === 1) return prefixed[0]!;
  }
  return null;
}

/** `; did you mean 'x'?`, or nothing when no candidate is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const n = nearest(word, candidates);
  return n === null ? '' : `; did you mean '${n}'?`;
}
