/**
 * A V8 CPU profile (.cpuprofile, as node --cpu-prof or the inspector's
 * Profiler writes it) summarised: the functions with the most self time, and
 * with the most total time (their callees included, each function counted
 * once per sample however deep it recurses).
 *
 *   node dist/bench/profile.js FILE.cpuprofile [TOP]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../live/paths.js';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface ProfileEntry {
  readonly name: string;
  readonly where: string;
  /** Milliseconds. */
  readonly self: number;
  readonly total: number;
}

function where(cf: CallFrame): string {
  if (!cf.url) return '';
  let file = cf.url;
  if (file.startsWith('file://')) {
    file = fileURLToPath(file);
    const rel = relative(packageRoot(), file);
    if (!rel.startsWith('..')) file = rel;
  }
  file = file.replace(/^dist\//, '').replace(/^node_modules\//, '');
  return `${file}:${cf.lineNumber + 1}`;
}

export function summarizeProfile(profile: CpuProfile): { readonly totalMs: number; readonly entries: ProfileEntry[] } {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}\u0000${where(n.callFrame)}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let totalUs = 0;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time from sample i - 1 to sample i: sample i's stack ran until sample i + 1.
    const dt = deltas[i + 1] ?? deltas[i] ?? 0;
    totalUs += dt;
    let node = byId.get(samples[i]!);
    if (!node) continue;
    const k = key(node);
    self.set(k, (self.get(k) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      node = byId.get(id)!;
      const kk = key(node);
      if (seen.has(kk)) continue;
      seen.add(kk);
      total.set(kk, (total.get(kk) ?? 0) + dt);
    }
  }
  const entries = [...total.keys()].map((k) => {
    const [name, at] = k.split('\u0000') as [string, string];
    return { name, where: at, self: (self.get(k) ?? 0) / 1000, total: total.get(k)! / 1000 };
  });
  return { totalMs: totalUs / 1000, entries };
}

/** The top functions by self time and by total time, as text. */
export function profileText(profile: CpuProfile, top = 20): string {
  const { totalMs, entries } = summarizeProfile(profile);
  const pct = (ms: number) => `${((100 * ms) / totalMs).toFixed(1).padStart(5)}%`;
  const skip = new Set(['(root)', '(program)', '(idle)']);
  const line = (e: ProfileEntry, ms: number) => `  ${pct(ms)}  ${e.name.padEnd(36)} ${e.where}`;
  const bySelf = [...entries].sort((a, b) => b.self - a.self).slice(0, top);
  const byTotal = [...entries].filter((e) => !skip.has(e.name) && e.name !== '(anonymous)').sort((a, b) => b.total - a.total).slice(0, top);
  return [
    `CPU profile: ${(totalMs / 1000).toFixed(2)} s sampled`,
    'self time (the function itself):',
    ...bySelf.map((e) => line(e, e.self)),
    'total time (with what it calls):',
    ...byTotal.map((e) => line(e, e.total)),
  ].join('\n');
}

interface HeapNode {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: readonly HeapNode[];
}

export interface HeapProfile {
  readonly head: HeapNode;
}

/** The sites that allocate the most bytes (a sampling heap profile with collected objects included), per event. */
export function heapProfileText(profile: HeapProfile, events: number, top = 15): string {
  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode) => {
    const k = `${(n.callFrame.functionName || '(anonymous)').padEnd(36)} ${where(n.callFrame)}`;
    bySite.set(k, (bySite.get(k) ?? 0) + n.selfSize);
    total += n.selfSize;
    for (const c of n.children) walk(c);
  };
  walk(profile.head);
  const rows = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `Allocated per event: ${(total / events).toFixed(0)} bytes (sampled over ${events} events, garbage included); by site:`,
    ...rows.map(([k, v]) => `  ${`${(v / events).toFixed(0)} B`.padStart(7)}  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node dist/bench/profile.js FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  process.stdout.write(profileText(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(top ?? 20)) + '\n');
}
