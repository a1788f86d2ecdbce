/**
 * The kernel's userland mmap tests (tools/testing/vma/tests/mmap.c), one
 * it() per kernel test function. The kernel calls __mmap_region() directly
 * with the flags and pgoff a fixed anonymous mmap would have; here the same
 * mappings are made with the `mmap ... fixed` system call, which goes
 * through the simulator's mmap_region. The system call adds the flags
 * do_mmap adds (`me`, and `ac` for a private writable mapping), so flag
 * checks are that the kernel test's flags are all there.
 *
 * Layouts are in units of 0x1000 from 0x300000 unless said otherwise.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../vma.js';
import { flagsToMnemonics } from '../flags.js';
import { runKernelScenario, TestMm } from './harness.js';

describe('tools/testing/vma/tests/mmap.c', () => {
  it('mmap_region_basic', () => {
    // Two mappings, then one more right after each (0x303000) and right
    // before each (0x24d000): each pair merges.
    //   0x24d 0x250      0x300 0x303
    //   ***   BBB        AAA   ***    ->   BBBBBB ... AAAAAA
    const report = runKernelScenario([
      'mmap 0x300000 0x3000 rw- fixed',
      'mmap 0x250000 0x3000 rw- fixed',
      'mmap 0x303000 0x3000 rw- fixed',
      'mmap 0x24d000 0x3000 rw- fixed',
    ]);
    expect(report.results.map((r) => [r.ret, r.errno])).toEqual([
      ['0x300000', null],
      ['0x250000', null],
      ['0x303000', null],
      ['0x24d000', null],
    ]);
    expect(report.vmas.map((v) => [v.start, v.end, v.pgoff])).toEqual([
      ['0x24d000', '0x253000', 0x24d],
      ['0x300000', '0x306000', 0x300],
    ]);
  });

  it('mmap_region_fill_hole_merge', () => {
    mmapRegionFillHole(true);
  });

  it('mmap_region_fill_hole_flags_mismatch', () => {
    mmapRegionFillHole(false);
  });
});

/**
 * A hole between two mergeable mappings is filled with a third. With the
 * same flags all three become one VMA; with one flag more (`ex`) the middle
 * one merges with neither side.
 *
 *   0123456789
 *   AAA***BBB   ->   AAAAAAAAA   (merge)
 *               ->   AAAMMMBBB   (flags mismatch: three VMAs)
 */
function mmapRegionFillHole(merge: boolean): void {
  const mm = new TestMm();
  expect(mm.ok('mmap 0x300000 0x3000 rw- fixed')).toBe('0x300000');
  expect(mm.ok('mmap 0x306000 0x3000 rw- fixed')).toBe('0x306000');
  expect(mm.mapCount).toBe(2);
  expect(mm.find(0x303000)).toBeUndefined();
  expect(mm.find(0x305fff)).toBeUndefined();

  expect(mm.ok(`mmap 0x303000 0x3000 ${merge ? 'rw-' : 'rwx'} fixed`)).toBe('0x303000');
  expect(mm.mapCount).toBe(merge ? 1 : 3);

  const vmas = mm.vmas;
  vmas.forEach((v, count) => {
    const start = 0x300000 + count * 0x3000;
    const end = merge ? 0x309000 : start + 0x3000;
    expect([v.start, v.end, v.pgoff]).toEqual([start, end, start / PAGE_SIZE]);
    const words = flagsToMnemonics(v.flags);
    expect(words).toEqual(expect.arrayContaining(['rd', 'wr', 'mr', 'mw', 'me']));
    expect(words.includes('ex')).toBe(!merge && count === 1);
    // Every byte of the VMA's pages finds it, and only it.
    for (let addr = start; addr < end; addr += PAGE_SIZE) {
      expect(mm.find(addr)).toBe(v);
      expect(mm.find(addr + PAGE_SIZE - 1)).toBe(v);
    }
  });
  expect(vmas).toHaveLength(mm.mapCount);
  expect(mm.find(0x2fffff)).toBeUndefined();
  expect(mm.find(0x309000)).toBeUndefined();
  expect(mm.cleanupMm()).toBe(vmas.length);
}
