/**
 * The real simulator behind the history, for property tests: random sessions
 * of command-language lines and history moves, run through commands/engine.ts
 * (as `vmasim run` does) or through the REPL's session actor with a journal,
 * and a plain view of a state to compare field by field.
 */
import fc from 'fast-check';
import type { Command, StateCommand } from '../../commands/ast.js';
import { execute, isStateCommand, newEngine, type Engine } from '../../commands/engine.js';
import { parseLine } from '../../commands/parse.js';
import type { ParseContext } from '../../commands/parse-context.js';
import { flagsToMnemonics } from '../../kernel-sim/flags.js';
import type { SimState } from '../../kernel-sim/state.js';
import { HIGH, line } from '../../kernel-sim/testing/random-lines.js';
import type { simHistoryOptions, Session } from '../../cli/repl/session.js';
import type { ParseCommand } from '../resume.js';

export type SimOp =
  | { readonly k: 'cmd'; readonly text: string }
  | { readonly k: 'undo' | 'redo' | 'back' | 'forward'; readonly n: number }
  /** Event number = floor(at × number of events). */
  | { readonly k: 'goto'; readonly at: number };

const steps = fc.integer({ min: 0, max: 6 });
const fraction = fc.integer({ min: 0, max: 999_999 }).map((i) => i / 1_000_000);

export const simOp: fc.Arbitrary<SimOp> = fc.oneof(
  { weight: 14, arbitrary: line(HIGH, { syscalls: 5, vma: 3, processes: 1 }).map((text): SimOp => ({ k: 'cmd', text })) },
  { weight: 3, arbitrary: steps.map((n): SimOp => ({ k: 'undo', n })) },
  { weight: 2, arbitrary: steps.map((n): SimOp => ({ k: 'redo', n })) },
  { weight: 3, arbitrary: fraction.map((at): SimOp => ({ k: 'goto', at })) },
  { weight: 1, arbitrary: steps.map((n): SimOp => ({ k: 'back', n })) },
  { weight: 1, arbitrary: steps.map((n): SimOp => ({ k: 'forward', n })) },
);

/** The files first (so that `file=` lines parse), then random commands and moves. */
export const simSession = (maxLength: number): fc.Arbitrary<SimOp[]> =>
  fc
    .array(simOp, { maxLength, size: 'max' })
    .map((ops) => [{ k: 'cmd', text: 'file f 64p' } as SimOp, { k: 'cmd', text: 'file g 16p' } as SimOp, ...ops]);

/** The line an op is typed as; `goto` needs the number of events there are. */
export function opText(op: SimOp, events: number): string {
  switch (op.k) {
    case 'cmd':
      return op.text;
    case 'goto':
      return `goto ${Math.floor(op.at * events)}`;
    default:
      return `${op.k} ${op.n}`;
  }
}

/** A line that must parse: its command and canonical text. */
export function parseCommand(text: string, ctx: ParseContext): { readonly cmd: Command; readonly canonical: string } {
  const p = parseLine(text, ctx, { file: '<session>', line: 0 });
  if (p.kind !== 'command') throw new Error(`'${text}' does not parse: ${JSON.stringify(p)}`);
  return { cmd: p.cmd, canonical: p.canonical };
}

/** Run ops through commands/engine.ts; the engine after each op. */
export function runEngine(ops: readonly SimOp[], ctx: ParseContext, each?: (engine: Engine, op: SimOp) => void): Engine {
  let engine = newEngine();
  for (const op of ops) {
    const { cmd, canonical } = parseCommand(opText(op, engine.history.size), ctx);
    engine = execute(engine, cmd, canonical).engine;
    each?.(engine, op);
  }
  return engine;
}

/** Run ops through a REPL session (the session actor, with its journal if it has one). */
export function runSession(session: Session, ops: readonly SimOp[], ctx: ParseContext): void {
  for (const op of ops) {
    const { cmd, canonical } = parseCommand(opText(op, session.engine.history.size), ctx);
    session.execute(cmd, canonical);
  }
}

/** How the REPL reads a journal's lines back (cli/repl/open-session.ts, without imports). */
export function journalParser(make: ReturnType<typeof simHistoryOptions>, ctx: ParseContext): ParseCommand<StateCommand> {
  return (text) => {
    const p = parseLine(text, ctx, { file: '<journal>', line: 0 });
    if (p.kind === 'error') return { ok: false, error: p.error.message };
    if (p.kind !== 'command' || !isStateCommand(p.cmd)) return { ok: false, error: 'not a command that makes an event' };
    make.texts.set(p.cmd, p.canonical);
    return { ok: true, command: p.cmd };
  };
}

/** Everything a state holds, as plain data: VMAs field by field, flags as mnemonics. */
export function simView(s: SimState): unknown {
  return {
    config: s.config,
    files: s.files,
    current: s.current,
    nextAnonVma: s.nextAnonVma,
    nextShmem: s.nextShmem,
    namedAnonVmas: s.namedAnonVmas,
    processes: s.processes.map((p) => ({
      id: p.id,
      parent: p.parent,
      guards: p.mm.guards.toArray(),
      vmas: p.mm.vmas.toArray().map((v) => ({
        start: `0x${v.start.toString(16)}`,
        end: `0x${v.end.toString(16)}`,
        pgoff: v.pgoff,
        flags: flagsToMnemonics(v.flags).join(' '),
        file: v.file,
        anonVma: v.anonVma,
        anonVmaChain: v.anonVmaChain,
        anonName: v.anonName,
        hasClose: v.hasClose,
      })),
    })),
  };
}
