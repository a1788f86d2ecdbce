/**
 * The REPL's command line: `vmasim [--empty | SCENARIO] [--session JOURNAL]`.
 *
 * - no argument: the default process (cli/default-scenario.ts) when standard
 *   input is a terminal; an empty start when it is not, as a non-interactive
 *   shell skips its start-up file, so that `vmasim < scenario.vma` means what
 *   `vmasim run scenario.vma` means;
 * - `--empty`: event 0, the empty start;
 * - `--from-pid PID`: one import event holding that process's address space;
 * - `SCENARIO`: the scenario's lines run as events;
 * - `--session JOURNAL`: resume that journal, or start it when it does not
 *   exist (from the start the other arguments choose).
 */
export type StartFrom =
  | { readonly kind: 'default' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'scenario'; readonly path: string }
  /** A running process's address space, from /proc/PID/smaps. */
  | { readonly kind: 'pid'; readonly pid: number };

export interface ReplArgs {
  /** null: not chosen on the command line (the default depends on the terminal). */
  readonly start: StartFrom | null;
  readonly journal: string | null;
}

export const REPL_USAGE = 'vmasim [--empty | SCENARIO | --from-pid PID] [--session JOURNAL]';

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
    } else if (a === '--from-pid' || a.startsWith('--from-pid=')) {
      const value = a === '--from-pid' ? argv[++i] : a.slice('--from-pid='.length);
      if (value === undefined || !/^[1-9][0-9]{0,9}$/.test(value)) return { error: `--from-pid needs a process id, got '${value ?? ''}'` };
      if (start !== null) return { error: '--from-pid excludes --empty and a SCENARIO' };
      start = { kind: 'pid', pid: Number(value) };
    } else if (a.startsWith('-') && a !== '-') {
      return { error: `unknown option '${a}'` };
    } else {
      if (start !== null) return { error: start.kind === 'empty' ? '--empty and a SCENARIO exclude each other' : `one SCENARIO at most (got '${a}' too)` };
      start = { kind: 'scenario', path: a };
    }
  }
  return { start, journal };
}
