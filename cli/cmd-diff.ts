import { runScenario } from '../commands/run-scenario.js';
import { compareReports, type Difference } from '../live/compare.js';
import { runOnKernel } from '../live/kernel-runner.js';
import { liveErrorMessage, scenarioLines } from './cmd-kernel.js';

function sideBySide(d: Difference): string {
  const a = d.sim.split('\n');
  const b = d.kernel.split('\n');
  const width = Math.max(24, ...a.map((l) => l.length));
  const rows = [`${d.where}:`, `  ${'simulator'.padEnd(width)} | kernel`];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const l = a[i] ?? '';
    const r = b[i] ?? '';
    rows.push(`${l === r ? ' ' : '!'} ${l.padEnd(width)} | ${r}`);
  }
  return rows.join('\n');
}

/** `vmasim diff FILE`: exit 0 when simulator and kernel agree, 1 when they differ. */
export async function cmdDiff(path: string): Promise<number> {
  const s = scenarioLines(path);
  if ('error' in s) {
    process.stderr.write(`vmasim: ${s.error}\n`);
    return 2;
  }
  const sim = runScenario(s.text, s.name);
  if (!sim.ok) {
    process.stderr.write(`vmasim: ${sim.message}\n`);
    return 2;
  }
  let kernel;
  try {
    kernel = await runOnKernel(s.lines);
  } catch (e) {
    process.stderr.write(`vmasim: ${liveErrorMessage(e, s.name)}\n`);
    return 2;
  }
  const diffs = compareReports(sim.report, kernel, sim.engine.window);
  if (diffs.length === 0) {
    process.stdout.write(`${s.name}: simulator and kernel agree (${sim.report.results.length} results, ${sim.report.vmas.length} VMAs in the window)\n`);
    return 0;
  }
  process.stdout.write(diffs.map(sideBySide).join('\n\n') + `\n\n${s.name}: ${diffs.length} difference(s)\n`);
  return 1;
}
