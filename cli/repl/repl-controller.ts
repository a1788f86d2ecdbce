/**
 * Everything the terminal REPL keeps between keys, outside React: the line
 * being edited, the input history and its search, the transcript, what the
 * last command did, scrolling and zoom. Keys arrive one chunk at a time and
 * are handled at once against this state, so fast typing loses nothing
 * (a useInput handler that read React state would see a stale frame).
 * The UI renders from it and re-renders when `onChange` fires.
 */
import { characterCount, firstCharacters } from '../../commands/characters.js';
import { isTooLong } from '../../commands/lexer.js';
import type { ParseContext } from '../../commands/parse-context.js';
import { printable } from '../../commands/printable.js';
import type { SimState } from '../../kernel-sim/state.js';
import { changedRange, changesBetween, hasChanges, NO_CHANGES, type Changes } from './changes.js';
import { InputHistory, saveHistory } from './input-history.js';
import * as edit from './line-editor.js';
import { EMPTY_LINE, lineOf, type Line } from './line-editor.js';
import { changeLines, outcomeText, traceLines } from './report-text.js';
import { searchLine, searchOlder, setQuery, startSearch, type Search } from './reverse-search.js';
import { runLine, type LineRun } from './run-line.js';
import { screenLayout, type Layout, type ScreenSize } from './screen-layout.js';
import type { Session } from './session.js';
import { MAX_ZOOM } from './strip-model.js';
import { completionProvider, tabComplete } from './tab-complete.js';
import { tableEntries, type TableEntry } from './vma-columns.js';

export const PROMPT = 'vmasim> ';
export const PROMPT_NAME = '<prompt>';

/** Ink's description of a key, as far as the REPL reads it. */
export interface KeyInfo {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
}

export type Tone = 'normal' | 'error' | 'dim' | 'ok';

/** A finished line of output: it goes into Ink's <Static> and never changes. */
export interface TranscriptItem {
  readonly id: number;
  readonly text: string;
  readonly tone: Tone;
}

/** The last result, as the live area shows it. */
export interface ResultView {
  readonly input: string;
  readonly headline: string;
  readonly tone: Tone;
  readonly details: readonly string[];
}

export interface Page {
  readonly title: string;
  readonly lines: readonly string[];
}

const MAX_CHANGE_LINES = 6;

/**
 * Transcript lines kept: many screens' worth. Older ones have been printed
 * for good (<Static>), so keeping them would only cost memory; between two
 * frames up to twice as many may gather before the oldest are dropped.
 */
export const MAX_TRANSCRIPT = 1000;

/** How much of a line too long to run is echoed. */
const ECHO_LIMIT = 200;

export class ReplController {
  readonly session: Session;
  readonly ctx: ParseContext;
  readonly history: InputHistory;
  readonly historyPath: string | null;

  line: Line = EMPTY_LINE;
  search: Search | null = null;
  candidates: readonly string[] = [];
  result: ResultView;
  page: Page | null = null;
  pageScroll = 0;
  tableScroll = 0;
  zoom = 0;
  /** Where zooming centres: the middle of what the last command changed. */
  focus: number | null = null;
  changes: Changes = NO_CHANGES;
  /** The state the changes are measured from. */
  before: SimState | null = null;
  quitting = false;
  size: ScreenSize;
  /** Set by the UI: called after every change of state. */
  onChange: () => void = () => {};
  /** Set by the UI: called once the REPL should end. */
  onQuit: () => void = () => {};

  #lineNo = 0;
  #nextId = 0;
  #transcript: TranscriptItem[] = [];
  readonly #transcriptLimit: number;
  #wrapped: { page: Page; width: number; lines: readonly string[] } | null = null;
  #entries: { state: SimState; changes: Changes; entries: TableEntry[] } | null = null;

  constructor(opts: {
    session: Session;
    ctx: ParseContext;
    history: InputHistory;
    historyPath: string | null;
    size: ScreenSize;
    notes?: readonly string[];
    welcome?: string;
    /** Transcript lines kept (default MAX_TRANSCRIPT). */
    transcriptLimit?: number;
  }) {
    this.session = opts.session;
    this.ctx = opts.ctx;
    this.history = opts.history;
    this.historyPath = opts.historyPath;
    this.size = opts.size;
    this.#transcriptLimit = opts.transcriptLimit ?? MAX_TRANSCRIPT;
    for (const n of opts.notes ?? []) this.#say(n, 'dim');
    this.result = { input: '', headline: opts.welcome ?? '', tone: 'dim', details: [] };
  }

