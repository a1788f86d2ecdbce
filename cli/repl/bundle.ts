/**
 * Bundles the REPL (dist/cli/repl/repl-main.js) with everything it imports,
 * the project's modules and its libraries, into dist/cli/repl/bundle/, which
 * start.ts loads when it exists. Node resolving and reading a few hundred
 * modules one by one costs more than the REPL's whole start-up budget.
 *
 * The bundle is split where repl-main imports lazily: the terminal UI (with
 * Ink and React) and the plain line mode are chunks of their own, so a pipe
 * never loads Ink. React runs in its production build, and Ink's optional
 * devtools connection, never used here, is left out.
 *
 * Run after tsc: `node dist/cli/repl/bundle.js`. Without esbuild (an install
 * without devDependencies) it says so, and the REPL loads its modules
 * unbundled (slower to start, the same otherwise).
 */
import { existsSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, 'repl-main.js');
const outdir = join(here, 'bundle');

async function main(): Promise<number> {
  if (!existsSync(entry)) {
    process.stderr.write(`vmasim: ${entry} is missing: run tsc first\n`);
    return 1;
  }
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    rmSync(outdir, { recursive: true, force: true });
    process.stdout.write('vmasim: esbuild is not installed: the REPL loads its UI unbundled (slower to start)\n');
    return 0;
  }
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [entry],
    outdir,
    bundle: true,
    splitting: true,
    chunkNames: '[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    // Some of Ink's dependencies are CommonJS and call require().
    banner: { js: "import { createRequire as __vmasimCreateRequire } from 'node:module'; const require = __vmasimCreateRequire(import.meta.url);" },
    plugins: [
      {
        name: 'vmasim-externals',
        setup(build) {
          // Ink imports react-devtools-core only when DEV is set; it is not installed.
          build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'vmasim-empty' }));
          build.onLoad({ filter: /.*/, namespace: 'vmasim-empty' }, () => ({ contents: 'export default {}', loader: 'js' }));
          // Ink's string-width goes through narrow-string-width.ts, which answers for the REPL's own symbols
          // without starting string-width's emoji and grapheme machinery. Packages that bring another
          // version of string-width keep theirs.
          const narrow = join(here, 'narrow-string-width.js');
          let realStringWidth: string | undefined;
          build.onResolve({ filter: /^string-width$/ }, async (args) => {
            if (args.importer === narrow || args.pluginData === 'real') return undefined;
            realStringWidth ??= (await build.resolve('string-width', { resolveDir: here, kind: 'import-statement', pluginData: 'real' })).path;
            const wanted = await build.resolve('string-width', { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'real' });
            return wanted.path === realStringWidth ? { path: narrow } : undefined;
          });
          // Yoga's loader fetches its embedded wasm from a data: URL when fetch exists, and
          // loading Node's fetch costs more than decoding the base64 itself: hide fetch from it.
          build.onLoad({ filter: /yoga-wasm-base64-esm\.js$/ }, async (args) => ({
            contents: 'const fetch = undefined;\n' + (await readFile(args.path, 'utf8')),
            loader: 'js',
          }));
        },
      },
    ],
  });
  process.stdout.write(`vmasim: bundled the REPL into ${relative(process.cwd(), outdir)}/\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`vmasim: bundling the REPL failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
