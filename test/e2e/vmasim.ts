/** Launching the built `vmasim` for end-to-end tests, each in its own home and working folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PtyScreen } from './pty-screen.js';

export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface Launched {
  readonly screen: PtyScreen;
  /** Its HOME (where ~/.vmasim_history goes) and working folder. */
  readonly home: string;
}

const launched: Launched[] = [];

export function launch(args: readonly string[] = [], opts: { cols?: number; rows?: number; home?: string } = {}): Launched {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'vmasim-e2e-'));
  const screen = new PtyScreen(process.execPath, [MAIN, ...args], {
    cols: opts.cols ?? 80,
    rows: opts.rows ?? 24,
    cwd: home,
    env: { HOME: home, VMASIM_HISTORY: undefined },
  });
  const l = { screen, home };
  launched.push(l);
  return l;
}

/** For afterEach: stop whatever a test left running and remove its folders. */
export async function cleanUp(): Promise<void> {
  for (const l of launched.splice(0)) {
    l.screen.kill();
    await l.screen.exited;
    rmSync(l.home, { recursive: true, force: true });
  }
}

export const PROMPT = 'vmasim>';
