/**
 * Builds the live-kernel helper (live/helper.c) into live/bin/vmasim-helper with
 * the machine's C compiler (`cc`, else `gcc`). `npm run build` runs this file as
 * `node dist/live/build-helper.js`. Without a compiler (or off Linux) it prints one
 * line and exits 0: the simulator works without the helper, only `vmasim kernel`
 * and `vmasim diff` need it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helperBinaryPath, helperSourcePath, packageRoot } from './paths.js';

export const DEFAULT_COMPILERS: readonly string[] = ['cc', 'gcc'];

/** Flags the helper is compiled with; -z now binds every symbol at start-up. */
export const HELPER_CFLAGS: readonly string[] = ['-std=gnu11', '-O2', '-Wall', '-Wextra', '-Wl,-z,now'];

export interface BuildOptions {
  /** Compilers to try, in order (default `cc`, then `gcc`). */
  readonly compilers?: readonly string[];
  readonly source?: string;
  readonly output?: string;
}

export type BuildOutcome =
  | { readonly status: 'built'; readonly binary: string; readonly compiler: string }
  | { readonly status: 'skipped'; readonly reason: string };

/** The compiler was found but the helper did not compile. */
export class HelperBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HelperBuildError';
  }
}

/** The first of `candidates` that runs (`NAME --version` succeeds), or null. */
export function findCompiler(candidates: readonly string[] = DEFAULT_COMPILERS): string | null {
  for (const cc of candidates) {
    const r = spawnSync(cc, ['--version'], { stdio: 'ignore' });
    if (!r.error && r.status === 0) return cc;
  }
  return null;
}

/** Compiles the helper. Returns `skipped` when it cannot be built here; throws HelperBuildError on a compile error. */
export function buildHelper(opts: BuildOptions = {}): BuildOutcome {
  const source = opts.source ?? helperSourcePath();
  const output = opts.output ?? helperBinaryPath();
  if (process.platform !== 'linux') {
    return { status: 'skipped', reason: `the live-kernel helper runs only on Linux (this is ${process.platform})` };
  }
  if (!existsSync(source)) throw new HelperBuildError(`the helper source ${source} is missing`);
  const compilers = opts.compilers ?? DEFAULT_COMPILERS;
  const cc = findCompiler(compilers);
  if (cc === null) {
    return { status: 'skipped', reason: `no C compiler found (tried ${compilers.join(', ') || 'none'})` };
  }
  mkdirSync(dirname(output), { recursive: true });
  // Compile to a private name and rename, so that concurrent builds never expose a partial binary.
  const tmp = `${output}.${process.pid}.${Date.now()}.tmp`;
  const r = spawnSync(cc, [...HELPER_CFLAGS, '-o', tmp, source], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    rmSync(tmp, { force: true });
    const why = r.error ? r.error.message : `${r.stderr ?? ''}${r.stdout ?? ''}`.trim();
    throw new HelperBuildError(`${cc} could not compile ${source}:\n${why}`);
  }
  chmodSync(tmp, 0o755);
  renameSync(tmp, output);
  return { status: 'built', binary: output, compiler: cc };
}

/** Whether the helper binary exists and is not older than its source. */
export function helperIsCurrent(binary: string = helperBinaryPath(), source: string = helperSourcePath()): boolean {
  if (!existsSync(binary)) return false;
  if (!existsSync(source)) return true;
  return statSync(binary).mtimeMs >= statSync(source).mtimeMs;
}

/** Builds the helper if it is missing or stale, and returns its path; throws if it cannot be built. */
export function ensureHelper(opts: BuildOptions = {}): string {
  const output = opts.output ?? helperBinaryPath();
  if (helperIsCurrent(output, opts.source ?? helperSourcePath())) return output;
  const outcome = buildHelper(opts);
  if (outcome.status === 'skipped') throw new HelperBuildError(`cannot build the live-kernel helper: ${outcome.reason}`);
  return outcome.binary;
}

function main(): number {
  const shown = (p: string) => relative(packageRoot(), p) || p;
  try {
    const outcome = buildHelper();
    if (outcome.status === 'built') {
      console.log(`vmasim: built the live-kernel helper ${shown(outcome.binary)} with ${outcome.compiler}`);
    } else {
      console.log(
        `vmasim: live-kernel helper not built: ${outcome.reason}; the simulator works, but \`vmasim kernel\` and \`vmasim diff\` need it (install cc or gcc, then run \`npm run build\`)`,
      );
    }
    return 0;
  } catch (e) {
    console.error(`vmasim: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) process.exitCode = main();
