/**
 * Random scenarios for `vmasim fuzz`, in the command language
 * (scenario-language.md), one command a line.
 *
 * Everything is drawn from a small seeded PRNG, so a seed always gives the
 * same scenario. Addresses stay in a small arena at the start of the default
 * window (64 pages; 6 MiB in one scenario of ten, for huge-page blocks), so
 * that operations keep meeting their neighbours: merges, splits,
 * anon_vma sharing, contiguous and broken file offsets, and the error paths
 * (unaligned addresses, zero and huge lengths, holes, unmapped space).
 *
 * What is never generated: `config max_map_count`/`mmap_base` and `vma` lines
 * (the kernel runner refuses them), and ranges that could reach the helper's
 * own mappings outside the window (a huge length is either one the kernel
 * rejects before acting, or one that ends at the end of the window).
 */
import { ADVICES, type Advice } from '../commands/ast.js';

export const PAGE = 4096;
/** The arena: the first pages of the default window. */
export const ARENA_BASE = 0x100000000000n;
export const ARENA_PAGES = 64;
/** The end of the default window. */
export const WINDOW_END = 0x200000000000n;
/** Pages in a 2 MiB transparent huge page. */
const HUGE_PAGES = 512;

/** A 32-bit seeded PRNG (mulberry32), with the seed mixed first so that neighbouring seeds diverge. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 2 ** 32) >>> 0;
    this.state = fmix32(lo ^ fmix32(hi + 0x9e3779b9));
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [v, w] of entries) {
      x -= w;
      if (x < 0) return v;
    }
    return entries[entries.length - 1]![0];
  }
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface GenerateOptions {
  /** Operation lines (everything but the `file` lines). */
  readonly ops: number;
  /** Also generate `fork` and `process N` lines. */
  readonly forks?: boolean;
  /** Declare files and map them (default true). Without files the kernel helper needs no temporary folder. */
  readonly files?: boolean;
}

export interface GeneratedScenario {
  readonly seed: number;
  /** Lines, without newlines: the `file` declarations, then `ops` operation lines. */
  readonly lines: readonly string[];
  readonly text: string;
}

interface FileDecl {
  readonly name: string;
  /** Size in pages, rounded up. */
  readonly pages: number;
  /** The arena page that maps file offset 0 in "contiguous" mappings (may be negative). */
  readonly anchor: number;
}

/** Lengths that the kernel rejects before it looks at any VMA (they wrap or pass TASK_SIZE). */
const REJECTED_HUGE: readonly bigint[] = [0xfffffffffffff000n, 0xffffffffffffffffn, 0xffffffffffff0000n];
/** Lengths past TASK_SIZE from anywhere in the arena (EINVAL/ENOMEM for mmap, munmap, mremap). */
const PAST_TASK_SIZE: readonly bigint[] = [0x800000000000n, 1n << 63n];

const FLAG_ADVICES: readonly Advice[] = [
  'dontfork', 'dofork', 'dontdump', 'dodump', 'hugepage', 'nohugepage', 'wipeonfork', 'keeponfork',
  'mergeable', 'unmergeable', 'normal', 'random', 'sequential', 'guard_install', 'guard_remove',
];
const ADVICE_WEIGHTS: readonly (readonly [Advice, number])[] = ADVICES.map((a) => [a, FLAG_ADVICES.includes(a) ? 3 : 1] as const);
/** In wide scenarios, more of the advices that matter to huge pages. */
const WIDE_ADVICE_WEIGHTS: readonly (readonly [Advice, number])[] = ADVICE_WEIGHTS.map(([a, w]) => [a, a === 'hugepage' ? 12 : a === 'nohugepage' || a.startsWith('populate') ? 4 : w] as const);

const PROTS = ['---', 'r--', '-w-', 'rw-', '--x', 'r-x', '-wx', 'rwx'] as const;
const PROT_WEIGHTS: readonly (readonly [string, number])[] = PROTS.map((p) => [p, p === 'rw-' ? 6 : p === 'r--' ? 4 : p === '---' ? 2 : 1] as const);

