/**
 * Writes docs/commands.md from the command registry (commands/help.ts), so
 * that the reference cannot drift from the parser. `node dist/cli/gen-docs.js`
 * writes it; `--check` only compares, and exits 1 when the file is stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandsMarkdown } from '../commands/help.js';

/** The package root: two levels up from dist/cli/, one from cli/ when run from source. */
function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith(join('dist', 'cli')) ? join(here, '..', '..') : join(here, '..');
}

export function docsPath(): string {
  return join(packageRoot(), 'docs', 'commands.md');
}

function main(argv: readonly string[]): number {
  const path = docsPath();
  const text = commandsMarkdown();
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      /* missing: stale */
    }
    if (current === text) return 0;
    process.stderr.write(`${path} is out of date: run node dist/cli/gen-docs.js\n`);
    return 1;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  process.stdout.write(`wrote ${path}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
