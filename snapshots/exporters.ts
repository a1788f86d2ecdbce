/**
 * `export KIND PATH`: one exporter per KIND. Adding a format is adding a file
 * with an Exporter and a line here.
 */
import type { ExportKind } from '../commands/ast.js';
import type { Engine } from '../commands/engine.js';
import { exportJson } from './export-json.js';
import { exportKernelC } from './export-kernel-c.js';
import { exportMaps, exportSmaps } from './export-maps.js';
import { exportScript } from './export-script.js';
import { exportSelftest } from './export-selftest.js';
import type { ExportOptions, ExportResult, Exporter } from './export-types.js';
import { exportVitest } from './export-vitest.js';

export type { ExportOptions, ExportResult } from './export-types.js';

export const EXPORTERS: Readonly<Record<ExportKind, Exporter>> = {
  json: exportJson,
  script: exportScript,
  maps: exportMaps,
  smaps: exportSmaps,
  vitest: exportVitest,
  'kernel-c': exportKernelC,
  selftest: exportSelftest,
};

/** The text `export KIND PATH` writes (nothing is written here: see writeExport). */
export function exportSnapshot(kind: ExportKind, engine: Engine, opts: ExportOptions = {}): ExportResult {
  return EXPORTERS[kind](engine, opts);
}
