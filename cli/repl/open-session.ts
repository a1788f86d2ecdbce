/**
 * The session the REPL starts on: the default process, an empty start, a
 * scenario file, or a journal resumed (scenario-language.md, History).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatParseError } from '../../commands/parse-error.js';
import { parseLine, parseScenario } from '../../commands/parse.js';
import type { ParseContext } from '../../commands/parse-context.js';
import { isStateCommand } from '../../commands/engine.js';
import { CommandError } from '../../kernel-sim/step.js';
import { History } from '../../store/history.js';
import { JournalWriteError } from '../../store/journal-error.js';
import { JournalWriter } from '../../store/journal.js';
import { resumeHistory } from '../../store/resume.js';
import { importDataOf, recordedImport } from '../../snapshots/import-record.js';
import { DEFAULT_SCENARIO, DEFAULT_SCENARIO_NAME } from '../default-scenario.js';
import type { StartFrom } from './args.js';
import { actorSession, loadImportCommand, simHistoryOptions, type Session } from './session.js';

export interface Opened {
  readonly session: Session;
  /** What a person should be told before the first prompt (a journal resumed or repaired). */
  readonly notes: readonly string[];
  /** One line on where the session starts, with the keys to begin with. */
  readonly welcome: string;
}

const KEYS = 'Type help for the commands; Ctrl-Z undoes, Ctrl-D quits.';

function welcome(start: StartFrom, events: number): string {
  switch (start.kind) {
    case 'empty':
      return `An empty address space. ${KEYS}`;
    case 'default':
      return `mawk, a typical small process: ${events} events built it (undo walks back). ${KEYS}`;
    case 'scenario':
      return `${start.path}: ${events} events. ${KEYS}`;
    case 'pid':
      return `process ${start.pid}, imported from /proc/${start.pid}/smaps. ${KEYS}`;
  }
}

export type OpenResult = Opened | { readonly error: string };

/** `chosen`: the start the command line asked for, if any; `fallback` otherwise (a journal that exists decides instead). */
export async function openSession(chosen: StartFrom | null, fallback: StartFrom, journalPath: string | null, ctx: ParseContext): Promise<OpenResult> {
  if (journalPath !== null && existsSync(journalPath)) return resumeSession(chosen, journalPath, ctx);
  const start = chosen ?? fallback;
  const make = simHistoryOptions();
  const history = History.create(make.options);
  let journal: JournalWriter | null = null;
  if (journalPath !== null) {
    try {
      // The header's start time is event 0's: a resumed session keeps it.
      journal = JournalWriter.create(journalPath, { startTime: history.current.time, eventData: importDataOf });
    } catch (e) {
      if (e instanceof JournalWriteError) return { error: e.message };
      throw e;
    }
  }
  const session = actorSession({ history, make, journal });
  const loaded = loadStart(session, start, ctx);
  if ('error' in loaded) {
    session.close();
    return loaded;
  }
  const notes = journal ? [`Recording this session in ${journalPath}: resume it with --session ${journalPath}.`] : [];
  return { session, notes, welcome: welcome(start, session.engine.history.position) };
}

/** Run the starting scenario's lines as events. */
function loadStart(session: Session, start: StartFrom, ctx: ParseContext): { readonly ok: true } | { readonly error: string } {
  let text: string;
  let name: string;
  switch (start.kind) {
    case 'empty':
      return { ok: true };
    case 'pid': {
      const loaded = loadImportCommand('smaps', `/proc/${start.pid}/smaps`, '/');
      if ('error' in loaded) return { error: loaded.error };
      const out = session.execute(loaded.cmd, `import smaps /proc/${start.pid}/smaps`);
      return out.kind === 'refused' ? { error: out.message } : { ok: true };
    }
    case 'default':
      text = DEFAULT_SCENARIO;
      name = DEFAULT_SCENARIO_NAME;
      break;
    case 'scenario':
      try {
        text = readFileSync(start.path, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
        return { error: `${start.path}: cannot read scenario: ${why}` };
      }
      name = start.path;
      break;
  }
  const parsed = parseScenario(text, name, ctx);
  if ('error' in parsed) return { error: formatParseError(parsed.error) };
  for (const l of parsed.lines) {
    let cmd = l.cmd;
    if (cmd.kind === 'import' && start.kind === 'scenario') {
      // A relative PATH in a scenario is relative to the scenario's folder.
      const loaded = loadImportCommand(cmd.format, cmd.path, dirname(resolve(start.path)));
      if ('error' in loaded) return { error: `${name}:${l.line}: ${loaded.error}` };
      cmd = loaded.cmd;
    }
    const out = session.execute(cmd, l.canonical);
    if (out.kind === 'refused') return { error: `${name}:${l.line}: ${out.message}` };
  }
  return { ok: true };
}

async function resumeSession(chosen: StartFrom | null, journalPath: string, ctx: ParseContext): Promise<OpenResult> {
  if (chosen !== null && chosen.kind !== 'default') {
    return { error: `${journalPath} exists: its events decide where the session starts, so leave out ${chosen.kind === 'empty' ? '--empty' : chosen.kind === 'pid' ? '--from-pid' : chosen.path}` };
  }
  const make = simHistoryOptions();
  let resumed;
  try {
    resumed = await resumeHistory(journalPath, {
      history: make.options,
      parse(text, data) {
        const p = parseLine(text, ctx, { file: journalPath, line: 0 });
        if (p.kind === 'error') return { ok: false, error: p.error.message };
        if (p.kind === 'command' && p.cmd.kind === 'import') {
          if (data !== undefined) {
            const recorded = recordedImport(p.cmd.format, p.cmd.path, data);
            if ('error' in recorded) return { ok: false, error: recorded.error };
            make.texts.set(recorded.cmd, p.canonical);
            return { ok: true, command: recorded.cmd };
          }
          // Journals before version 2 have the line, not the data: the file is read again, as it is now.
          const loaded = loadImportCommand(p.cmd.format, p.cmd.path, process.cwd());
          if ('error' in loaded) return { ok: false, error: loaded.error, transient: true };
          make.texts.set(loaded.cmd, p.canonical);
          return { ok: true, command: loaded.cmd, note: `its import was recorded without the data, so ${p.cmd.path} was read again as it is now` };
        }
        if (p.kind !== 'command' || !isStateCommand(p.cmd)) return { ok: false, error: 'not a command that makes an event' };
        // Its text reaches the history from the journal line itself (resumeHistory).
        return { ok: true, command: p.cmd };
      },
      refusal: (e) => (e instanceof CommandError ? e.message : undefined),
    });
  } catch (e) {
    if (e instanceof JournalWriteError) return { error: e.message };
    throw e;
  }
  const { history, report } = resumed;
  if (report.status === 'unsupported' || report.status === 'too-large') return { error: report.message };
  let journal: JournalWriter | null = null;
  const notes = [report.message];
  if (report.appendable) {
    try {
      journal = JournalWriter.open(journalPath, { eventData: importDataOf });
    } catch (e) {
      if (!(e instanceof JournalWriteError)) throw e;
      notes.push(`${e.message}: this session is not recorded.`);
    }
  } else {
    notes.push('This session is not recorded: start a new journal with --session NEWFILE to keep it.');
  }
  const session = actorSession({ history, make, journal });
  return { session, notes, welcome: `${journalPath}: resumed at event ${history.position} of ${history.newest}. ${KEYS}` };
}
