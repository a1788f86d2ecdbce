/**
 * The lines typed at the prompt, kept across runs in ~/.vmasim_history (or
 * $VMASIM_HISTORY; an empty value keeps nothing), oldest first, at most
 * MAX_ENTRIES. A line longer than the language allows is not kept: it
 * cannot run, and the file would grow by all of it. The file is rewritten whole through a temporary file and a
 * rename, so a crash leaves the old file or the new one, never half of one.
 */
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { isTooLong } from '../../commands/lexer.js';

export const MAX_ENTRIES = 1000;

export function historyFilePath(env: NodeJS.ProcessEnv = process.env): string | null {
  const set = env['VMASIM_HISTORY'];
  if (set !== undefined) return set.trim() === '' ? null : set;
  return join(homedir(), '.vmasim_history');
}

export function loadHistory(path: string | null): string[] {
  if (path === null) return [];
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !isTooLong(l))
      .slice(-MAX_ENTRIES);
  } catch {
    return [];
  }
}

/** Best effort: a history that cannot be written must not stop the REPL. */
export function saveHistory(path: string | null, entries: readonly string[]): void {
  if (path === null) return;
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, entries.slice(-MAX_ENTRIES).join('\n') + (entries.length ? '\n' : ''), { mode: 0o600 });
    renameSync(tmp, path);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      /* nothing was written */
    }
  }
}

/** Up and Down through the entries, keeping what was being typed as the newest. */
export class InputHistory {
  #entries: string[];
  /** entries.length: the line being typed; else an index into entries. */
  #at: number;
  #draft = '';

  constructor(entries: readonly string[] = []) {
    this.#entries = [...entries];
    this.#at = this.#entries.length;
  }

  get entries(): readonly string[] {
    return this.#entries;
  }

  /** Record a line that ran (not a repeat of the previous one), and start over at the newest. */
  add(line: string): void {
    const text = line.trim();
    if (text !== '' && !isTooLong(text) && this.#entries[this.#entries.length - 1] !== text) {
      this.#entries.push(text);
      if (this.#entries.length > MAX_ENTRIES) this.#entries.splice(0, this.#entries.length - MAX_ENTRIES);
    }
    this.reset();
  }

  reset(): void {
    this.#at = this.#entries.length;
    this.#draft = '';
  }

  /** The older entry, or null at the oldest. `current` is the text being edited. */
  previous(current: string): string | null {
    if (this.#at === 0) return null;
    if (this.#at === this.#entries.length) this.#draft = current;
    this.#at--;
    return this.#entries[this.#at]!;
  }

  /** The newer entry, the draft past the newest, or null when already there. */
  next(): string | null {
    if (this.#at >= this.#entries.length) return null;
    this.#at++;
    return this.#at === this.#entries.length ? this.#draft : this.#entries[this.#at]!;
  }
}
