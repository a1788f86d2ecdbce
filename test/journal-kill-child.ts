/**
 * The process test/journal-kill.test.ts kills: it opens (or resumes) a
 * journal the way the REPL does (cli/repl/open-session.ts) and runs commands
 * until it is killed.
 *
 *   node --import tsx test/journal-kill-child.ts JOURNAL SEED
 *
 * It loads, prints READY, and waits for a line on standard input before it
 * touches the journal (so that it can be started ahead of time). Then:
 *
 *   OPEN <position> <newest>        the session it resumed (or started)
 *   ACK <seq> <position>\t<command> an event, on disk (the session commits the
 *                                   journal line before it reports the event)
 *   MOVED <position>                a move that changed the position, on disk
 *   SAME                            a move that went nowhere (no journal line)
 *   REFUSED                         a command the session refused
 *
 * Standard output is a pipe, which Node writes synchronously on Linux: a line
 * printed is in the pipe before the next command starts.
 */
import { openSession } from '../cli/repl/open-session.js';
import { parseLine } from '../commands/parse.js';
import { newParseContext } from '../commands/parse-context.js';
import { generateScenario, Rng } from '../live/fuzz-generate.js';

const [journal, seedText] = process.argv.slice(2);
if (!journal || !seedText) {
  process.stderr.write('usage: journal-kill-child.ts JOURNAL SEED\n');
  process.exit(2);
}
const seed = Number(seedText);
const say = (line: string) => void process.stdout.write(line + '\n');

say('READY');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

const ctx = newParseContext();
const opened = await openSession(null, { kind: 'empty' }, journal, ctx);
if ('error' in opened) {
  process.stderr.write(opened.error + '\n');
  process.exit(3);
}
const session = opened.session;
say(`OPEN ${session.engine.history.position} ${session.engine.history.newest}`);

const lines = generateScenario(seed, { ops: 5000, forks: true }).lines;
const rng = new Rng(seed ^ 0x5a5a5a5a);
for (let i = 0; i < lines.length; i++) {
  let text = lines[i]!;
  if (rng.chance(0.15)) {
    const h = session.engine.history;
    const n = rng.range(1, 3);
    text = rng.weighted([
      [`undo ${n}`, 3],
      [`redo ${n}`, 2],
      [`goto ${rng.int(h.size)}`, 2],
    ] as const);
    i--;
  }
  const p = parseLine(text, ctx, { file: '<child>', line: i + 1 });
  if (p.kind !== 'command') {
    process.stderr.write(`'${text}' does not parse: ${JSON.stringify(p)}\n`);
    process.exit(4);
  }
  const before = session.engine.history.position;
  const out = session.execute(p.cmd, p.canonical);
  const position = out.engine.history.position;
  if (out.kind === 'event') say(`ACK ${out.seq} ${position}\t${p.canonical}`);
  else if (out.kind === 'moved') say(position !== before ? `MOVED ${position}` : 'SAME');
  else say('REFUSED');
}
say('DONE');
session.close();
