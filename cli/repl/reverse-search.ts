/**
 * Ctrl-R: search the input history backwards for a line containing the
 * query, as bash and Node's REPL do. Pure.
 */
export interface Search {
  readonly query: string;
  /** Index of the match in the entries, or -1. */
  readonly match: number;
  /** Whether the last search step found nothing (the prompt says "failing"). */
  readonly failing: boolean;
  /** The line as it was when the search began: Ctrl-C or Ctrl-G give it back. */
  readonly original: string;
}

export function startSearch(original: string): Search {
  return { query: '', match: -1, failing: false, original };
}

/** The newest entry at or before `from` that contains the query; -1 if none. */
export function findBackward(entries: readonly string[], query: string, from: number): number {
  for (let i = Math.min(from, entries.length - 1); i >= 0; i--) if (entries[i]!.includes(query)) return i;
  return -1;
}

/** The query grew or shrank: search again from the newest entry (bash keeps the match while it still fits). */
export function setQuery(s: Search, entries: readonly string[], query: string): Search {
  if (query === '') return { ...s, query, match: -1, failing: false };
  const keep = s.match >= 0 && entries[s.match]!.includes(query) ? s.match : -1;
  const match = keep >= 0 ? keep : findBackward(entries, query, entries.length - 1);
  return match >= 0 ? { ...s, query, match, failing: false } : { ...s, query, failing: true };
}

/** Ctrl-R again: the next older match. */
export function searchOlder(s: Search, entries: readonly string[]): Search {
  if (s.query === '') return s;
  const match = findBackward(entries, s.query, (s.match < 0 ? entries.length : s.match) - 1);
  return match >= 0 ? { ...s, match, failing: false } : { ...s, failing: true };
}

/** The line the search shows: the match, else what was typed before. */
export function searchLine(s: Search, entries: readonly string[]): string {
  return s.match >= 0 ? entries[s.match]! : s.original;
}