type Op = 'mmap' | 'munmap' | 'mprotect' | 'madvise' | 'mlock' | 'munlock' | 'mremap' | 'mseal' | 'touch' | 'name' | 'fork' | 'process';

const hex = (v: bigint): string => `0x${v.toString(16)}`;

class Generator {
  private readonly rng: Rng;
  private readonly files: FileDecl[] = [];
  /**
   * Pages in the arena. One scenario in ten is "wide": 6 MiB, with mappings of
   * 2 MiB and more at 2 MiB boundaries, where THP rules apply (a read fault in
   * a `hugepage` block, 2 MiB alignment).
   */
  private readonly arena: number;
  private readonly wide: boolean;
  /** Pages of the arena (and a little past it) that are probably mapped; a guide only. */
  private readonly mapped: boolean[];
  /** Page numbers where ranges started or ended: where neighbours meet. */
  private readonly edges: number[];
  /** First pages of growsdown mappings, for touches just below them. */
  private readonly growsdown: number[] = [];
  private processes = 1;

  constructor(
    seed: number,
    private readonly opts: GenerateOptions,
  ) {
    this.rng = new Rng(seed);
    this.wide = this.rng.chance(0.1);
    this.arena = this.wide ? 3 * HUGE_PAGES : ARENA_PAGES;
    this.mapped = new Array<boolean>(this.arena + 32).fill(false);
    this.edges = [0, this.arena];
  }

  generate(): string[] {
    const out: string[] = [];
    const drawn = this.rng.weighted([
      [0, 1],
      [1, 5],
      [2, 4],
    ] as const);
    const nFiles = this.opts.files === false ? 0 : drawn;
    for (let i = 0; i < nFiles; i++) {
      const pages = this.rng.range(2, 48);
      // Sometimes a size that ends inside a page (the tail of the last page, then SIGBUS past it).
      const size = this.rng.chance(0.15) ? pages * PAGE - this.rng.range(1, PAGE - 1) : pages * PAGE;
      const name = `f${i}`;
      this.files.push({ name, pages, anchor: this.rng.range(-8, this.arena - 8) });
      out.push(`file ${name} ${this.fmtLen(BigInt(size))}`);
    }
    for (let i = 0; i < this.opts.ops; i++) out.push(this.op());
    return out;
  }

  // ---- numbers ----

  private addrOf(page: number): bigint {
    return ARENA_BASE + BigInt(page) * BigInt(PAGE);
  }

  private fmtAddr(a: bigint): string {
    return hex(a);
  }

  /** A length as the language allows: mostly in pages, sometimes K, hex or decimal bytes. */
  private fmtLen(len: bigint): string {
    if (len === 0n) return '0';
    const P = BigInt(PAGE);
    if (len % P === 0n && len / P < 1000n) {
      const k = this.rng.int(10);
      if (k < 6) return `${len / P}p`;
      if (k < 8) return `${len / 1024n}K`;
      if (k < 9) return hex(len);
      return len.toString();
    }
    return this.rng.chance(0.5) ? hex(len) : len.toString();
  }

  private remember(page: number): void {
    if (page < -1 || page > this.arena + 32) return;
    this.edges.push(page);
    if (this.edges.length > 24) this.edges.splice(2, 1);
  }

  private setMapped(start: number, pages: number, v: boolean): void {
    for (let p = Math.max(0, start); p < Math.min(this.mapped.length, start + pages); p++) this.mapped[p] = v;
  }

  private isFree(start: number, pages: number): boolean {
    for (let p = Math.max(0, start); p < Math.min(this.mapped.length, start + pages); p++) if (this.mapped[p]) return false;
    return true;
  }

  private mappedPages(): number[] {
    const out: number[] = [];
    this.mapped.forEach((m, p) => {
      if (m) out.push(p);
    });
    return out;
  }

  /** A page of the arena, biased toward edges and mapped pages. */
  private page(): number {
    const k = this.rng.next();
    if (k < 0.45) {
      const e = this.rng.pick(this.edges);
      const d = this.rng.weighted([
        [0, 6],
        [-1, 1],
        [1, 1],
        [-2, 0.5],
        [2, 0.5],
      ] as const);
      return Math.min(this.arena + 8, Math.max(0, e + d));
    }
    if (k < 0.8) {
      const m = this.mappedPages();
      if (m.length) return this.rng.pick(m);
    }
    return this.rng.int(this.arena);
  }

