/**
 * Figures for the event store (store/): appends, goto across a million
 * events, undo/redo, listings, VMA diffs, and the journal on disk.
 * Prints; asserts nothing. Run after building: node dist/bench/store-bench.js
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VM_MAYREAD, VM_MAYWRITE, VM_READ, VM_WRITE } from '../kernel-sim/flags.js';
import { PAGE_SIZE, type Vma } from '../kernel-sim/vma.js';
import { commitAppend } from '../store/commit.js';
import { produce } from '../store/immer.js';
import { PVec } from '../store/pvec.js';
import { diffVmas } from '../store/diff.js';
import { History, type HistoryOptions } from '../store/history.js';
import { encodeRecord } from '../store/journal-format.js';
import { JournalWriter } from '../store/journal.js';
import { resumeHistory } from '../store/resume.js';

const N = 1_000_000;

type Adder = History<number, number, number>;

const adderOptions: HistoryOptions<number, number, number> = {
  reducer: { apply: (s, c) => ({ state: s + c, result: s + c }) },
  initial: 0,
  canonical: (c) => `add ${c}`,
  summarize: String,
};

function adder(): Adder {
  return History.create(adderOptions);
}

function time<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

function row(label: string, value: string): void {
  console.log(`${label.padEnd(52)} ${value}`);
}

const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
const msf = (ms: number) => `${ms.toFixed(2)} ms`;

function gotoFigures(h: Adder, label: string): void {
  let worst = 0;
  let total = 0;
  const k = 2000;
  let x = h;
  for (let i = 0; i < k; i++) {
    const seq = Math.floor(Math.random() * h.size);
    const { value: r, ms } = time(() => x.goto(seq));
    if (!r.ok) throw new Error(r.error.message);
    x = r.history;
    total += ms;
    worst = Math.max(worst, ms);
  }
  row(`${label}: goto to random events (${k})`, `mean ${us(total / k)}, worst ${msf(worst)}`);
  const far = time(() => {
    const a = x.goto(1);
    if (!a.ok) throw new Error('goto 1');
    const b = a.history.goto(h.newest);
    if (!b.ok) throw new Error('goto newest');
    return b.history;
  });
  row(`${label}: goto 1 then goto ${h.newest}`, msf(far.ms));
}

function linear(): Adder {
  const heap0 = process.memoryUsage().heapUsed;
  const { value: h, ms } = time(() => {
    let h = adder();
    for (let i = 0; i < N; i++) h = h.append(1).history;
    return h;
  });
  row(`${N} appends, one branch`, `${msf(ms)} (${us(ms / N)} each)`);
  row('heap growth per event (garbage included)', `${((process.memoryUsage().heapUsed - heap0) / N).toFixed(0)} bytes`);
  gotoFigures(h, 'one branch');
  const undo = time(() => h.undo(1000).history);
  const redo = time(() => undo.value.redo(1000).history);
  row('undo 1000, then redo 1000', `${msf(undo.ms)}, ${msf(redo.ms)}`);
  const whole = time(() => h.undo(Infinity).history.redo(Infinity).history);
  row(`undo to event 0, redo ${N} steps back`, msf(whole.ms));
  row('list of 50 events at the end', msf(time(() => h.list({ from: N - 50 })).ms));
  row('branches()', msf(time(() => h.branches()).ms));
  return h;
}

function branchy(): void {
  // Every 50 events, go back 20 and start a new branch: about 20,000 branches.
  const { value: h, ms } = time(() => {
    let h = adder();
    for (let i = 0; i < N; i++) {
      if (i % 50 === 49) h = h.undo(20).history;
      h = h.append(1).history;
    }
    return h;
  });
  row(`${N} appends, a branch every 50`, `${msf(ms)} (${us(ms / N)} each)`);
  gotoFigures(h, 'many branches');
  row('branches() with many branches', msf(time(() => h.branches()).ms));
}

function zigzag(): void {
  // The worst case for redo's memory: every event starts a branch (depth N/2).
  let h = adder();
  for (let i = 0; i < N / 2; i++) {
    h = h.append(1).history;
    h = h.undo(1).history.append(2).history;
  }
  gotoFigures(h, 'every event a branch');
}

function vmas(n: number): Vma[] {
  const out: Vma[] = [];
  for (let i = 0; i < n; i++) {
    const start = (0x100000 + i * 3) * PAGE_SIZE;
    out.push({
      start,
      end: start + 2 * PAGE_SIZE,
      pgoff: start / PAGE_SIZE,
      flags: VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE,
      file: null,
      anonVma: null,
      anonVmaChain: [],
      anonName: null,
      hasClose: false,
    });
  }
  return out;
}

/** The best of a few runs, so that the first run's compilation does not count. */
function best(f: () => unknown, runs = 20): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, time(f).ms);
  return min;
}

