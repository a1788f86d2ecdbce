/**
 * The kernel's userland VMA tests (tools/testing/vma/tests/vma.c), one it()
 * per kernel test function: copy_vma, and the tests of the vma_flags_t
 * helpers, ported to the simulator's flag helpers (flags.ts).
 *
 * The kernel's flag tests also use bits 64 and up, which exist only when
 * vma_flags_t is wider than a machine word. VmFlags is one number holding
 * bits 0 to 52 exactly, and its helpers treat the bits above 31 apart from
 * the ones below, so kernel bit 64 + n is played here by bit 47 + n: the
 * top of what VmFlags holds, far from the 32-bit seam.
 */
import { describe, expect, it } from 'vitest';
import {
  flagsAnd,
  flagsAndNot,
  flagsOr,
  flagsXor,
  hasAll,
  hasAny,
  VM_DONTDUMP,
  VM_DONTEXPAND,
  VM_EXEC,
  VM_IO,
  VM_MAYBE_GUARD,
  VM_MAYEXEC,
  VM_MAYREAD,
  VM_MAYWRITE,
  VM_NONE,
  VM_PFNMAP,
  VM_RAND_READ,
  VM_READ,
  VM_SEQ_READ,
  VM_WRITE,
  type VmFlags,
} from '../flags.js';
import { runKernelScenario, VMA_FLAGS } from './harness.js';

/** The stand-in for kernel flag bit 64 + n. */
function high(n: number): VmFlags {
  return 2 ** (47 + n);
}

/** The union of some flags (mk_vma_flags). */
function mk(...fs: VmFlags[]): VmFlags {
  return fs.reduce((a, b) => flagsOr(a, b), VM_NONE);
}

/** The bits 0..52 that VmFlags holds exactly (the kernel loops over BITS_PER_LONG). */
const BITS = 53;

/** The lower 32 bits: the first of the two halves flags.ts works in. */
const LOW_WORD = 2 ** 32 - 1;

