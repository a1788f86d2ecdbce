/**
 * `export script`: the commands on the path from event 0 to the current
 * event, in order, as a scenario file. Running it (`vmasim run`) replays
 * them from an empty start to the same state: the simulator is
 * deterministic, and each event's text is its canonical command. An import
 * on the path becomes an `import` line naming the file it read (relative to
 * the script's folder, as the language wants), so the script needs that file.
 */
import { dirname, relative, resolve } from 'node:path';
import { hex } from '../kernel-sim/vma.js';
import { initialState, type SimState } from '../kernel-sim/state.js';
import { DEFAULT_WINDOW } from './sim-report.js';
import { fileDeclarations, fileReferences, historyPath, importOf } from './history-path.js';
import { describeImport } from './import-data.js';
import { stateToSnapshot } from './json-snapshot.js';
import { exported, refused, type Exporter } from './export-types.js';

/** Whether a state is the empty start a scenario begins from. */
export function isInitialState(s: SimState): boolean {
  return JSON.stringify(stateToSnapshot(s)) === JSON.stringify(stateToSnapshot(initialState()));
}

export const exportScript: Exporter = (engine, opts) => {
  const path = historyPath(engine);
  if (!isInitialState(path.start))
    return refused('this session did not start from an empty state (it began with an import), so no script can rebuild it: export json instead');
  const out: string[] = [
    `# vmasim script: the ${path.events.length} event${path.events.length === 1 ? '' : 's'} on the path from the start to event ${path.position}.`,
    '# Running it replays them to the state of that event.',
  ];
  const notes: string[] = [];
  const w = engine.window;
  if (w.start !== DEFAULT_WINDOW.start || w.end !== DEFAULT_WINDOW.end) out.push(`window ${hex(w.start)} ${hex(w.end)}`);
  const base = opts.path ? dirname(resolve(opts.path)) : null;
  const declaredAt = fileDeclarations(engine);
  const declared = new Set<string>();
  for (const e of path.events) {
    const imp = importOf(e);
    if (e.command.kind === 'file') declared.add(e.command.name);
    if (imp) for (const f of imp.data.kind === 'state' ? imp.data.snapshot.files : imp.data.files) if (f.kind === 'regular') declared.add(f.name);
    for (const name of fileReferences(e.command)) {
      const seq = declaredAt.get(name);
      if (declared.has(name) || seq === undefined) continue;
      // Declared by a `file` line off the path: declare it the same way, then step back, so the line still finds no file.
      out.push(`${engine.history.event(seq)!.text}  # event ${seq}, undone: event ${e.seq} names ${name} without it`, 'undo');
      declared.add(name);
    }
    if (imp) {
      const src = imp.data.source;
      if (src.kind !== 'file')
        return refused(`event ${e.seq} imported ${src.kind === 'pid' ? `process ${src.pid}'s ${src.path}` : src.name}, which a script cannot read again: export json instead`);
      const p = base ? relative(base, src.path) || '.' : src.path;
      if (/[\s#]/.test(p)) return refused(`event ${e.seq} imported ${src.path}, a path a scenario line cannot hold (blanks or '#'): export json instead`);
      out.push(`import ${imp.format} ${p}  # ${describeImport(imp.data)}`);
      notes.push(`the script reads ${src.path} again when it runs (event ${e.seq} imported it)`);
      continue;
    }
    out.push(e.result.reported ? `${e.text}  # ${e.summary}` : e.text);
  }
  return exported(`${out.join('\n')}\n`, notes);
};
