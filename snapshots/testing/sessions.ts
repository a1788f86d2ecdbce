/**
 * Sessions for the snapshot tests: a scenario run to its end, and an engine
 * whose reducer also carries out imports, as the wired engine does.
 */
import { execute, newEngine, type Engine } from '../../commands/engine.js';
import type { StateCommand } from '../../commands/ast.js';
import { newParseContext } from '../../commands/parse-context.js';
import { parseLine } from '../../commands/parse.js';
import { runScenario } from '../../commands/run-scenario.js';
import { step, type StepOutcome } from '../../kernel-sim/step.js';
import { initialState, type SimState } from '../../kernel-sim/state.js';
import { History } from '../../store/history.js';
import { importOutcome, isImportCommand, type ImportCommand, type ImportData } from '../import-data.js';
import { stateToSnapshot } from '../json-snapshot.js';
import { resultText } from '../run-report.js';

/** Run a scenario; its engine at the end. Throws on a scenario error. */
export function run(text: string, name = 'test.vma'): Engine {
  const r = runScenario(text, name);
  if (!r.ok) throw new Error(r.message);
  return r.engine;
}

/** A state as plain data, for deep comparison (the VMA index's inner layout left out). */
export function plain(state: SimState): unknown {
  return stateToSnapshot(state);
}

type Cmd = StateCommand | ImportCommand;

/**
 * An engine that also runs import events. `line` takes scenario lines (and
 * undo/redo/goto); `importData` appends an import event.
 */
export class ImportingSession {
  private readonly texts = new WeakMap<object, string>();
  private readonly ctx = newParseContext();
  engine: Engine;

  constructor(initial: SimState = initialState()) {
    const history = History.create<SimState, Cmd, StepOutcome>({
      reducer: {
        apply: (state, cmd) => {
          const o = isImportCommand(cmd) ? importOutcome(state, cmd) : step(state, cmd);
          return { state: o.state, result: o };
        },
      },
      initial,
      canonical: (cmd) => this.texts.get(cmd) ?? cmd.kind,
      summarize: resultText,
    });
    this.engine = { history: history as unknown as Engine['history'], window: newEngine().window };
  }

  line(text: string): this {
    const p = parseLine(text, this.ctx, { file: 'session', line: 1 });
    if (p.kind !== 'command') throw new Error(`not a command: ${text}`);
    if (p.cmd.kind === 'import' || p.cmd.kind === 'export') throw new Error('use importData()');
    this.texts.set(p.cmd, p.canonical);
    const out = execute(this.engine, p.cmd, p.canonical);
    if (out.kind === 'refused') throw new Error(out.message);
    this.engine = out.engine;
    return this;
  }

  importData(format: ImportCommand['format'], path: string, data: ImportData): this {
    const cmd: ImportCommand = { kind: 'import', format, path, data };
    this.texts.set(cmd, `import ${format} ${path}`);
    const { history } = (this.engine.history as unknown as History<SimState, Cmd, StepOutcome>).append(cmd);
    this.engine = { ...this.engine, history: history as unknown as Engine['history'] };
    const files = data.kind === 'address-space' ? data.files : data.snapshot.files;
    for (const f of files) if (f.kind === 'regular') this.ctx.files.add(f.name);
    return this;
  }
}
