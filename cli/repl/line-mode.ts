/**
 * The REPL without a terminal: standard input read line by line, results
 * printed as plain text (no escape codes, not even from the input: control
 * characters in names and paths are shown escaped), so that `vmasim < scenario.vma`
 * and `echo ... | vmasim` work.
 *
 * Results go to standard output as `LINE: COMMAND  =>  RESULT`, like
 * `vmasim run`, each followed by the VMAs it created (+), changed (~) and
 * removed (-); pages (`help`, `vmas`, ...) are printed whole. A line that
 * does not parse, or cannot be carried out, is reported on standard error
 * as `<stdin>:LINE:COLUMN: message` and the REPL goes on; the exit status is
 * then 1 at the end of input (0 when every line went through), so a script
 * sees that something was wrong without losing the rest of the run.
 *
 * Lines end where they end for `vmasim run` (LF, CR LF or a lone CR), and a
 * byte order mark before the first line is dropped, as there.
 */
import { createInterface } from 'node:readline';
import { withoutByteOrderMark } from '../../commands/hidden-characters.js';
import { formatParseError } from '../../commands/parse-error.js';
import { printable, printableLines } from '../../commands/printable.js';
import type { ParseContext } from '../../commands/parse-context.js';
import { changesBetween } from './changes.js';
import { changeLines, outcomeText } from './report-text.js';
import { runLine } from './run-line.js';
import type { Session } from './session.js';

export const STDIN_NAME = '<stdin>';

export async function lineMode(
  session: Session,
  ctx: ParseContext,
  notes: readonly string[],
  input: NodeJS.ReadableStream = process.stdin,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  for (const n of notes) err.write(n + '\n');
  let failed = false;
  let n = 0;
  const rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
  for await (const raw of rl) {
    n++;
    const run = runLine(session, ctx, n === 1 ? withoutByteOrderMark(raw) : raw, { file: STDIN_NAME, line: n });
    const r = run.result;
    const head = `${n}: ${run.text}`;
    switch (r.kind) {
      case 'empty':
        break;
      case 'parse-error':
        failed = true;
        err.write(formatParseError(r.error) + '\n');
        break;
      case 'quit':
        rl.close();
        return finish();
      case 'page':
        out.write(printableLines(r.text.replace(/\n*$/, '\n')));
        break;
      case 'refused':
        failed = true;
        err.write(`${STDIN_NAME}:${n}: ${printable(r.message)}\n`);
        break;
      case 'outcome': {
        const o = r.outcome;
        if (o.kind === 'refused') {
          failed = true;
          err.write(`${STDIN_NAME}:${n}: ${printable(o.message)}\n`);
          break;
        }
        const lines = [`${head}  ${outcomeText(o)}`];
        if (o.kind === 'event') lines.push(...(o.notes ?? []).map((note) => '    ' + note));
        if (o.kind === 'event' || o.kind === 'moved') {
          lines.push(...changeLines(run.before, run.after, changesBetween(run.before, run.after)).map((l) => '    ' + l));
        }
        out.write(printableLines(lines.join('\n')) + '\n');
        break;
      }
    }
  }
  return finish();

  function finish(): number {
    session.close();
    return failed ? 1 : 0;
  }
}