function diffs(): void {
  const a = vmas(60_000);
  const b = a.slice();
  for (let i = 0; i < 100; i++) b[i * 600] = { ...b[i * 600]!, flags: VM_READ | VM_MAYREAD };
  row('diff of 60,000 VMAs sharing all but 100', msf(best(() => diffVmas(a, b))));
  const c = vmas(60_000);
  row('diff of 60,000 equal VMAs, none shared', msf(best(() => diffVmas(a, c))));
  const d = a.filter((_, i) => i % 3 !== 0);
  row('diff of 60,000 VMAs against 40,000 of them', msf(best(() => diffVmas(a, d))));
}

async function journal(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmasim-bench-'));
  try {
    const file = path.join(dir, 'j.jsonl');
    let h = adder();
    const w = JournalWriter.create(file, { startTime: h.event(0)!.time });
    const k = 2000;
    const { ms } = time(() => {
      for (let i = 0; i < k; i++) {
        const r = commitAppend(h, w, 1);
        if (!r.ok) throw new Error(r.error.message);
        h = r.history;
      }
    });
    w.close();
    row(`journalled appends, fsync each (${k}, ${os.tmpdir()})`, `${us(ms / k)} each`);

    // A long journal without fsync per line (written in one go), then resumed.
    const big = path.join(dir, 'big.jsonl');
    let hh = adder();
    const header = fs.readFileSync(file, 'utf8').split('\n')[0]!;
    const parts: Buffer[] = [Buffer.from(header + '\n')];
    for (let i = 0; i < 200_000; i++) {
      const a = hh.append(1);
      hh = a.history;
      parts.push(encodeRecord({ kind: 'event', seq: a.event.seq, parent: a.event.parent!, command: a.event.text, result: a.event.summary, time: a.event.time }));
    }
    fs.writeFileSync(big, Buffer.concat(parts));
    const t = performance.now();
    const { report } = await resumeHistory(big, {
      history: adderOptions,
      parse: (text) => ({ ok: true, command: Number(text.slice(4)) }),
    });
    row(`resume of ${report.events} events (check, parse, re-run)`, `${msf(performance.now() - t)} (${report.status})`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Why History.append builds its bookkeeping record directly while moves use
 * Immer: the same update of a record like the history's, both ways.
 */
function bookkeeping(): void {
  type Book = { current: number; events: PVec<number>; newestChild: PVec<number>; departures: PVec<number>; redoScan: null; trail: number };
  const n = 200_000;
  const run = (update: (b: Book, seq: number) => Book): number => {
    let b: Book = { current: 0, events: PVec.empty<number>().push(0), newestChild: PVec.empty<number>().push(-1), departures: PVec.empty<number>(), redoScan: null, trail: 0 };
    const t = performance.now();
    for (let seq = 1; seq <= n; seq++) b = update(b, seq);
    return (performance.now() - t) / n;
  };
  const direct = (b: Book, seq: number): Book => ({
    current: seq,
    events: b.events.push(seq),
    newestChild: b.newestChild.set(b.current, seq).push(-1),
    departures: b.departures,
    redoScan: null,
    trail: seq,
  });
  const drafted = (b: Book, seq: number): Book =>
    produce(b, (d) => {
      d.events = b.events.push(seq);
      d.newestChild = b.newestChild.set(b.current, seq).push(-1);
      d.current = seq;
      d.trail = seq;
    });
  for (let round = 0; round < 2; round++) {
    const a = run(direct);
    const p = run(drafted);
    if (round === 1) row('bookkeeping per append: built directly / with produce', `${us(a)} / ${us(p)}`);
  }
}

async function main(): Promise<void> {
  bookkeeping();
  linear();
  branchy();
  zigzag();
  diffs();
  await journal();
}

await main();
