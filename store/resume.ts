/** Rebuild a History from its journal: resumeJournal with the callbacks that re-run each line. */
import { History, type HistoryOptions } from './history.js';
import { resumeJournal, type ResumeOptions, type ResumeReport } from './journal.js';

/**
 * Reads a command back from its canonical text and the data its line
 * carries (undefined when it has none). `note`: something people should
 * know about this line; `transient`: the command cannot be rebuilt now for
 * want of something outside the journal (see ReplayHandlers.event).
 */
export type ParseCommand<C> = (
  text: string,
  data?: unknown,
) => { readonly ok: true; readonly command: C; readonly note?: string } | { readonly ok: false; readonly error: string; readonly transient?: boolean };

export interface ResumeHistoryOptions<S, C, R> extends ResumeOptions {
  /** How to make the history; its start time comes from the journal's header. */
  readonly history: HistoryOptions<S, C, R>;
  /** Reads a command's canonical text back. */
  readonly parse: ParseCommand<C>;
  /**
   * The message of an error the reducer throws for a command it refuses
   * (the command is not carried out; the replay stops there), or undefined
   * for an error that is not a refusal (it is thrown on).
   */
  readonly refusal?: (error: unknown) => string | undefined;
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
        const parsed = opts.parse(rec.command, rec.data);
        if (!parsed.ok) {
          return parsed.transient
            ? { error: `event ${rec.seq} \`${rec.command}\` cannot be replayed now: ${parsed.error}`, transient: true }
            : { error: `event ${rec.seq} \`${rec.command}\` no longer parses: ${parsed.error}` };
        }
        let next;
        try {
          next = history().append(parsed.command, { time: rec.time, text: rec.command });
        } catch (e) {
          const why = opts.refusal?.(e);
          if (why === undefined) throw e;
          return { error: `event ${rec.seq} \`${rec.command}\` cannot be carried out: ${why}` };
        }
        h = next.history;
        return { summary: next.event.summary, ...(parsed.note !== undefined ? { note: parsed.note } : {}) };
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
