/**
 * The REPL proper: read the command line, open the session, then either the
 * Ink UI (on a terminal) or plain lines (line-mode.ts). Each is imported only
 * once it is known which one runs: Ink is the heaviest thing vmasim loads.
 */
import { newParseContext } from '../../commands/parse-context.js';
import { parseReplArgs, REPL_USAGE } from './args.js';
import { openSession } from './open-session.js';

export async function replMain(argv: readonly string[]): Promise<number> {
  const args = parseReplArgs(argv);
  if ('error' in args) {
    process.stderr.write(`vmasim: ${args.error}\nusage: ${REPL_USAGE}\n`);
    return 2;
  }
  const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  // Start reading the UI's code while the session is set up.
  const ui = terminal ? import('./terminal-ui.js') : null;
  ui?.catch(() => {});
  const ctx = newParseContext();
  const opened = await openSession(args.start, terminal ? { kind: 'default' } : { kind: 'empty' }, args.journal, ctx);
  if ('error' in opened) {
    process.stderr.write(`vmasim: ${opened.error}\n`);
    return 1;
  }
  if (ui === null) {
    const { lineMode } = await import('./line-mode.js');
    return lineMode(opened.session, ctx, opened.notes);
  }
  const { runTerminalUi } = await ui;
  return runTerminalUi(opened.session, ctx, opened.notes, opened.welcome);
}
