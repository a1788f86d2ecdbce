/**
 * Random state-changing commands for the soak test, built directly as
 * commands (no text, no parser): the soak measures the simulator, not the
 * language. Addresses stay in an arena of `pages` pages so that operations
 * keep meeting their neighbours, and most operations act on one or a few
 * pages so that the number of VMAs climbs towards max_map_count and stays
 * there. A seeded generator: one seed always gives the same run.
 */
import { ADVICES, type MmapFlags, type StateCommand } from '../../../commands/ast.js';

export const ARENA = 0x100000000000n;
const PAGE = 4096n;

/** mulberry32: small, fast and seedable. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NO_FLAGS: MmapFlags = { shared: false, fixed: false, noreplace: false, growsdown: false, locked: false, populate: false, noreserve: false };
/** Advice that changes flags (and so splits) far more often than not; the rest for coverage. */
const SPLITTING_ADVICE = ['dontfork', 'dofork', 'dontdump', 'dodump', 'hugepage', 'nohugepage', 'wipeonfork', 'keeponfork', 'random', 'sequential', 'normal'] as const;
const VMA_FLAGS = ['rd,wr,mr,mw', 'rd,mr,mw', 'rd,wr,mr,mw,ac', 'rd,ex,mr,mw,me', 'rd,wr,mr,mw,dc'];

export interface SoakOptions {
  /** Pages in the arena. */
  readonly pages: number;
  /** Most processes `fork` may make (forks beyond it are not generated). */
  readonly maxProcesses: number;
}

export interface OpSource {
  next(processes: number): StateCommand;
}

export function soakOps(seed: number, opts: SoakOptions): OpSource {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const page = () => BigInt(int(opts.pages));
  const addr = () => ARENA + page() * PAGE;
  /** Mostly one page, sometimes a few, rarely a long run or an odd length. */
  const len = (): bigint => {
    const k = r();
    if (k < 0.6) return PAGE;
    if (k < 0.9) return BigInt(1 + int(4)) * PAGE;
    if (k < 0.98) return BigInt(1 + int(64)) * PAGE;
    return BigInt(int(3 * 4096));
  };
  const prot = () => int(8);
  const files = ['f0', 'f1'];
  let declared = 0;

  return {
    next(processes: number): StateCommand {
      if (declared < files.length) return { kind: 'file', name: files[declared++]!, size: 64n * PAGE };
      const k = int(1000);
      if (k < 200) {
        const file = r() < 0.15 ? pick(files) : null;
        const shared = r() < 0.1;
        return {
          kind: 'mmap',
          addr: r() < 0.05 ? null : addr(),
          len: len(),
          prot: prot(),
          flags: { ...NO_FLAGS, shared, fixed: r() < 0.85, noreplace: r() < 0.03, populate: r() < 0.02, noreserve: r() < 0.05 },
          file,
          off: file ? BigInt(int(16)) * PAGE : 0n,
        };
      }
      if (k < 420) return { kind: 'mprotect', addr: addr(), len: len(), prot: prot() };
      if (k < 560) return { kind: 'madvise', addr: addr(), len: len(), advice: r() < 0.85 ? pick(SPLITTING_ADVICE) : pick(ADVICES.filter((a) => a !== 'guard_install' || r() < 0.2)) };
      if (k < 640) return { kind: 'munmap', addr: addr(), len: len() };
      if (k < 700) return { kind: 'mlock', addr: addr(), len: len(), onfault: r() < 0.5 };
      if (k < 740) return { kind: 'munlock', addr: addr(), len: len() };
      if (k < 800) return { kind: 'touch', addr: addr(), len: r() < 0.3 ? null : len(), write: r() < 0.7 };
      if (k < 840) {
        const a = addr();
        const oldLen = len();
        return { kind: 'mremap', addr: a, oldLen, newLen: r() < 0.5 ? oldLen : len(), maymove: r() < 0.6, dontunmap: r() < 0.1, newAddr: r() < 0.3 ? addr() : null };
      }
      if (k < 842) return { kind: 'mseal', addr: addr(), len: PAGE };
      if (k < 850) return { kind: 'name', addr: addr(), len: len(), name: r() < 0.5 ? null : pick(['a', 'b']) };
      if (k < 856) return processes < opts.maxProcesses ? { kind: 'fork' } : { kind: 'process', n: BigInt(int(processes)) };
      if (k < 880) return { kind: 'process', n: BigInt(int(processes + 1)) };
      if (k < 890) return { kind: 'config', option: 'soft_dirty', value: r() < 0.5 };
      // The internal VMA API: mostly refused (EINVAL, EEXIST) on a random state, which is a path too.
      const start = addr();
      const end = start + len() - (len() % PAGE);
      const flags = pick(VMA_FLAGS).split(',');
      const failPrealloc = r() < 0.05;
      switch (int(8)) {
        case 0: return { kind: 'vma-add', vma: { start, end, pgoff: start / PAGE, flags, file: null, av: r() < 0.3 ? pick(['x', 'y']) : null }, close: r() < 0.1 };
        case 1: return { kind: 'vma-merge-new', vma: { start, end, pgoff: start / PAGE, flags, file: null, av: null }, expandOnly: r() < 0.2, failPrealloc };
        case 2: return { kind: 'vma-modify', start, end, flags, failPrealloc };
        case 3: return { kind: 'vma-merge-existing', start, end, flags, failPrealloc };
        case 4: return { kind: 'vma-expand', start, end: end + PAGE, failPrealloc };
        case 5: return { kind: 'vma-shrink', start, end };
        case 6: return { kind: 'vma-split', addr: start };
        default: return { kind: 'vma-unmap', start, end };
      }
    },
  };
}
