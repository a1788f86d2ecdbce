import { parseScenario } from '../commands/parse.js';
import { formatParseError } from '../commands/parse-error.js';
import { LiveHelperError, LiveRefusal, runOnKernel } from '../live/kernel-runner.js';
import { SmapsParseError } from '../live/smaps.js';
import { mapsTable } from '../snapshots/maps-format.js';
import { readScenario } from './read-input.js';
import { resultText } from '../snapshots/run-report.js';

/** Parse a scenario for the kernel runner; a message on failure. */
export function scenarioLines(path: string) {
  const input = readScenario(path);
  if ('error' in input) return { error: input.error };
  const parsed = parseScenario(input.text, input.name);
  if ('error' in parsed) return { error: formatParseError(parsed.error) };
  return { lines: parsed.lines, text: input.text, name: input.name };
}

/** Errors of the live runner as one line for the user; anything else is a bug and rethrown. */
export function liveErrorMessage(e: unknown, name: string): string {
  if (e instanceof LiveRefusal) return `${name}: ${e.message}`;
  if (e instanceof LiveHelperError) return e.message + (e.stderr.trim() ? ` (${e.stderr.trim().split('\n').pop()})` : '');
  if (e instanceof SmapsParseError) return `the kernel helper printed smaps that do not parse: ${e.message}`;
  throw e;
}

/** `vmasim kernel FILE [--json]`. */
export async function cmdKernel(path: string, flags: { json: boolean }): Promise<number> {
  const s = scenarioLines(path);
  if ('error' in s) {
    process.stderr.write(`vmasim: ${s.error}\n`);
    return 1;
  }
  try {
    const report = await runOnKernel(s.lines);
    if (flags.json) process.stdout.write(JSON.stringify(report) + '\n');
    else {
      const lines = report.results.map((r) => `${r.line}: ${r.command}  =>  ${resultText(r)}`);
      if (lines.length) lines.push('');
      lines.push(mapsTable(report.vmas) || '(no VMAs in the window)');
      process.stdout.write(lines.join('\n') + '\n');
    }
    return 0;
  } catch (e) {
    process.stderr.write(`vmasim: ${liveErrorMessage(e, s.name)}\n`);
    return 1;
  }
}
