/**
 * Time from launching `vmasim` in a pseudo-terminal to its first prompt on
 * the screen, in milliseconds: what `npm run bench` reports as start-up.
 * Usage: npx tsx test/e2e/first-prompt.ts [RUNS]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PtyScreen } from './pty-screen.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export async function firstPromptMs(args: readonly string[] = []): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'vmasim-bench-'));
  const t0 = performance.now();
  const s = new PtyScreen(process.execPath, [MAIN, ...args], { env: { HOME: home } });
  try {
    await s.waitFor('vmasim>', { timeout: 20_000 });
    return performance.now() - t0;
  } finally {
    s.write('\x04');
    await s.exited;
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const runs = Number(process.argv[2] ?? 10);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await firstPromptMs());
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  process.stdout.write(`first prompt: median ${median.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times[times.length - 1]!.toFixed(0)} ms over ${runs} runs\n`);
}
