/**
 * The REPL's command line: `vmasim [--empty | SCENARIO] [--session JOURNAL]`.
 *
 * - no argument: the default process (cli/default-scenario.ts) when standard
 *   input is a terminal; an empty start when it is not, as a non-interactive
 *   shell skips its start-up file, so that `vmasim < scenario.vma` means what
 *   `vmasim run scenario.vma` means;
 * - `--empty`: event 0, the empty start;
 * - `SCENARIO`: the scenario's lines run as events;
 * - `--session JOURNAL`: resume that journal, or start it when it does not
 *   exist (from the start the other arguments choose).
 */
export type StartFrom = { readonly kind: 'default' } | { readonly kind: 'empty' } | { readonly kind: 'scenario'; readonly path: string };

export interface ReplArgs {
  /** null: not chosen on the command line (the default depends on the terminal). */
  readonly start: StartFrom | null;
  readonly journal: string | null;
}

export const REPL_USAGE = 'vmasim [--empty | SCENARIO] [--session JOURNAL]';

export function parseReplArgs(argv: readonly string[]): ReplArgs | { readonly error: string } {
  let start: StartFrom | null = null;
  let journal: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--empty') {
      if (start !== null) return { error: `--empty and a SCENARIO exclude each other` };
      start = { kind: 'empty' };
    } else if (a === '--session' || a.startsWith('--session=')) {
      const value = a === '--session' ? argv[++i] : a.slice('--session='.length);
      if (value === undefined || value === '') return { error: '--session needs a JOURNAL file' };
      if (journal !== null) return { error: '--session given twice' };
      journal = value;
    } else if (a.startsWith('-') && a !== '-') {
      return { error: `unknown option '${a}'` };
    } else {
      if (start !== null) return { error: start.kind === 'empty' ? '--empty and a SCENARIO exclude each other' : `one SCENARIO at most (got '${a}' too)` };
      start = { kind: 'scenario', path: a };
    }
  }
  return { start, journal };
}
