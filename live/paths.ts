/**
 * Where the live-kernel helper lives. Paths are resolved from the package root
 * (the folder that holds package.json), never from the working directory, so
 * the same code works from the sources (live/*.ts) and from dist/live/*.js.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | null = null;

/** The package root: the nearest folder at or above this module that holds package.json. */
export function packageRoot(): string {
  if (cachedRoot !== null) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      cachedRoot = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find package.json above ${dirname(fileURLToPath(import.meta.url))}`);
    dir = up;
  }
}

/** live/helper.c */
export function helperSourcePath(): string {
  return join(packageRoot(), 'live', 'helper.c');
}

/** live/bin/vmasim-helper (live/bin/ is not versioned). */
export function helperBinaryPath(): string {
  return join(packageRoot(), 'live', 'bin', 'vmasim-helper');
}
