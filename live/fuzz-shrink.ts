/**
 * Shrinks a failing scenario: delta debugging over its lines (chunks, then
 * single lines), then simpler words (smaller lengths and offsets, aligned
 * addresses, fewer optional flags, anonymous memory instead of a file), then
 * lines again, until nothing more can go. The caller's predicate decides what
 * "still failing" means; a candidate that does not parse (a `file` line
 * removed while an mmap still names it) simply does not fail, so needed lines
 * stay.
 */

export type StillFails = (lines: readonly string[]) => Promise<boolean>;

export interface ShrinkOptions {
  /** The most predicate calls (default 800). */
  readonly maxTests?: number;
  /** Called after each predicate call. */
  readonly onTest?: (state: { readonly lines: number; readonly tests: number }) => void;
}

export interface ShrinkResult {
  readonly lines: readonly string[];
  /** Predicate calls made. */
  readonly tests: number;
}

const PAGE = 4096n;

/** Optional words that can be dropped from a line without changing its command. */
const DROPPABLE: ReadonlySet<string> = new Set(['populate', 'locked', 'noreserve', 'growsdown', 'onfault', 'private', 'write']);

function parseNumber(word: string): bigint | null {
  const m = /^(0[xX][0-9a-fA-F]+|\d+)([KMGp]|k|m|g)?$/.exec(word);
  if (!m) return null;
  let v = BigInt(m[1]!);
  const mult: Record<string, bigint> = { k: 1024n, m: 1024n ** 2n, g: 1024n ** 3n, p: PAGE };
  const s = m[2];
  if (s) v *= s === 'p' ? PAGE : mult[s.toLowerCase()]!;
  return v;
}

function fmtNumber(v: bigint, asAddress: boolean): string {
  if (asAddress || v >= 1n << 40n) return `0x${v.toString(16)}`;
  if (v !== 0n && v % PAGE === 0n) return `${v / PAGE}p`;
  return v.toString();
}

/** Simpler forms of one number: smaller (by halves, then quarters, ... down to one page) or page-aligned. */
function simplerNumbers(v: bigint, asAddress: boolean): bigint[] {
  const out: bigint[] = [];
  if (asAddress) {
    if (v % PAGE !== 0n) out.push(v - (v % PAGE));
    return out;
  }
  if (v !== 0n) out.push(0n);
  if (v > PAGE) out.push(PAGE);
  if (v % PAGE !== 0n && v > PAGE) out.push(v - (v % PAGE), v - (v % PAGE) + PAGE);
  if (v < 1n << 40n) {
    for (let d = ((v / 2n) / PAGE) * PAGE; d >= PAGE; d = ((d / 2n) / PAGE) * PAGE) {
      if (v - d > PAGE && !out.includes(v - d)) out.push(v - d);
      if (d === PAGE) break;
    }
  }
  return out;
}

/** The candidate lines one step simpler than `line`, simplest first. */
export function simplerLines(line: string): string[] {
  const words = line.trim().split(/\s+/);
  const head = (words[0] ?? '').toLowerCase();
  const out: string[] = [];
  const push = (ws: string[]) => {
    const l = ws.join(' ');
    if (l !== line && !out.includes(l)) out.push(l);
  };
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (DROPPABLE.has(w.toLowerCase())) push([...words.slice(0, i), ...words.slice(i + 1)]);
  }
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    const eq = w.indexOf('=');
    const key = eq >= 0 ? w.slice(0, eq + 1) : '';
    const v = parseNumber(eq >= 0 ? w.slice(eq + 1) : w);
    if (v === null) continue;
    // The first number of an operation is its address, as is fixed=; the rest are lengths, offsets and sizes.
    const asAddress = key === 'fixed=' || (i === 1 && head !== 'file' && head !== 'process');
    for (const s of simplerNumbers(v, asAddress)) push([...words.slice(0, i), key + fmtNumber(s, asAddress), ...words.slice(i + 1)]);
    const plain = key + fmtNumber(v, asAddress);
    if (plain !== w) push([...words.slice(0, i), plain, ...words.slice(i + 1)]);
  }
  if (head === 'mmap' || head === 'mprotect') {
    const i = words.findIndex((w, k) => k >= 2 && /^([r-][w-][x-]|none)$/i.test(w));
    if (i >= 0 && words[i] !== 'rw-') push([...words.slice(0, i), 'rw-', ...words.slice(i + 1)]);
  }
  if (head === 'mmap') {
    // Anonymous memory instead of a file (the `file` line may then go too).
    if (words.some((w) => /^file=/i.test(w))) push(words.filter((w) => !/^(file|off)=/i.test(w)));
    const i = words.findIndex((w) => w.toLowerCase() === 'noreplace');
    if (i >= 0) push([...words.slice(0, i), 'fixed', ...words.slice(i + 1)]);
  }
  return out;
}

/** The smallest line list (by deleting lines, then simplifying words) for which `fails` still holds. */
export async function shrinkLines(start: readonly string[], fails: StillFails, opts: ShrinkOptions = {}): Promise<ShrinkResult> {
  const maxTests = opts.maxTests ?? 800;
  let lines = [...start];
  let tests = 0;
  const test = async (candidate: readonly string[]): Promise<boolean> => {
    if (tests >= maxTests) return false;
    tests++;
    const r = await fails(candidate);
    opts.onTest?.({ lines: r ? candidate.length : lines.length, tests });
    return r;
  };

  /** ddmin-style: remove chunks of decreasing size, from the end back (later lines depend on earlier ones). */
  const removeLines = async (): Promise<boolean> => {
    let progress = false;
    let chunk = Math.max(1, Math.floor(lines.length / 2));
    for (;;) {
      let removed = false;
      for (let end = lines.length; end > 0 && tests < maxTests; ) {
        const from = Math.max(0, end - chunk);
        const candidate = [...lines.slice(0, from), ...lines.slice(end)];
        if (candidate.length < lines.length && (await test(candidate))) {
          lines = candidate;
          removed = progress = true;
          end = Math.min(from, lines.length);
        } else {
          end = from;
        }
      }
      if (tests >= maxTests) return progress;
      if (chunk === 1) {
        if (!removed) return progress;
      } else {
        chunk = Math.max(1, Math.floor(chunk / 2));
      }
    }
  };

  const simplifyWords = async (): Promise<boolean> => {
    let progress = false;
    for (let i = 0; i < lines.length && tests < maxTests; i++) {
      let again = true;
      while (again && tests < maxTests) {
        again = false;
        for (const s of simplerLines(lines[i]!)) {
          const candidate = [...lines.slice(0, i), s, ...lines.slice(i + 1)];
          if (await test(candidate)) {
            lines = candidate;
            progress = again = true;
            break;
          }
        }
      }
    }
    return progress;
  };

  await removeLines();
  while (tests < maxTests) {
    if (!(await simplifyWords())) break;
    if (!(await removeLines())) break;
  }
  return { lines, tests };
}
