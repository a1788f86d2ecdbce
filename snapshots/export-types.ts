/** What every export format takes and gives (exporters.ts holds the registry). */
import type { Engine } from '../commands/engine.js';

export interface ExportOptions {
  /**
   * Where the text will be written. `vitest` computes its imports from it,
   * `kernel-c` and `selftest` name their test after it, `script` writes
   * imported files' paths as they are seen from it.
   */
  readonly path?: string;
  /** `json`: include the commands on the path from event 0 (default true). */
  readonly history?: boolean;
}

/** The text to write, with notes for the user; or why this history cannot be exported as that kind. */
export type ExportResult =
  | { readonly ok: true; readonly text: string; readonly notes: readonly string[] }
  | { readonly ok: false; readonly error: string };

export type Exporter = (engine: Engine, opts: ExportOptions) => ExportResult;

export function exported(text: string, notes: readonly string[] = []): ExportResult {
  return { ok: true, text, notes };
}

export function refused(error: string): ExportResult {
  return { ok: false, error };
}
