import { runScenario } from '../commands/run-scenario.js';
import { mapsTable } from '../snapshots/maps-format.js';
import { readScenario } from './read-input.js';
import { resultText } from '../snapshots/run-report.js';

export interface RunFlags {
  readonly json: boolean;
  readonly check: boolean;
  readonly explain: boolean;
}

/** `vmasim run FILE [--json] [--check] [--explain]`. Returns the exit code. */
export function cmdRun(path: string, flags: RunFlags): number {
  const input = readScenario(path);
  if ('error' in input) {
    process.stderr.write(`vmasim: ${input.error}\n`);
    return 2;
  }
  const out = runScenario(input.text, input.name, { check: flags.check, explain: flags.explain });
  if (!out.ok) {
    process.stderr.write(`vmasim: ${out.message}\n`);
    return 1;
  }
  if (flags.json) {
    process.stdout.write(JSON.stringify(out.report) + '\n');
    return 0;
  }
  const lines: string[] = [];
  for (const rec of out.lines) {
    if (rec.result) {
      const r = rec.result;
      lines.push(`${rec.line}: ${rec.command}  =>  ${resultText(r)}`);
    }
    if (flags.explain) for (const t of rec.trace) lines.push(`      ${t.text}${t.reasons ? `: ${t.reasons.join('; ')}` : ''}`);
  }
  if (lines.length) lines.push('');
  const table = mapsTable(out.report.vmas);
  lines.push(table || '(no VMAs in the window)');
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