  /** The latest lines of output, oldest first; ids increase by one from line to line. */
  get transcript(): readonly TranscriptItem[] {
    return this.#transcript;
  }

  get layout(): Layout {
    return screenLayout(this.size);
  }

  get state(): SimState {
    return this.session.engine.history.current.state;
  }

  /** Table entries for the current state and changes (cached: they are rebuilt only when either changes). */
  get entries(): readonly TableEntry[] {
    const state = this.state;
    if (this.#entries === null || this.#entries.state !== state || this.#entries.changes !== this.changes) {
      this.#entries = { state, changes: this.changes, entries: tableEntries(state, this.changes) };
    }
    return this.#entries.entries;
  }

  /** The page's lines wrapped to the screen's width. */
  get pageLines(): readonly string[] {
    const page = this.page;
    if (page === null) return [];
    const width = this.layout.width;
    if (this.#wrapped === null || this.#wrapped.page !== page || this.#wrapped.width !== width) {
      this.#wrapped = { page, width, lines: page.lines.flatMap((l) => wrapLine(l, width)) };
    }
    return this.#wrapped.lines;
  }

  resize(size: ScreenSize): void {
    this.size = size;
    this.#clampScroll();
    this.onChange();
  }

  // ---- keys

  key(input: string, k: KeyInfo): void {
    if (this.quitting) return;
    const special = Object.values(k).some(Boolean);
    if (!special && input.length > 1) {
      // A paste, or keys typed faster than one chunk each: Ink hands them over
      // as one string. Take them one by one, control characters included, so
      // that `Ctrl-R text` or `line<Enter>line` means what it would typed slowly.
      for (const ch of input) this.#oneKey(...keyOfChar(ch));
    } else {
      this.#oneKey(input, k);
    }
    this.onChange();
  }

