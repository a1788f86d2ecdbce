/**
 * bench/kernel-bench.c: compiled on demand with the machine's C compiler
 * into bench/bin/ (not versioned), and run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureHelper, HelperBuildError } from '../live/build-helper.js';
import { packageRoot } from '../live/paths.js';

export interface KernelRound {
  readonly n: number;
  readonly pairs: number;
  /** Nanoseconds per system call, the mean over 2 * pairs calls. */
  readonly mprotectNs: number;
  readonly munmapNs: number;
  readonly buildMs: number;
  readonly vmasBefore: number;
  readonly vmasAfterBuild: number;
  readonly vmasAfterOps: number;
}

export function kernelBenchSource(): string {
  return join(packageRoot(), 'bench', 'kernel-bench.c');
}

export function kernelBenchBinary(): string {
  return join(packageRoot(), 'bench', 'bin', 'kernel-bench');
}

/** The binary, built if missing or older than its source; or why there is none. */
export function ensureKernelBench(): { readonly binary: string } | { readonly error: string } {
  if (process.platform !== 'linux') return { error: `the kernel figures need Linux (this is ${process.platform})` };
  try {
    return { binary: ensureHelper({ source: kernelBenchSource(), output: kernelBenchBinary() }) };
  } catch (e) {
    if (e instanceof HelperBuildError) return { error: e.message };
    throw e;
  }
}

/**
 * Run the native bench: `rounds` rounds of `pairs` operations of each kind at
 * N VMAs. Null when N VMAs do not fit under this machine's vm.max_map_count.
 */
export function runKernelBench(binary: string, n: number, pairs: number, rounds = 1): KernelRound[] | null {
  const r = spawnSync(binary, [String(n), String(pairs), String(rounds)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.error) throw r.error;
  if (r.status === 3) {
    process.stderr.write(`  … ${r.stderr.trim()}\n`);
    return null;
  }
  if (r.status !== 0) throw new Error(`kernel-bench ${n} ${pairs} ${rounds} failed (${r.status}): ${r.stderr.trim()}`);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as KernelRound);
  for (const k of out) {
    // The reservation's two guard pages, and the N VMAs, none merged.
    if (k.vmasAfterBuild !== k.vmasBefore + n + 2 || k.vmasAfterOps !== k.vmasAfterBuild)
      throw new Error(`kernel-bench ${n}: expected ${k.vmasBefore + n + 2} VMAs, found ${k.vmasAfterBuild} after the build and ${k.vmasAfterOps} after the operations`);
  }
  return out;
}
