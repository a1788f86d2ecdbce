/** Sessions for the REPL's tests: from a scenario's text, without a journal. */
import { newParseContext, type ParseContext } from '../../commands/parse-context.js';
import { parseScenario } from '../../commands/parse.js';
import { newSession, type Session } from './session.js';

export function sessionOf(text: string): { session: Session; ctx: ParseContext } {
  const ctx = newParseContext();
  const session = newSession();
  const parsed = parseScenario(text, 'test.vma', ctx);
  if ('error' in parsed) throw new Error(parsed.error.message);
  for (const l of parsed.lines) {
    const out = session.execute(l.cmd, l.canonical);
    if (out.kind === 'refused') throw new Error(`line ${l.line}: ${out.message}`);
  }
  return { session, ctx };
}