  /** Small page counts are the most common. */
  private pages(max = 8): number {
    return this.rng.chance(0.6) ? this.rng.range(1, Math.min(3, max)) : this.rng.range(1, max);
  }

  /** A length in pages that ends at an edge above `start`, or a small one. */
  private lenPagesFrom(start: number, max = 12): number {
    if (this.rng.chance(0.35)) {
      const above = this.edges.filter((e) => e > start && e - start <= max);
      if (above.length) return this.rng.pick(above) - start;
    }
    return this.pages(Math.min(max, 8));
  }

  /** The runs of mapped pages, as [start, end) page pairs. */
  private runs(): [number, number][] {
    const out: [number, number][] = [];
    this.mapped.forEach((m, p) => {
      if (!m) return;
      const last = out[out.length - 1];
      if (last && last[1] === p) last[1] = p + 1;
      else out.push([p, p + 1]);
    });
    return out;
  }

  /** [start, pages] inside a run of mapped pages (sometimes running a little past it), or null. */
  private inRun(): [number, number] | null {
    const runs = this.runs();
    if (!runs.length) return null;
    const [a, b] = this.rng.pick(runs);
    const start = this.rng.chance(0.35) ? a : this.rng.range(a, b - 1);
    let end = this.rng.chance(0.4) ? b : this.rng.range(start + 1, b);
    if (this.rng.chance(0.1)) end += this.rng.range(1, 2);
    return [start, end - start];
  }

  /** A range for an operation on existing mappings. `hugePast`: for the ops that check the whole range before acting. */
  private range(opts: { hugePast?: boolean; maxPages?: number } = {}): { addr: bigint; len: bigint; page: number; pages: number } {
    const k0 = this.rng.next();
    const run = k0 < 0.8 ? this.inRun() : null;
    let start: number;
    let pages: number;
    if (run) [start, pages] = run;
    else if (k0 < 0.93) {
      start = this.page();
      pages = this.lenPagesFrom(start, opts.maxPages ?? 12);
    } else {
      start = this.rng.int(this.arena);
      pages = this.pages(opts.maxPages ?? 8);
    }
    let addr = this.addrOf(start);
    let len = BigInt(pages) * BigInt(PAGE);
    const k = this.rng.next();
    if (k < 0.03) {
      len = 0n;
      pages = 0;
    } else if (k < 0.05) {
      len = this.rng.pick(opts.hugePast ? [...REJECTED_HUGE, ...PAST_TASK_SIZE] : REJECTED_HUGE);
      pages = 0;
    } else if (k < 0.07) {
      // Up to the end of the window: covers every VMA of the arena from here on.
      len = WINDOW_END - addr;
      pages = this.arena + 32 - start;
    } else if (k < 0.11) {
      // A length that is not a multiple of the page size (rounded up by the kernel).
      len = len + BigInt(this.rng.range(1, PAGE - 1));
      pages += 1;
    }
    if (this.rng.chance(0.04)) addr += BigInt(this.rng.range(1, PAGE - 1));
    this.remember(start);
    this.remember(start + pages);
    return { addr, len, page: start, pages: addr % BigInt(PAGE) === 0n ? pages : 0 };
  }

  private prot(): string {
    const p = this.rng.weighted(PROT_WEIGHTS);
    return this.rng.chance(0.05) && p === '---' ? 'none' : p;
  }

  // ---- operations ----