describe('tools/testing/vma/tests/vma.c', () => {
  it('copy_vma', () => {
    // Copy V below itself, where nothing is adjacent: a new VMA, V stays.
    //   0123456
    //   ** VV   ->   CC VV
    let report = runKernelScenario([`vma add 0x3000 0x5000 3 ${VMA_FLAGS}`, 'vma copy 0x3000 0x0 0']);
    expect(report.results[1]).toMatchObject({ ret: '0x0-0x2000', errno: null });
    expect(report.vmas.map((v) => [v.start, v.end, v.pgoff])).toEqual([
      ['0x0', '0x2000', 0],
      ['0x3000', '0x5000', 3],
    ]);

    // Copy V to just below N, with the pgoff that continues into N: the copy
    // is N itself, grown down.
    //   0123456789
    //   VV  **NN   ->   VV  NNNN
    report = runKernelScenario([`vma add 0x0 0x2000 0 ${VMA_FLAGS}`, `vma add 0x6000 0x8000 6 ${VMA_FLAGS}`, 'vma copy 0x0 0x4000 4']);
    expect(report.results[2]).toMatchObject({ ret: '0x4000-0x8000', errno: null });
    expect(report.vmas.map((v) => [v.start, v.end, v.pgoff])).toEqual([
      ['0x0', '0x2000', 0],
      ['0x4000', '0x8000', 4],
    ]);
  });

  it('vma_flags_unchanged', () => {
    // Setting bits one at a time, as a bit or as a mask, gives the same value
    // as plain integer arithmetic.
    let f = VM_NONE;
    let legacy = 0n;
    for (let bit = 0; bit < BITS; bit++) {
      const mask = 2 ** bit;
      legacy |= 1n << BigInt(bit);
      f = flagsOr(f, mask);
      expect(BigInt(f), `bit ${bit}`).toBe(legacy);
      f = flagsOr(f, mk(mask));
      expect(BigInt(f), `bit ${bit} as a mask`).toBe(legacy);
    }
  });

  it('vma_flags_cleared', () => {
    const all = 2 ** BITS - 1;
    const cleared = flagsAndNot(all, all);
    expect(cleared).toBe(VM_NONE);
    expect(flagsAnd(cleared, LOW_WORD)).toBe(0);
    expect(Math.floor(cleared / 2 ** 32)).toBe(0);
  });

  it('vma_flags_word', () => {
    // Changing the lower word keeps the bits above it.
    const comparison = mk(VM_READ, VM_WRITE, high(0), high(1));

    // Overwrite the lower word (the kernel's _once() variant is the same here).
    let f = mk(high(0), high(1));
    f = flagsOr(flagsAndNot(f, LOW_WORD), mk(VM_READ, VM_WRITE));
    expect(f).toBe(comparison);

    // Set bits in the lower word.
    f = mk(high(0), high(1), VM_WRITE);
    f = flagsOr(f, VM_READ);
    expect(f).toBe(comparison);

    // Clear bits in the lower word.
    f = mk(high(0), high(1), VM_READ, VM_WRITE, VM_EXEC);
    f = flagsAndNot(f, VM_EXEC);
    expect(f).toBe(comparison);
  });

  it('vma_flags_test', () => {
    const f = mk(VM_READ, VM_WRITE, VM_EXEC, high(0), high(1));
    for (const bit of [VM_READ, VM_WRITE, VM_EXEC, high(0), high(1)]) expect(hasAny(f, bit)).toBe(true);
    expect(hasAny(f, VM_MAYWRITE)).toBe(false);
    expect(hasAny(f, high(2))).toBe(false);
  });

  it('vma_flags_test_any', () => {
    const f = mk(VM_READ, VM_WRITE, VM_EXEC, high(0), high(1));

    // Some present, some not: "any" holds, "all" does not.
    expect(hasAny(f, mk(VM_READ, VM_MAYREAD, VM_SEQ_READ))).toBe(true);
    expect(hasAll(f, mk(VM_READ, VM_MAYREAD, VM_SEQ_READ))).toBe(false);
    // All present, and subsets.
    expect(hasAll(f, mk(VM_READ, VM_WRITE, VM_EXEC, high(0), high(1)))).toBe(true);
    expect(hasAll(f, mk(VM_READ, VM_WRITE, VM_EXEC, high(0)))).toBe(true);
    expect(hasAll(f, mk(VM_READ, VM_WRITE, VM_EXEC))).toBe(true);
    expect(hasAll(f, mk(VM_READ, VM_WRITE))).toBe(true);
    expect(hasAll(f, VM_READ)).toBe(true);
    // Against itself.
    expect(hasAny(f, f)).toBe(true);
    expect(hasAll(f, f)).toBe(true);

    const present: VmFlags[][] = [
      [VM_READ],
      [VM_WRITE],
      [VM_EXEC],
      [high(0)],
      [high(1)],
      [VM_READ, VM_WRITE],
      [VM_READ, VM_EXEC],
      [VM_WRITE, VM_EXEC],
      [VM_WRITE, VM_READ],
      [VM_EXEC, VM_READ],
      [VM_EXEC, VM_WRITE],
      [VM_READ, high(0)],
      [VM_WRITE, high(0)],
      [high(0), VM_READ],
      [high(0), VM_WRITE],
      [VM_READ, high(1)],
      [VM_WRITE, high(1)],
      [high(1), VM_READ],
      [high(1), VM_WRITE],
      [VM_READ, VM_WRITE, VM_EXEC],
      [VM_READ, VM_WRITE, high(0)],
      [VM_READ, VM_WRITE, high(1)],
      [VM_READ, VM_WRITE, VM_EXEC, high(0)],
      [VM_READ, VM_WRITE, VM_EXEC, high(1)],
      [VM_READ, VM_WRITE, VM_EXEC, high(0), high(1)],
    ];
    for (const set of present) expect(hasAny(f, mk(...set))).toBe(true);
  });

  it('vma_flags_clear', () => {
    let f = mk(VM_READ, VM_WRITE, VM_EXEC, high(0), high(1));
    const mask = mk(VM_EXEC, high(0));

    f = flagsAndNot(f, mask);
    expect(hasAny(f, mask)).toBe(false);
    f = flagsOr(f, mask);

    // Clear, check, and set back again.
    const cases: VmFlags[][] = [
      [VM_READ],
      [VM_WRITE],
      [VM_EXEC],
      [high(0)],
      [high(1)],
      [VM_READ, VM_WRITE],
      [VM_READ, VM_EXEC],
      [VM_READ, high(0)],
      [VM_READ, high(1)],
      [VM_WRITE, VM_READ],
      [VM_WRITE, VM_EXEC],
      [VM_WRITE, high(0)],
      [VM_WRITE, high(1)],
      [VM_EXEC, VM_READ],
      [VM_EXEC, VM_WRITE],
      [VM_EXEC, high(0)],
      [VM_EXEC, high(1)],
      [high(0), VM_READ],
      [high(0), VM_WRITE],
      [high(0), VM_EXEC],
      [high(0), high(1)],
      [high(1), VM_READ],
      [high(1), VM_WRITE],
      [high(1), VM_EXEC],
      [high(1), high(0)],
    ];
    const original = f;
    for (const set of cases) {
      const m = mk(...set);
      f = flagsAndNot(f, m);
      expect(hasAny(f, m)).toBe(false);
      f = flagsOr(f, m);
      expect(f).toBe(original);
    }
  });

  it('vma_flags_empty', () => {
    let f = mk(VM_READ, VM_WRITE, VM_EXEC, high(0), high(1));
    expect(f).not.toBe(VM_NONE);
    f = flagsAndNot(f, mk(VM_READ, VM_WRITE, VM_EXEC));
    expect(f).not.toBe(VM_NONE);
    f = flagsAndNot(f, mk(high(0), high(1)));
    expect(f).toBe(VM_NONE);
  });

  it('vma_flags_diff', () => {
    const f1 = mk(VM_READ, VM_WRITE, VM_EXEC, high(0), high(1));
    let f2 = mk(VM_READ, VM_WRITE, VM_EXEC, VM_MAYWRITE, VM_MAYEXEC, high(0), high(1), high(2), high(3));
    const expected = mk(VM_MAYWRITE, VM_MAYEXEC, high(2), high(3));

    expect(flagsXor(f1, f2)).toBe(expected);
    expect(flagsXor(f2, f1)).toBe(expected);
    expect(flagsXor(f1, f1)).toBe(VM_NONE);
    expect(flagsXor(f2, f2)).toBe(VM_NONE);

    f2 = VM_NONE;
    expect(flagsXor(f1, f2)).toBe(f1);

    f2 = mk(VM_READ, VM_WRITE);
    expect(flagsXor(f1, f2)).toBe(mk(VM_EXEC, high(0), high(1)));
  });

  it('vma_flags_and', () => {
    const f1 = mk(VM_READ, VM_WRITE, VM_EXEC, high(0), high(1));
    const f2 = mk(VM_READ, VM_WRITE, VM_EXEC, VM_MAYWRITE, VM_MAYEXEC, high(0), high(1), high(2), high(3));
    const f3 = mk(VM_IO, VM_MAYBE_GUARD, high(4), high(5));

    expect(flagsAnd(f1, f2)).toBe(mk(VM_READ, VM_WRITE, VM_EXEC, high(0), high(1)));
    expect(flagsAnd(f1, f1)).toBe(f1);
    expect(flagsAnd(f2, f2)).toBe(f2);
    expect(flagsAnd(f1, f3)).toBe(VM_NONE);
    expect(flagsAnd(f2, f3)).toBe(VM_NONE);

    expect(flagsAnd(f1, VM_READ)).toBe(VM_READ);
    expect(flagsAnd(f1, mk(VM_READ, VM_WRITE))).toBe(mk(VM_READ, VM_WRITE));
    expect(flagsAnd(f1, mk(VM_READ, VM_WRITE, VM_EXEC))).toBe(mk(VM_READ, VM_WRITE, VM_EXEC));
    expect(flagsAnd(f1, mk(VM_READ, VM_WRITE, VM_EXEC, high(0)))).toBe(mk(VM_READ, VM_WRITE, VM_EXEC, high(0)));
    expect(flagsAnd(f1, mk(VM_READ, VM_WRITE, VM_EXEC, high(0), high(1)))).toBe(mk(VM_READ, VM_WRITE, VM_EXEC, high(0), high(1)));

    // Against bits that are not there.
    expect(flagsAnd(f1, mk(VM_READ, VM_WRITE, VM_EXEC, VM_IO))).toBe(mk(VM_READ, VM_WRITE, VM_EXEC));
    expect(flagsAnd(f1, mk(VM_READ, VM_WRITE, VM_EXEC, VM_IO, VM_RAND_READ))).toBe(mk(VM_READ, VM_WRITE, VM_EXEC));
    expect(flagsAnd(f1, mk(VM_READ, VM_WRITE, VM_EXEC, VM_IO, VM_RAND_READ, high(5)))).toBe(mk(VM_READ, VM_WRITE, VM_EXEC));
  });

  it('append_vma_flags', () => {
    // VMA_REMAP_FLAGS (what remap_pfn_range sets) plus some more.
    const remapFlags = mk(VM_IO, VM_PFNMAP, VM_DONTEXPAND, VM_DONTDUMP);
    expect(flagsOr(remapFlags, mk(VM_READ, VM_WRITE, high(0), high(1)))).toBe(
      mk(VM_IO, VM_PFNMAP, VM_DONTEXPAND, VM_DONTDUMP, VM_READ, VM_WRITE, high(0), high(1)),
    );
    expect(flagsOr(VM_NONE, mk(VM_READ, VM_WRITE))).toBe(mk(VM_READ, VM_WRITE));
  });
});
