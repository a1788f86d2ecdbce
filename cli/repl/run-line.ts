/**
 * One line typed at the prompt (or read from a pipe): parse it, then show
 * something, or hand it to the session. Shared by the terminal UI and the
 * plain line mode, so that both mean the same by every line.
 */
import { eventNumberBeyond, type Outcome } from '../../commands/engine.js';
import { helpText } from '../../commands/help.js';
import type { ParseContext } from '../../commands/parse-context.js';
import type { ParseError } from '../../commands/parse-error.js';
import { parseLine, type Where } from '../../commands/parse.js';
import type { SimState } from '../../kernel-sim/state.js';
import { branchesText, diffText, explainText, historyText, vmasText } from './report-text.js';
import type { Session } from './session.js';

export type LineResult =
  | { readonly kind: 'empty' }
  | { readonly kind: 'parse-error'; readonly error: ParseError }
  | { readonly kind: 'quit' }
  /** Text to read; nothing changed. */
  | { readonly kind: 'page'; readonly title: string; readonly text: string }
  /** A refusal of a show command (`diff` of an event that does not exist). */
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'outcome'; readonly outcome: Outcome };

export interface LineRun {
  /** The line as typed. */
  readonly input: string;
  /** The line without its comment and surrounding blanks. */
  readonly text: string;
  /** Its canonical text, when it parsed. */
  readonly canonical: string | null;
  readonly result: LineResult;
  /** The state before and after: the changes to highlight. */
  readonly before: SimState;
  readonly after: SimState;
}

/** `terminal`: `help` adds the keys of the terminal prompt. */
export function runLine(session: Session, ctx: ParseContext, input: string, where: Where, opts: { readonly terminal?: boolean } = {}): LineRun {
  const before = session.engine.history.current.state;
  const done = (result: LineResult, canonical: string | null = null, text = input.trim()): LineRun => ({
    input,
    text,
    canonical,
    result,
    before,
    after: session.engine.history.current.state,
  });
  const parsed = parseLine(input, ctx, where);
  if (parsed.kind === 'empty') return done({ kind: 'empty' });
  if (parsed.kind === 'error') return done({ kind: 'parse-error', error: parsed.error });
  const { cmd, canonical } = parsed;
  const page = (title: string, body: string) => done({ kind: 'page', title, text: body }, canonical, parsed.text);
  const h = session.engine.history;
  switch (cmd.kind) {
    case 'quit':
      return done({ kind: 'quit' }, canonical, parsed.text);
    case 'help':
      return page(cmd.topic === null ? 'help' : `help ${cmd.topic}`, helpText(cmd.topic) + (cmd.topic === null && opts.terminal ? '\n\n' + KEYS_HELP : ''));
    case 'history':
      return page('history', historyText(h));
    case 'branches':
      return page('branches', branchesText(h));
    case 'explain':
      return page('explain', explainText(h));
    case 'vmas':
      return page('vmas', vmasText(before));
    case 'diff': {
      const beyond = eventNumberBeyond(cmd.a > cmd.b ? cmd.a : cmd.b, h.newest);
      if (beyond !== null) return done({ kind: 'refused', message: beyond }, canonical, parsed.text);
      const d = diffText(h, Number(cmd.a), Number(cmd.b));
      return d.ok ? page(canonical, d.text) : done({ kind: 'refused', message: d.message }, canonical, parsed.text);
    }
    case 'show':
      return done({ kind: 'refused', message: `'${canonical}' is not available here` }, canonical, parsed.text);
    default:
      return done({ kind: 'outcome', outcome: session.execute(cmd, canonical) }, canonical, parsed.text);
  }
}

/** The keys of the terminal prompt, for `help`. */
export const KEYS_HELP = `Keys at the prompt
  Enter              run the line
  Tab                complete the word (again: list the candidates)
  Up / Down          earlier / later lines (kept in ~/.vmasim_history)
  Ctrl-R             search the earlier lines
  Ctrl-Z / Ctrl-Y    undo / redo
  Alt-Left / Right   back / forward over the positions visited
  PgUp / PgDn        scroll the VMA table, or a page like this one
  Esc                back from a page to the VMA table
  + / - / =          zoom the address strip in / out / to fit (empty line)
  Ctrl-A / Ctrl-E    start / end of the line
  Ctrl-U / Ctrl-K    delete to the start / to the end; Ctrl-W the word before
  Ctrl-C             clear the line
  Ctrl-D             quit (on an empty line)`;