  private op(): string {
    const nothingMapped = this.mappedPages().length === 0;
    const weights: [Op, number][] = [
      ['mmap', nothingMapped ? 60 : 20],
      ['munmap', 7],
      ['mprotect', 16],
      ['madvise', 16],
      ['mlock', 4],
      ['munlock', 2.5],
      ['mremap', 10],
      ['mseal', 0.5],
      ['touch', 14],
      ['name', 1],
    ];
    if (this.opts.forks) weights.push(['fork', 2.5], ['process', 3]);
    switch (this.rng.weighted(weights)) {
      case 'mmap':
        return this.mmap();
      case 'munmap':
        return this.munmap();
      case 'mprotect': {
        const r = this.range();
        return `mprotect ${this.fmtAddr(r.addr)} ${this.fmtLen(r.len)} ${this.prot()}`;
      }
      case 'madvise': {
        const r = this.range();
        return `madvise ${this.fmtAddr(r.addr)} ${this.fmtLen(r.len)} ${this.rng.weighted(this.wide ? WIDE_ADVICE_WEIGHTS : ADVICE_WEIGHTS)}`;
      }
      case 'mlock': {
        const r = this.range();
        return `mlock ${this.fmtAddr(r.addr)} ${this.fmtLen(r.len)}${this.rng.chance(0.35) ? ' onfault' : ''}`;
      }
      case 'munlock': {
        const r = this.range();
        return `munlock ${this.fmtAddr(r.addr)} ${this.fmtLen(r.len)}`;
      }
      case 'mremap':
        return this.mremap();
      case 'mseal': {
        const r = this.range({ hugePast: true, maxPages: 4 });
        return `mseal ${this.fmtAddr(r.addr)} ${this.fmtLen(r.len)}`;
      }
      case 'touch':
        return this.touch();
      case 'name': {
        const r = this.range();
        return `name ${this.fmtAddr(r.addr)} ${this.fmtLen(r.len)}${this.rng.chance(0.7) ? ` ${this.rng.pick(['heap', 'buf', 'x1'])}` : ''}`;
      }
      case 'fork':
        if (this.processes >= 6) return this.touch();
        this.processes++;
        return 'fork';
      case 'process':
        // Sometimes one that does not exist (ESRCH).
        return `process ${this.rng.int(this.processes + (this.rng.chance(0.15) ? 1 : 0))}`;
    }
  }

  private mmap(): string {
    const mode = this.rng.weighted([
      ['fixed', 55],
      ['noreplace', 15],
      ['hint', 27],
      ['null', 3],
    ] as const);
    let page = this.rng.chance(0.5) ? this.page() : this.rng.int(this.arena);
    let pages = this.pages(8);
    if (this.wide && this.rng.chance(0.4)) {
      // 2 MiB or more, often at a 2 MiB boundary: whole huge-page blocks.
      pages = HUGE_PAGES * this.rng.range(1, 2) + this.rng.pick([0, 0, 0, 1, -1, 16]);
      if (this.rng.chance(0.6)) page = HUGE_PAGES * this.rng.int(3);
    }
    // Right after or right before a mapping, for merges.
    const runs = this.runs();
    if (runs.length && this.rng.chance(0.4)) {
      const [a, b] = this.rng.pick(runs);
      page = this.rng.chance(0.5) || a - pages < 0 ? b : a - pages;
    }
    let len = BigInt(pages) * BigInt(PAGE);
    const k = this.rng.next();
    if (k < 0.03) {
      len = 0n;
      pages = 0;
    } else if (k < 0.05) {
      len = this.rng.pick([...REJECTED_HUGE, ...PAST_TASK_SIZE]);
      pages = 0;
    } else if (k < 0.09) {
      len = len - BigInt(this.rng.range(1, PAGE - 1));
    }
    let addr = this.addrOf(page);
    if (mode !== 'null' && this.rng.chance(0.04)) addr += BigInt(this.rng.range(1, PAGE - 1));
    const prot = this.prot();
    const words: string[] = ['mmap', mode === 'null' ? '-' : this.fmtAddr(addr), this.fmtLen(len), prot];
    const shared = this.rng.chance(0.2);
    if (shared) words.push('shared');
    else if (this.rng.chance(0.1)) words.push('private');
    if (mode === 'fixed') words.push('fixed');
    if (mode === 'noreplace') words.push('noreplace');
    if (this.rng.chance(0.07)) words.push('populate');
    if (this.rng.chance(0.04)) words.push('locked');
    if (this.rng.chance(0.08)) words.push('noreserve');
    const useFile = this.files.length > 0 && this.rng.chance(0.4);
    let fails = (mode === 'fixed' || mode === 'noreplace') && addr % BigInt(PAGE) !== 0n;
    const growsdown = this.rng.chance(useFile ? 0.01 : 0.03);
    if (growsdown) {
      words.push('growsdown');
      fails ||= useFile || shared;
    }
    if (useFile) {
      const f = this.rng.pick(this.files);
      words.push(`file=${f.name}`);
      let off: bigint;
      const o = this.rng.next();
      if (o < 0.6 && page >= f.anchor) off = BigInt(page - f.anchor) * BigInt(PAGE);
      else if (o < 0.92) off = BigInt(this.rng.int(f.pages + 4)) * BigInt(PAGE);
      else if (o < 0.96) off = BigInt(this.rng.int(f.pages + 1) * PAGE + this.rng.range(1, PAGE - 1));
      else off = this.rng.pick([0x7ffffffffffff000n, 0x8000000000000000n, 0xfffffffffffff000n]);
      fails ||= off % BigInt(PAGE) !== 0n || off >= 1n << 40n;
      if (off !== 0n || this.rng.chance(0.5)) words.push(`off=${off % BigInt(PAGE) === 0n && off < 1n << 40n ? this.fmtLen(off) : hex(off)}`);
    }
    // The guide: a fixed mapping replaces; a hint or noreplace lands there only when it is free.
    if (pages > 0 && !fails && (mode === 'fixed' || ((mode === 'noreplace' || mode === 'hint') && this.isFree(page, pages)))) {
      this.setMapped(page, pages, true);
      this.remember(page);
      this.remember(page + pages);
      if (growsdown) this.growsdown.push(page);
    }
    return words.join(' ');
  }