  #oneKey(input: string, k: KeyInfo): void {
    if (this.quitting) return;
    if (this.search !== null) this.#searchKey(input, k);
    else this.#editKey(input, k);
  }

  #editKey(input: string, k: KeyInfo): void {
    const wasListing = this.candidates.length > 0;
    if (!k.tab) this.candidates = [];
    if (k.ctrl && !k.meta) return this.#ctrlKey(input);
    if (k.meta && k.leftArrow) return this.#runBound('back');
    if (k.meta && k.rightArrow) return this.#runBound('forward');
    if (k.escape) {
      if (!wasListing) this.page = null;
      return;
    }
    if (k.pageUp) return this.#scroll(-1);
    if (k.pageDown) return this.#scroll(1);
    if (k.upArrow) return this.#recall(this.history.previous(this.line.text));
    if (k.downArrow) return this.#recall(this.history.next());
    if (k.leftArrow) return void (this.line = edit.left(this.line));
    if (k.rightArrow) return void (this.line = edit.right(this.line));
    if (k.home) return void (this.line = edit.home(this.line));
    if (k.end) return void (this.line = edit.end(this.line));
    if (k.backspace || k.delete) return void (this.line = edit.backspace(this.line));
    if (k.tab) return this.#tab(wasListing);
    if (k.meta) return;
    if (k.return || input === '\r' || input === '\n') return this.#submitLine();
    if (this.line.text === '' && (input === '+' || input === '-' || input === '=')) return this.#zoomKey(input);
    const text = [...input].filter((ch) => ch >= ' ' && ch !== '\x7f').join('');
    if (text !== '') this.line = edit.insert(this.line, text);
  }

  #ctrlKey(input: string): void {
    switch (input) {
      case 'a':
        this.line = edit.home(this.line);
        return;
      case 'e':
        this.line = edit.end(this.line);
        return;
      case 'b':
        this.line = edit.left(this.line);
        return;
      case 'f':
        this.line = edit.right(this.line);
        return;
      case 'u':
        this.line = edit.killToStart(this.line);
        return;
      case 'k':
        this.line = edit.killToEnd(this.line);
        return;
      case 'w':
        this.line = edit.killWordBack(this.line);
        return;
      case 'p':
        return this.#recall(this.history.previous(this.line.text));
      case 'n':
        return this.#recall(this.history.next());
      case 'c':
        if (this.line.text === '') this.result = { input: '', headline: 'To leave, press Ctrl-D on an empty line or type quit.', tone: 'dim', details: [] };
        this.line = EMPTY_LINE;
        this.history.reset();
        return;
      case 'd':
        if (this.line.text === '') return this.quit();
        this.line = edit.deleteForward(this.line);
        return;
      case 'z':
        return this.#runBound('undo');
      case 'y':
        return this.#runBound('redo');
      case 'r':
        this.search = startSearch(this.line.text);
        return;
      default:
        return;
    }
  }

  #searchKey(input: string, k: KeyInfo): void {
    const s = this.search!;
    const entries = this.history.entries;
    if (k.ctrl && input === 'r') {
      this.search = searchOlder(s, entries);
      return;
    }
    if (k.ctrl && (input === 'c' || input === 'g')) {
      this.line = lineOf(s.original);
      this.search = null;
      return;
    }
    if (k.return) {
      this.line = lineOf(searchLine(s, entries));
      this.search = null;
      this.#submitLine();
      return;
    }
    if (k.backspace || k.delete) {
      this.search = setQuery(s, entries, s.query.slice(0, -1));
      return;
    }
    if (k.escape || k.leftArrow || k.rightArrow || k.home || k.end || k.upArrow || k.downArrow || k.tab || k.ctrl || k.meta) {
      // Leave the search with the match on the line, ready to edit.
      this.line = lineOf(searchLine(s, entries));
      this.search = null;
      if (!k.escape) this.#editKey(input, k);
      return;
    }
    if (input === '\n') return this.#searchKey('', { return: true });
    const text = [...input].filter((ch) => ch >= ' ' && ch !== '\x7f').join('');
    if (text !== '') this.search = setQuery(s, entries, s.query + text);
  }

  #recall(text: string | null): void {
    if (text !== null) this.line = lineOf(text);
  }

  #tab(again: boolean): void {
    const r = tabComplete(this.line, this.ctx, completionProvider(this.state));
    this.line = r.line;
    this.candidates = r.candidates.length > 0 || again ? r.candidates : [];
  }

  #zoomKey(key: string): void {
    if (key === '=') this.zoom = 0;
    else if (key === '+') this.zoom = Math.min(MAX_ZOOM, this.zoom + 1);
    else this.zoom = Math.max(-MAX_ZOOM, this.zoom - 1);
  }

  #scroll(direction: 1 | -1): void {
    const l = this.layout;
    if (this.page !== null) {
      const max = Math.max(0, this.pageLines.length - l.pageRows);
      this.pageScroll = Math.max(0, Math.min(max, this.pageScroll + direction * Math.max(1, l.pageRows - 1)));
      return;
    }
    this.tableScroll += direction * Math.max(1, l.tableRows - 1);
    this.#clampScroll();
  }

  #clampScroll(): void {
    const max = Math.max(0, this.entries.length - this.layout.tableRows);
    this.tableScroll = Math.max(0, Math.min(max, this.tableScroll));
    if (this.page !== null) this.pageScroll = Math.max(0, Math.min(Math.max(0, this.pageLines.length - this.layout.pageRows), this.pageScroll));
  }

  // ---- running lines

  #submitLine(): void {
    const text = this.line.text;
    this.line = EMPTY_LINE;
    this.history.add(text);
    saveHistory(this.historyPath, this.history.entries);
    this.run(text);
  }

  /** A command bound to a key: run as if typed, without touching the line being edited. */
  #runBound(command: string): void {
    this.run(command);
  }

  /** Run one line and show what it did. */
  run(text: string): void {
    const run = runLine(this.session, this.ctx, text, { file: PROMPT_NAME, line: ++this.#lineNo }, { terminal: true });
    const r = run.result;
    if (r.kind === 'empty') return;
    this.#say(PROMPT + echo(text), 'normal');
    switch (r.kind) {
      case 'quit':
        return this.quit();
      case 'parse-error': {
        // A caret beyond the screen's width would point at a wrapped line, not at the column.
        const at = PROMPT.length + r.error.column - 1;
        const pointer = at < this.layout.width ? ' '.repeat(at) + '^ ' : `column ${r.error.column}: `;
        this.#say(pointer + r.error.message, 'error');
        this.result = { input: text, headline: `column ${r.error.column}: ${r.error.message}`, tone: 'error', details: [] };
        return;
      }
      case 'refused':
        this.#say(r.message, 'error');
        this.result = { input: text, headline: printable(r.message), tone: 'error', details: [] };
        return;
      case 'page':
        this.page = { title: printable(r.title), lines: r.text.split('\n').map(printable) };
        this.pageScroll = 0;
        this.result = { input: text, headline: 'Esc returns to the VMA table', tone: 'dim', details: [] };
        return;
      case 'outcome':
        return this.#showOutcome(run);
    }
  }

  #showOutcome(run: LineRun): void {
    const o = (run.result as Extract<LineRun['result'], { kind: 'outcome' }>).outcome;
    this.page = null;
    if (o.kind === 'refused') {
      this.#say(o.message, 'error');
      this.result = { input: run.text, headline: printable(o.message), tone: 'error', details: [] };
      return;
    }
    const changes = changesBetween(run.before, run.after);
    if (run.before !== run.after) {
      this.changes = changes;
      this.before = run.before;
      const range = changedRange(changes);
      this.focus = range ? (range.start + range.end) / 2 : null;
      this.#scrollToChanges();
    }
    // One line for the result; what else it says (an export's notes, an import's) goes below it.
    const [headline = '', ...more] = outcomeText(o).split('\n');
    const notes = [...more, ...(o.kind === 'event' ? (o.notes ?? []) : [])];
    const failed = o.kind === 'event' && o.outcome.errno !== null;
    const tone: Tone = failed ? 'error' : 'ok';
    const lines = changeLines(run.before, run.after, changes);
    this.#say('  ' + headline, tone);
    for (const n of notes) this.#say('  ' + n, 'dim');
    for (const l of lines.slice(0, MAX_CHANGE_LINES)) this.#say('    ' + l, 'dim');
    if (lines.length > MAX_CHANGE_LINES) this.#say(`    … and ${lines.length - MAX_CHANGE_LINES} more`, 'dim');
    const trace = o.kind === 'event' ? traceLines(o.trace()) : [];
    const summary = hasChanges(changes) ? `  [${changes.added.size} new, ${changes.changed.size} changed, ${changes.removed.length} removed]` : '';
    this.result = { input: run.text, headline: headline + summary, tone, details: [...notes, ...trace] };
  }

  /** Bring the first highlighted row into view. */
  #scrollToChanges(): void {
    const entries = this.entries;
    const first = entries.findIndex((e) => e.mark !== ' ');
    const rows = this.layout.tableRows;
    if (first >= 0 && (first < this.tableScroll || first >= this.tableScroll + rows)) this.tableScroll = Math.max(0, first - 1);
    this.#clampScroll();
  }

  quit(): void {
    if (this.quitting) return;
    this.quitting = true;
    saveHistory(this.historyPath, this.history.entries);
    this.session.close();
    this.onChange();
    this.onQuit();
  }

  #say(text: string, tone: Tone): void {
    const t = this.#transcript;
    t.push({ id: this.#nextId++, text: printable(text), tone });
    if (t.length > 2 * this.#transcriptLimit) t.splice(0, t.length - this.#transcriptLimit);
  }
}

/** The line as the transcript repeats it: whole, unless it is too long to run. */
function echo(text: string): string {
  return !isTooLong(text) ? text : `${firstCharacters(text, ECHO_LIMIT)}… (${characterCount(text)} characters)`;
}

/** One character of a chunk as the key Ink would have reported had it come alone. */
function keyOfChar(ch: string): [string, KeyInfo] {
  const code = ch.charCodeAt(0);
  if (ch === '\r') return [ch, { return: true }];
  if (ch === '\n') return [ch, {}];
  if (ch === '\t') return ['', { tab: true }];
  if (ch === '\x7f' || ch === '\b') return ['', { backspace: true }];
  if (ch === '\x1b') return ['', { escape: true }];
  if (code < 0x20) return [String.fromCharCode(code + 96), { ctrl: true }];
  return [ch, {}];
}

/** A line cut at blanks to fit `width`; continuations indented two more than the line. */
export function wrapLine(line: string, width: number): string[] {
  if (line.length <= width || width < 20) return [line];
  const indent = ' '.repeat(Math.min(line.length - line.trimStart().length + 2, Math.floor(width / 2)));
  const out: string[] = [];
  let rest = line;
  let prefix = '';
  while ((prefix + rest).length > width) {
    const room = width - prefix.length;
    let cut = rest.lastIndexOf(' ', room);
    if (cut <= 0) cut = room;
    out.push(prefix + rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
    prefix = indent;
  }
  out.push(prefix + rest);
  return out;
}
