/**
 * The end-to-end tests run the built CLI (dist/), as a user does. Build it
 * once before they start, when any source is newer than the REPL's bundle:
 * tsc, then the bundle. (Type errors do not stop the build here: tsc still
 * writes the JavaScript, and `npm run typecheck` is where they are reported.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = ['cli', 'commands', 'kernel-sim', 'snapshots', 'store', 'live', 'bench'];
const STAMP = join(ROOT, 'dist/cli/repl/bundle/repl-main.js');

function newestSource(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
  const newest = Math.max(...SOURCES.map((d) => newestSource(join(ROOT, d))), statSync(join(ROOT, 'tsconfig.json')).mtimeMs);
  if (built > newest) return;
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'pipe' });
  } catch (e) {
    process.stderr.write(`e2e setup: tsc reported errors (the JavaScript was written anyway):\n${String((e as { stdout?: Buffer }).stdout ?? e)}\n`);
  }
  execFileSync(process.execPath, [join(ROOT, 'dist/cli/repl/bundle.js')], { cwd: ROOT, stdio: 'pipe' });
}
