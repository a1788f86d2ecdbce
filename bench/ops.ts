/**
 * The workload of `npm run bench`, as scenario lines: the same for the
 * simulator, for bench/kernel-bench.c and for the end-to-end scenario file.
 *
 * N VMAs of 4 pages each, from BASE up, alternately r-- (even) and rw- (odd),
 * so that no two neighbours merge. Each operation picks a VMA with xorshift32
 * (kernel-bench.c uses the same seed and steps) and changes its second page:
 *
 * - mprotect: to the other protection (a split in three), then back (a merge
 *   of the three into one);
 * - munmap: unmap the page (a split in two), then map it again MAP_FIXED with
 *   the VMA's protection (a merge of the three into one).
 *
 * Each pair leaves the address space as it found it.
 */

export const PAGE = 4096;
export const VMA_PAGES = 4;
/** The start of the report window (snapshots/sim-report.ts), so `vmasim run` reports every VMA. */
export const BASE = 0x100000000000;
export const SEED = 2463534242;

export type OpKind = 'mprotect' | 'munmap';
export const OP_KINDS: readonly OpKind[] = ['mprotect', 'munmap'];

const hex = (n: number): string => `0x${n.toString(16)}`;
const protOf = (i: number): string => (i % 2 ? 'rw-' : 'r--');
const otherProt = (i: number): string => (i % 2 ? 'r--' : 'rw-');

/** VMA indexes in [0, n): xorshift32 from SEED, as kernel-bench.c draws them. */
export function* vmaIndexes(n: number, count: number): Generator<number> {
  let x = SEED;
  for (let k = 0; k < count; k++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    yield x % n;
  }
}

/** The lines that build N VMAs. */
export function buildLines(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`mmap ${hex(BASE + i * VMA_PAGES * PAGE)} ${VMA_PAGES}p ${protOf(i)} fixed`);
  return out;
}

/** The two lines of one operation on VMA i. */
export function opLines(kind: OpKind, i: number): [string, string] {
  const page = hex(BASE + i * VMA_PAGES * PAGE + PAGE);
  return kind === 'mprotect'
    ? [`mprotect ${page} 1p ${otherProt(i)}`, `mprotect ${page} 1p ${protOf(i)}`]
    : [`munmap ${page} 1p`, `mmap ${page} 1p ${protOf(i)} fixed`];
}

/** `pairs` operations of one kind: 2 * pairs lines. */
export function opSequence(kind: OpKind, n: number, pairs: number): string[] {
  const out: string[] = [];
  for (const i of vmaIndexes(n, pairs)) out.push(...opLines(kind, i));
  return out;
}

/** What the simulator returns for a line of this workload (the journal's result field). */
export function expectedResult(line: string): string {
  return line.startsWith('mmap ') ? line.split(' ')[1]! : '0';
}

/** The end-to-end scenario: N fixed mmaps, then `mprotects` mprotect lines (split and merge back). */
export function e2eScenario(n: number, mprotects: number): string {
  const lines = [
    `# npm run bench: ${n} VMAs alternately r-- and rw-, then ${mprotects} mprotects splitting a page out and merging it back`,
    ...buildLines(n),
    ...opSequence('mprotect', n, Math.ceil(mprotects / 2)).slice(0, mprotects),
  ];
  return lines.join('\n') + '\n';
}
