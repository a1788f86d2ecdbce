/**
 * Tab at the prompt: the registry's completion (commands/complete.ts) with
 * what only the running REPL knows: the start addresses of the current
 * process's VMAs, and paths on disk for export and import.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamicKind } from '../../commands/arg-types.js';
import { complete, type CompletionProvider } from '../../commands/complete.js';
import type { ParseContext } from '../../commands/parse-context.js';
import type { SimState } from '../../kernel-sim/state.js';
import { hex } from '../../kernel-sim/vma.js';
import { replaceRange, type Line } from './line-editor.js';

const MAX_ADDRESSES = 2000;

export function completionProvider(state: SimState, cwd: string = process.cwd()): CompletionProvider {
  return (what: DynamicKind, prefix: string) => (what === 'address' ? addresses(state, prefix) : paths(prefix, cwd));
}

function addresses(state: SimState, prefix: string): string[] {
  const p = prefix.toLowerCase();
  const out: string[] = [];
  for (const v of state.processes[state.current]!.mm.vmas) {
    const a = hex(v.start);
    if (a.startsWith(p)) out.push(a);
    if (out.length >= MAX_ADDRESSES) break;
  }
  return out;
}

/** Entries of the prefix's folder that start with its last part; folders end in `/`. */
function paths(prefix: string, cwd: string): string[] {
  const slash = prefix.lastIndexOf('/');
  const dirPart = slash >= 0 ? prefix.slice(0, slash + 1) : '';
  const base = slash >= 0 ? prefix.slice(slash + 1) : prefix;
  const dir = dirPart === '' ? cwd : dirPart.startsWith('/') ? dirPart : join(cwd, dirPart);
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.name.startsWith(base) && (base.startsWith('.') || !d.name.startsWith('.')))
      .map((d) => dirPart + d.name + (d.isDirectory() ? '/' : ''))
      .sort();
  } catch {
    return [];
  }
}

export interface TabResult {
  readonly line: Line;
  /** Candidates to list when the line could not be completed further. */
  readonly candidates: readonly string[];
}

/** What Tab does: complete a single candidate, extend to the common prefix, or list them. */
export function tabComplete(line: Line, ctx: ParseContext, provider: CompletionProvider): TabResult {
  const c = complete(line.text, line.cursor, ctx, provider);
  if (c.candidates.length === 0) return { line, candidates: [] };
  const typed = line.text.slice(c.start, c.end);
  if (c.candidates.length === 1) {
    const only = c.candidates[0]!;
    const open = /[=,/]$/.test(only);
    const after = line.text.slice(c.end);
    const space = open || after.startsWith(' ') ? '' : ' ';
    return { line: replaceRange(line, c.start, c.end, only + space), candidates: [] };
  }
  const common = commonPrefix(c.candidates);
  if (common.length > typed.length) return { line: replaceRange(line, c.start, c.end, common), candidates: [] };
  return { line, candidates: c.candidates };
}

/** Keywords match whatever their case: the common prefix compares without it and keeps the candidates' spelling. */
function commonPrefix(words: readonly string[]): string {
  let p = words[0]!;
  for (const w of words) {
    let i = 0;
    while (i < p.length && i < w.length && p[i]!.toLowerCase() === w[i]!.toLowerCase()) i++;
    p = p.slice(0, i);
  }
  return p;
}

