import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { VM_MAYREAD, VM_MAYWRITE, VM_READ, VM_WRITE } from '../kernel-sim/flags.js';
import { PAGE_SIZE, type Vma } from '../kernel-sim/vma.js';
import { diffEvents, diffVmas } from './diff.js';
import { History } from './history.js';

const RW = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE;
const RO = VM_READ | VM_MAYREAD | VM_MAYWRITE;

function vma(startPage: number, endPage: number, extra: Partial<Vma> = {}): Vma {
  return {
    start: startPage * PAGE_SIZE,
    end: endPage * PAGE_SIZE,
    pgoff: startPage,
    flags: RW,
    file: null,
    anonVma: null,
    anonVmaChain: [],
    anonName: null,
    hasClose: false,
    ...extra,
  };
}

/**
 * VMAs from a row of letters under the page ruler `0123456789abc`: each run
 * of one letter is one VMA, and `kinds` gives a letter's other fields.
 */
function layout(row: string, kinds: Record<string, Partial<Vma>> = {}): Vma[] {
  const out: Vma[] = [];
  for (let p = 0; p < row.length; ) {
    const c = row[p]!;
    let q = p;
    while (q < row.length && row[q] === c) q++;
    if (c !== ' ') out.push(vma(p, q, { pgoff: 0x100 + p, ...kinds[c] }));
    p = q;
  }
  return out;
}

const ranges = (vs: readonly Vma[]) => vs.map((v) => [v.start / PAGE_SIZE, v.end / PAGE_SIZE]);

describe('diffVmas', () => {
  test('equal layouts differ in nothing', () => {
    //       0123456789abc
    const a = layout('AAA  BB  CCCC');
    const d = diffVmas(a, layout('AAA  BB  CCCC'));
    expect(d).toEqual({ added: [], removed: [], changed: [], unchanged: 3 });
  });

  test('shared VMA objects count as unchanged without comparing fields', () => {
    const a = layout('AAA  BB');
    expect(diffVmas(a, a.slice()).unchanged).toBe(2);
  });

  test('mprotect of the head splits the VMA: the part that keeps the start changed, the rest added', () => {
    //                    0123456789
    const before = layout('AAAAAAAAAA');
    const after = layout('RRRAAAAAAA', { R: { flags: RO } });
    const d = diffVmas(before, after);
    expect(d.changed.map((c) => [ranges([c.before])[0], ranges([c.after])[0], c.fields])).toEqual([
      [[0, 10], [0, 3], ['range', 'flags']],
    ]);
    expect(ranges(d.added)).toEqual([[3, 10]]);
    expect(d.removed).toEqual([]);
  });

  test('a merge: the VMA that grew from the same start changed, the one it absorbed is removed', () => {
    //                    0123456789
    const before = layout('AAAABBBBBB');
    const after = [vma(0, 10, { pgoff: 0x100 })];
    const d = diffVmas(before, after);
    expect(d.changed.map((c) => [ranges([c.before])[0], ranges([c.after])[0], c.fields])).toEqual([[[0, 4], [0, 10], ['range']]]);
    expect(ranges(d.removed)).toEqual([[4, 10]]);
    expect(d.added).toEqual([]);
  });

  test('munmap in the middle of three, and an mmap in a hole', () => {
    //                    0123456789abc
    const before = layout('AAA BBB CCC  ');
    const after = layout('AAA     CCC DD');
    const d = diffVmas(before, after);
    expect(ranges(d.removed)).toEqual([[4, 7]]);
    expect(ranges(d.added)).toEqual([[12, 14]]);
    expect(d.changed).toEqual([]);
    expect(d.unchanged).toBe(2);
  });

  test('every field that differs is named', () => {
    const a = vma(0, 4);
    const b = vma(0, 4, {
      pgoff: 7,
      flags: RO,
      file: 'f',
      anonVma: 'av1',
      anonVmaChain: ['av0', 'av1'],
      anonName: 'heap',
      hasClose: true,
    });
    expect(diffVmas([a], [b]).changed[0]!.fields).toEqual([
      'pgoff',
      'flags',
      'file',
      'anonVma',
      'anonVmaChain',
      'anonName',
      'hasClose',
    ]);
  });

  test('accounts for every VMA of both sides exactly once', () => {
    const row = fc.array(fc.constantFrom(' ', 'A', 'B', 'C'), { maxLength: 40 }).map((cs) => cs.join(''));
    const kinds = { A: {}, B: { flags: RO }, C: { anonVma: 'av1', anonVmaChain: ['av1'] } };
    fc.assert(
      fc.property(row, row, (ra, rb) => {
        const a = layout(ra, kinds);
        const b = layout(rb, kinds);
        const d = diffVmas(a, b);
        expect(d.unchanged + d.changed.length + d.removed.length).toBe(a.length);
        expect(d.unchanged + d.changed.length + d.added.length).toBe(b.length);
        for (const c of d.changed) {
          expect(Math.min(c.before.end, c.after.end)).toBeGreaterThan(Math.max(c.before.start, c.after.start));
          expect(c.fields.length).toBeGreaterThan(0);
        }
        const self = diffVmas(a, a);
        expect(self.unchanged).toBe(a.length);
      }),
    );
  });
});

describe('diffEvents', () => {
  test('compares the states after two events, and a missing event is an error value', () => {
    let h = History.create<readonly Vma[], readonly Vma[], number>({
      reducer: { apply: (_s, next) => ({ state: next, result: 0 }) },
      initial: [],
      canonical: (c) => `set ${c.length}`,
    });
    h = h.append(layout('AAAA')).history;
    h = h.append(layout('AA  ')).history;
    const r = diffEvents(h, 1, 2, (s) => s);
    expect(r.ok && r.diff.changed.map((c) => c.fields)).toEqual([['range']]);
    const bad = diffEvents(h, 1, 9, (s) => s);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toBe('There is no event 9: events are numbered 0 to 2.');
  });
});