  private munmap(): string {
    const r = this.range({ hugePast: true });
    if (r.len > 0n && r.len < 1n << 40n) this.setMapped(r.page, r.pages, false);
    return `munmap ${this.fmtAddr(r.addr)} ${this.fmtLen(r.len)}`;
  }

  private mremap(): string {
    const run = this.rng.chance(0.75) ? this.inRun() : null;
    const page = run ? run[0] : this.page();
    const oldPages = run ? Math.max(1, Math.min(8, run[1])) : this.lenPagesFrom(page, 8);
    const P = BigInt(PAGE);
    let addr = this.addrOf(page);
    let oldLen = BigInt(oldPages) * P;
    let newPages: number;
    const extra: string[] = [];
    const mode = this.rng.weighted([
      ['shrink', 20],
      ['grow', 20],
      ['maymove', 15],
      ['fixed', 20],
      ['dontunmap', 12],
      ['odd', 13],
    ] as const);
    let dest: number | null = null;
    switch (mode) {
      case 'shrink':
        newPages = oldPages > 1 ? this.rng.range(1, oldPages - 1) : 1;
        if (this.rng.chance(0.2)) extra.push('maymove');
        break;
      case 'grow':
        newPages = oldPages + this.pages(4);
        break;
      case 'maymove':
        newPages = oldPages + this.pages(4);
        extra.push('maymove');
        break;
      case 'fixed':
        newPages = this.rng.chance(0.6) ? oldPages : this.rng.range(1, oldPages + 4);
        dest = this.page();
        extra.push('maymove', `fixed=${this.fmtAddr(this.addrOf(dest))}`);
        break;
      case 'dontunmap':
        newPages = this.rng.chance(0.85) ? oldPages : oldPages + 1;
        extra.push('maymove', 'dontunmap');
        if (this.rng.chance(0.6)) {
          dest = this.page();
          extra.push(`fixed=${this.fmtAddr(this.addrOf(dest))}`);
        }
        break;
      default: {
        newPages = oldPages;
        const o = this.rng.int(7);
        if (o === 0) oldLen = 0n; // a second mapping of a shared VMA; EINVAL on a private one
        else if (o === 1) extra.push(`fixed=${this.fmtAddr(this.addrOf(this.page()))}`); // no maymove: EINVAL
        else if (o === 2) newPages = 0; // EINVAL
        else if (o === 3) addr += BigInt(this.rng.range(1, PAGE - 1));
        else if (o === 4) {
          // A same-size move of a range that spans several VMAs and holes.
          oldLen = BigInt(this.rng.range(oldPages, oldPages + 12)) * P;
          newPages = Number(oldLen / P);
          dest = this.page();
          extra.push('maymove', `fixed=${this.fmtAddr(this.addrOf(dest))}`);
        } else if (o === 5) {
          newPages = oldPages;
          if (this.rng.chance(0.5)) extra.push('maymove');
        } else {
          return `mremap ${this.fmtAddr(addr)} ${this.fmtLen(oldLen)} ${hex(this.rng.pick([...REJECTED_HUGE, ...PAST_TASK_SIZE]))}${this.rng.chance(0.5) ? ' maymove' : ''}`;
        }
      }
    }
    const newLen = BigInt(newPages) * P + (this.rng.chance(0.03) ? BigInt(this.rng.range(1, PAGE - 1)) : 0n);
    if (this.rng.chance(0.5) && extra.length > 1) extra.reverse();
    this.remember(page + newPages);
    const overlaps = dest !== null && dest < page + Number(oldLen / P) && page < dest + newPages;
    let srcMapped = addr % P === 0n && newPages > 0 && oldLen > 0n && !overlaps;
    for (let p = page; p < page + Number(oldLen / P) && srcMapped; p++) srcMapped = this.mapped[p] === true;
    const growsInPlace = this.isFree(page + oldPages, newPages - oldPages);
    if (dest !== null) {
      this.remember(dest);
      this.remember(dest + newPages);
      if (srcMapped) {
        if (mode !== 'dontunmap') this.setMapped(page, oldPages, false);
        this.setMapped(dest, newPages, true);
      }
    } else if (!srcMapped) {
      // EFAULT: nothing changes.
    } else if (mode === 'shrink') {
      this.setMapped(page + newPages, oldPages - newPages, false);
    } else if ((mode === 'grow' || mode === 'maymove') && growsInPlace) {
      this.setMapped(page, newPages, true);
    } else if (mode === 'maymove' || mode === 'dontunmap') {
      // Moved out of the arena, to where the kernel chooses (dontunmap leaves the source mapped).
      if (mode === 'maymove') this.setMapped(page, oldPages, false);
    }
    return `mremap ${this.fmtAddr(addr)} ${this.fmtLen(oldLen)} ${this.fmtLen(newLen)}${extra.length ? ` ${extra.join(' ')}` : ''}`;
  }

