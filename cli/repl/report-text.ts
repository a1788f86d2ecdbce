/**
 * Results as plain text: what pipes print, what the transcript keeps, and
 * the pages `history`, `branches`, `diff`, `explain` and `vmas` show.
 */
import type { Outcome, SimHistory } from '../../commands/engine.js';
import { eventTrace } from '../../commands/sim-history.js';
import type { SimState } from '../../kernel-sim/state.js';
import type { Trace } from '../../kernel-sim/trace.js';
import { permsString } from '../../kernel-sim/flags.js';
import { hex, type Vma } from '../../kernel-sim/vma.js';
import { diffEvents } from '../../store/diff.js';
import type { Changes } from './changes.js';
import { formatSize, tableEntries, tableText, vmaName } from './vma-columns.js';
import { NO_CHANGES } from './changes.js';
import { resultText } from '../../snapshots/run-report.js';

/** `=> 0x100000000000`, `=> -1 ENOMEM`, or what a move or setting did. */
export function outcomeText(o: Outcome): string {
  switch (o.kind) {
    case 'event': {
      const r = o.outcome;
      const value = resultText(r);
      return r.reported ? `=> ${value}   (event ${o.seq})` : `event ${o.seq}`;
    }
    case 'moved':
    case 'setting':
    case 'refused':
      return o.message;
    case 'shown':
      return o.text;
  }
}

export function vmaSummary(state: SimState, v: Vma): string {
  const name = vmaName(state, v);
  return `${hex(v.start)}-${hex(v.end)} ${permsString(v.flags)} ${formatSize(v.end - v.start)}${name ? ' ' + name : ''}`;
}

/** One line per VMA created (+), changed (~) or removed (-). */
export function changeLines(before: SimState | null, after: SimState, c: Changes): string[] {
  const out: string[] = [];
  for (const v of c.removed) out.push(`- ${vmaSummary(before ?? after, v)}`);
  for (const [v, fields] of c.changed) out.push(`~ ${vmaSummary(after, v)}  (${fields.join(', ')})`);
  for (const v of c.added) out.push(`+ ${vmaSummary(after, v)}`);
  return out;
}

export function traceLines(trace: Trace): string[] {
  return trace.map((t) => (t.reasons && t.reasons.length ? `${t.kind}: ${t.text}: ${t.reasons.join('; ')}` : `${t.kind}: ${t.text}`));
}

export function historyText(h: SimHistory): string {
  const listing = h.list();
  const width = String(listing.newest).length;
  return listing.entries
    .map((e) => {
      const mark = e.isCurrent ? '*' : e.onPath ? ' ' : '·';
      const from = e.parent !== null && e.parent !== e.seq - 1 ? `  (after ${e.parent})` : '';
      const text = e.seq === 0 ? '(the empty start)' : `${e.text}  => ${e.summary}`;
      return `${mark} ${String(e.seq).padStart(width)}  ${text}${from}`;
    })
    .concat(['', '* the current position; · an event on another branch (goto N reaches it)'])
    .join('\n');
}

export function branchesText(h: SimHistory): string {
  const lines = h.branches().map((b) => {
    const runs = b.path.map((r) => (r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`)).join(', ');
    return `${b.containsCurrent ? '*' : ' '} branch to ${b.head}: events ${runs}`;
  });
  return [...lines, '', '* holds the current position'].join('\n');
}

function vmasOf(state: SimState): readonly Vma[] {
  return state.processes[state.current]!.mm.vmas.toArray();
}

export function diffText(h: SimHistory, a: number, b: number): { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string } {
  const r = diffEvents(h, a, b, vmasOf);
  if (!r.ok) return { ok: false, message: r.error.message };
  const sa = h.stateAt(a)!;
  const sb = h.stateAt(b)!;
  const d = r.diff;
  const lines = [
    ...d.removed.map((v) => `- ${vmaSummary(sa, v)}`),
    ...d.changed.map((c) => `~ ${vmaSummary(sa, c.before)}  ->  ${vmaSummary(sb, c.after)}  (${c.fields.join(', ')})`),
    ...d.added.map((v) => `+ ${vmaSummary(sb, v)}`),
  ];
  const head = `From event ${a} to event ${b}: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.unchanged} the same.`;
  return { ok: true, text: [head, ...lines].join('\n') };
}

export function explainText(h: SimHistory): string {
  const e = h.current;
  if (e.seq === 0 || e.result === null) return 'Event 0 is the empty start: nothing to explain.';
  const trace = traceLines(eventTrace(h, e.seq));
  return [`event ${e.seq}: ${e.text}  => ${e.summary}`, ...(trace.length ? trace.map((t) => '  ' + t) : ['  (no steps recorded)'])].join('\n');
}

export function vmasText(state: SimState, width?: number): string {
  const entries = tableEntries(state, NO_CHANGES);
  if (entries.length === 0) return `Process ${state.current} has no VMAs.`;
  return tableText(state, entries, width);
}
