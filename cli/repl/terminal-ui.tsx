/** The REPL on a terminal: Ink renders the App until the user quits. */
import { render } from 'ink';
import type { ParseContext } from '../../commands/parse-context.js';
import { App } from './App.js';
import { historyFilePath, InputHistory, loadHistory } from './input-history.js';
import { ReplController } from './repl-controller.js';
import type { Session } from './session.js';

export async function runTerminalUi(session: Session, ctx: ParseContext, notes: readonly string[], welcome: string): Promise<number> {
  const historyPath = historyFilePath();
  const controller = new ReplController({
    session,
    ctx,
    history: new InputHistory(loadHistory(historyPath)),
    historyPath,
    size: { columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 },
    notes,
    welcome,
  });
  // Raw mode before the first frame: a key typed as soon as the prompt shows
  // must not meet the terminal's line discipline (which would echo it, or
  // take Ctrl-D for the end of input) before Ink's input handler is set up.
  process.stdin.setRawMode?.(true);
  const app = render(<App controller={controller} />, { exitOnCtrlC: false, patchConsole: false });
  await app.waitUntilExit();
  if (!controller.quitting) controller.quit();
  return 0;
}