  private touch(): string {
    const run = this.rng.chance(0.7) ? this.inRun() : null;
    let addr = this.addrOf(run ? run[0] : this.page());
    // Just below a growsdown mapping: the stack-growth rules.
    if (this.growsdown.length && this.rng.chance(0.3)) addr = this.addrOf(this.rng.pick(this.growsdown) - this.rng.range(1, 3));
    if (this.rng.chance(0.15)) addr += BigInt(this.rng.range(1, PAGE - 1));
    const k = this.rng.next();
    let len = '';
    if (k < 0.3) len = '';
    else if (k < 0.33) len = ' 0';
    else if (k < 0.35) len = ` ${hex(WINDOW_END - addr)}`;
    else if (this.wide && k < 0.5) len = ` ${this.fmtLen(BigInt(this.rng.range(1, 2 * HUGE_PAGES)) * BigInt(PAGE))}`;
    else len = ` ${this.fmtLen(BigInt(this.pages(8)) * BigInt(PAGE))}`;
    const w = this.rng.weighted([
      ['write', 3],
      ['', 2],
      ['read', 4],
    ] as const);
    return `touch ${this.fmtAddr(addr)}${len}${w ? ` ${w}` : ''}`;
  }
}

/** The scenario for `seed`: the same lines every time. */
export function generateScenario(seed: number, opts: GenerateOptions): GeneratedScenario {
  const lines = new Generator(seed, opts).generate();
  return { seed, lines, text: lines.join('\n') + '\n' };
}
