/** Rebuild a History from its journal: resumeJournal with the callbacks that re-run each line. */
import { History, type HistoryOptions } from './history.js';
import { resumeJournal, type ResumeOptions, type ResumeReport } from './journal.js';

export type ParseCommand<C> = (text: string) => { readonly ok: true; readonly command: C } | { readonly ok: false; readonly error: string };

export interface ResumeHistoryOptions<S, C, R> extends ResumeOptions {
  /** How to make the history; its start time comes from the journal's header. */
  readonly history: HistoryOptions<S, C, R>;
  /** Reads a command's canonical text back. */
  readonly parse: ParseCommand<C>;
  readonly progress?: (done: number, total: number) => void;
}

export async function resumeHistory<S, C, R>(
  file: string,
  opts: ResumeHistoryOptions<S, C, R>,
): Promise<{ readonly history: History<S, C, R>; readonly report: ResumeReport }> {
  let h: History<S, C, R> | null = null;
  const history = () => (h ??= History.create(opts.history));
  const report = await resumeJournal(
    file,
    {
      begin(header) {
        h = History.create({ ...opts.history, ...(header ? { startTime: header.time } : {}) });
      },
      event(rec) {
        const parsed = opts.parse(rec.command);
        if (!parsed.ok) return { error: `event ${rec.seq} \`${rec.command}\` no longer parses: ${parsed.error}` };
        const next = history().append(parsed.command, { time: rec.time });
        h = next.history;
        return { summary: next.event.summary };
      },
      move(rec) {
        const cur = history();
        let landed: number;
        if (rec.op === 'goto') {
          const r = cur.goto(rec.arg);
          if (!r.ok) return { error: r.error.message };
          h = r.history;
          landed = r.to;
        } else {
          const r = cur[rec.op](rec.arg);
          h = r.history;
          landed = r.to;
        }
        if (landed !== rec.to) {
          const r = history().goto(rec.to);
          if (!r.ok) return { error: r.error.message };
          h = r.history;
        }
        return { landed };
      },
      ...(opts.progress ? { progress: opts.progress } : {}),
    },
    opts,
  );
  return { history: history(), report };
}
