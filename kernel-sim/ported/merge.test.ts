/**
 * The kernel's userland merge tests (tools/testing/vma/tests/merge.c), one
 * it() per kernel test function, with the kernel's assertions. Layouts are
 * drawn in pages: a ruler `0123456789abc` over a row of letters, one letter a
 * page (a VMA's name), `*` for the range being merged or modified, and over
 * the range an operation names `-` (one page) or `<`, `>` on its first and
 * last pages.
 *
 * Where the kernel compares struct pointers or checks that a VMA was write
 * locked, see harness.ts for what stands in for it. docs/kernel-tests.md
 * lists every test and where behaviour differs by kernel version.
 */
import { describe, expect, it } from 'vitest';
import { VM_SPECIAL } from '../flags.js';
import type { Vma } from '../vma.js';
import {
  ENOMEM,
  expectSurvivor,
  flags,
  hasSticky,
  permutations,
  runKernelScenario,
  STICKY_CONFIGS,
  TestMm,
  VMA_FLAGS,
  vmgSetRange,
  vmgSetRangeAnonVma,
  withFlags,
  type StickyConfig,
} from './harness.js';

/** Range, pgoff and (when given) anon_vma of a VMA. */
function expectVma(v: Vma | undefined, want: { start: number; end: number; pgoff: number; anonVma?: string | null }, label = ''): void {
  expect(v, label).toBeDefined();
  const got: Record<string, unknown> = { start: v!.start, end: v!.end, pgoff: v!.pgoff };
  if (want.anonVma !== undefined) got.anonVma = v!.anonVma;
  expect(got, label).toEqual(want);
}

describe('tools/testing/vma/tests/merge.c', () => {
  it('simple_merge', () => {
    // A new page between two compatible VMAs joins them into one.
    //   0123
    //   A*B   ->   AAA
    const report = runKernelScenario([
      `vma add 0x0 0x1000 0 ${VMA_FLAGS}`,
      `vma add 0x2000 0x3000 2 ${VMA_FLAGS}`,
      `vma merge-new 0x1000 0x2000 1 ${VMA_FLAGS}`,
    ]);
    expect(report.results.map((r) => [r.ret, r.errno])).toEqual([[0, null], [0, null], ['0x0-0x3000', null]]);
    expect(report.vmas).toHaveLength(1);
    const v = report.vmas[0]!;
    expect([v.start, v.end, v.pgoff]).toEqual(['0x0', '0x3000', 0]);
    expect(v.vmflags).toEqual(['rd', 'wr', 'mr', 'mw']);
  });

  it('simple_modify', () => {
    // vma_modify_flags with the flags the VMA already has still splits the
    // range out (it always acts; only mprotect and friends skip a no-op).
    //    -
    //   0123
    //   VVV   ->   V V V   (three VMAs, pgoff 0, 1, 2)
    const report = runKernelScenario([`vma add 0x0 0x3000 0 ${VMA_FLAGS}`, `vma modify 0x1000 0x2000 ${VMA_FLAGS}`]);
    expect(report.results[1]).toMatchObject({ ret: '0x1000-0x2000', errno: null });
    expect(report.vmas.map((v) => [v.start, v.end, v.pgoff])).toEqual([
      ['0x0', '0x1000', 0],
      ['0x1000', '0x2000', 1],
      ['0x2000', '0x3000', 2],
    ]);
  });

  it('simple_expand', () => {
    // vma_expand of a one-page VMA to three pages; pgoff stays.
    //   0123
    //   V     ->   VVV
    const report = runKernelScenario([`vma add 0x0 0x1000 0 ${VMA_FLAGS}`, 'vma expand 0x0 0x3000']);
    expect(report.results[1]).toMatchObject({ ret: 0, errno: null });
    expect(report.vmas.map((v) => [v.start, v.end, v.pgoff])).toEqual([['0x0', '0x3000', 0]]);
  });

  it('simple_shrink', () => {
    // vma_shrink of a three-page VMA to its first page.
    //   0123
    //   VVV   ->   V
    const report = runKernelScenario([`vma add 0x0 0x3000 0 ${VMA_FLAGS}`, 'vma shrink 0x0 0x1000']);
    expect(report.results[1]).toMatchObject({ ret: 0, errno: null });
    expect(report.vmas.map((v) => [v.start, v.end, v.pgoff])).toEqual([['0x0', '0x1000', 0]]);
  });

  it('merge_new', () => {
    // Every combination of the sticky flags on the proposed ranges (and so on
    // D, which is made from one) and on A, B and C, in both builds.
    for (const cfg of STICKY_CONFIGS) {
      for (const [isSticky, aIsSticky, bIsSticky, cIsSticky] of permutations(4)) mergeNewCase(cfg, isSticky!, aIsSticky!, bIsSticky!, cIsSticky!);
    }
  });

  it('vma_merge_special_flags', () => {
    const special = ['io', 'de', 'pf', 'mm'];
    // The four VM_SPECIAL flags are all there are.
    expect(flags(special.join(','))).toBe(VM_SPECIAL);

    const mm = new TestMm();
    //   01234
    //   AAA
    mm.allocAndLinkVma(0x0, 0x3000, 0, VMA_FLAGS);

    // A new range that would extend A, were it (and A) not special.
    //   01234
    //   AAA*
    const vmg = mm.vmg(0, 0, 0, VMA_FLAGS);
    vmgSetRange(vmg, 0x3000, 0x4000, 3, VMA_FLAGS);
    for (const s of special) {
      const f = withFlags(VMA_FLAGS, s);
      mm.setVma(0x0, { flags: f });
      vmg.flags = flags(f);
      expect(mm.mergeNew(vmg), s).toBeUndefined();
      expect(vmg.state, s).toBe('nomerge');
    }

    // B modified so that it would merge into A, were it not special.
    //   01234
    //   AAAB
    mm.allocAndLinkVma(0x3000, 0x4000, 3, VMA_FLAGS);
    for (const s of special) {
      const f = withFlags(VMA_FLAGS, s);
      mm.setVma(0x0, { flags: f });
      vmg.prev = mm.vma(0x0);
      vmg.middle = mm.vma(0x3000);
      vmg.flags = flags(f);
      expect(mm.mergeExisting(vmg), s).toBeUndefined();
      expect(vmg.state, s).toBe('nomerge');
    }
    expect(mm.cleanupMm()).toBe(2);
  });

  it('vma_merge_with_close', () => {
    // A merge may never remove a VMA whose vm_ops has a close hook. prev is
    // never removed (it is the one that grows), so the cases are a next with
    // a hook, and a modified VMA with one.
    const mm = new TestMm();
    const vmg = mm.vmg(0, 0, 0, VMA_FLAGS);

    // New range between prev and a next with a close hook: only prev grows.
    //   0123456789
    //   PPP**NNNN   ->   PPPPPNNNN
    let prev = mm.allocAndLinkVma(0x0, 0x3000, 0, VMA_FLAGS);
    mm.allocAndLinkVma(0x5000, 0x9000, 5, VMA_FLAGS, { close: true });
    vmgSetRange(vmg, 0x3000, 0x5000, 3, VMA_FLAGS);
    let v = expectSurvivor(vmg, mm.mergeNew(vmg), prev);
    expect(vmg.state).toBe('success');
    expectVma(v, { start: 0x0, end: 0x5000, pgoff: 0 });
    expect(mm.cleanupMm()).toBe(2);

    // The whole of V, which has a close hook, would go into prev: no merge.
    //      <>
    //   0123456789
    //   PPPVV
    mm.allocAndLinkVma(0x0, 0x3000, 0, VMA_FLAGS);
    mm.allocAndLinkVma(0x3000, 0x5000, 3, VMA_FLAGS, { close: true });
    vmgSetRange(vmg, 0x3000, 0x5000, 3, VMA_FLAGS);
    vmg.prev = mm.vma(0x0);
    vmg.middle = mm.vma(0x3000);
    expect(mm.mergeExisting(vmg)).toBeUndefined();
    expect(vmg.state).toBe('nomerge');
    expect(mm.cleanupMm()).toBe(2);

    // The same towards next: V (close hook) would go into next. The refusal
    // is a plain no-merge, not an out-of-memory report.
    //      <>
    //   0123456789
    //      VVNNNN
    mm.allocAndLinkVma(0x3000, 0x5000, 3, VMA_FLAGS, { close: true });
    mm.allocAndLinkVma(0x5000, 0x9000, 5, VMA_FLAGS);
    vmgSetRange(vmg, 0x3000, 0x5000, 3, VMA_FLAGS);
    vmg.middle = mm.vma(0x3000);
    expect(mm.mergeExisting(vmg)).toBeUndefined();
    expect(vmg.state).toBe('nomerge');
    expect(mm.cleanupMm()).toBe(2);

    // Both sides would merge, but V has a close hook: no merge at all.
    //      <>
    //   0123456789
    //   PPPVVNNNN
    mm.allocAndLinkVma(0x0, 0x3000, 0, VMA_FLAGS);
    mm.allocAndLinkVma(0x3000, 0x5000, 3, VMA_FLAGS, { close: true });
    mm.allocAndLinkVma(0x5000, 0x9000, 5, VMA_FLAGS);
    vmgSetRange(vmg, 0x3000, 0x5000, 3, VMA_FLAGS);
    vmg.prev = mm.vma(0x0);
    vmg.middle = mm.vma(0x3000);
    expect(mm.mergeExisting(vmg)).toBeUndefined();
    expect(vmg.state).toBe('nomerge');
    expect(mm.cleanupMm()).toBe(3);

    // Both sides would merge, but next has a close hook: V goes into prev only.
    //      <>
    //   0123456789
    //   PPPVVNNNN   ->   PPPPPNNNN
    prev = mm.allocAndLinkVma(0x0, 0x3000, 0, VMA_FLAGS);
    mm.allocAndLinkVma(0x3000, 0x5000, 3, VMA_FLAGS);
    mm.allocAndLinkVma(0x5000, 0x9000, 5, VMA_FLAGS, { close: true });
    vmgSetRange(vmg, 0x3000, 0x5000, 3, VMA_FLAGS);
    vmg.prev = prev;
    vmg.middle = mm.vma(0x3000);
    v = expectSurvivor(vmg, mm.mergeExisting(vmg), prev);
    expect(vmg.state).toBe('success');
    expectVma(v, { start: 0x0, end: 0x5000, pgoff: 0 });
    expect(mm.cleanupMm()).toBe(2);
  });

  it('vma_merge_new_with_close', () => {
    // prev and next both have close hooks. The new range may still extend
    // prev; next stays, since removing it is what the hook forbids.
    //   01234567
    //   AA***BB   ->   AAAAABB   (A keeps its hook)
    const mm = new TestMm();
    const prev = mm.allocAndLinkVma(0x0, 0x2000, 0, VMA_FLAGS, { close: true });
    mm.allocAndLinkVma(0x5000, 0x7000, 5, VMA_FLAGS, { close: true });
    const vmg = mm.vmg(0, 0, 0, VMA_FLAGS);
    vmgSetRange(vmg, 0x2000, 0x5000, 2, VMA_FLAGS);
    const v = expectSurvivor(vmg, mm.mergeNew(vmg), prev);
    expect(vmg.state).toBe('success');
    expectVma(v, { start: 0x0, end: 0x5000, pgoff: 0 });
    expect(v.hasClose).toBe(true);
    expect(v).not.toBe(prev);
    expect(mm.mapCount).toBe(2);
    mm.cleanupMm();
  });

  it('merge_existing', () => {
    // Every combination of the sticky flags on prev, the modified VMA and next, in both builds.
    for (const cfg of STICKY_CONFIGS) {
      for (const [prevIsSticky, middleIsSticky, nextIsSticky] of permutations(3)) mergeExistingCase(cfg, prevIsSticky!, middleIsSticky!, nextIsSticky!);
    }
  });

  it('anon_vma_non_mergeable', () => {
    const mm = new TestMm();
    const vmg = mm.vmg(0, 0, 0, VMA_FLAGS);

    // V would merge with both prev and next, but prev and next carry different
    // anon_vmas (each compatible with V, which has none): V goes into prev only.
    //      <-->
    //   0123456789
    //   PPPVVVVNNN   ->   PPPPPPPNNN
    mm.allocAndLinkVma(0x0, 0x3000, 0, VMA_FLAGS, { av: 'dummy' });
    mm.allocAndLinkVma(0x3000, 0x7000, 3, VMA_FLAGS);
    let next = mm.allocAndLinkVma(0x7000, 0x9000, 7, VMA_FLAGS, { av: 'dummy2' });
    vmgSetRangeAnonVma(vmg, 0x3000, 0x7000, 3, VMA_FLAGS, null);
    let prev = mm.vma(0x0);
    vmg.prev = prev;
    vmg.middle = mm.vma(0x3000);
    let v = expectSurvivor(vmg, mm.mergeExisting(vmg), prev);
    expect(vmg.state).toBe('success');
    expectVma(v, { start: 0x0, end: 0x7000, pgoff: 0 });
    expect(v).not.toBe(prev);
    expect(mm.vma(0x7000)).toBe(next);
    expect(mm.cleanupMm()).toBe(2);

    // The same with a new range in the gap between prev and next.
    //      <-->
    //   0123456789
    //   PPP****NNN   ->   PPPPPPPNNN
    prev = mm.allocAndLinkVma(0x0, 0x3000, 0, VMA_FLAGS, { av: 'dummy' });
    next = mm.allocAndLinkVma(0x7000, 0x9000, 7, VMA_FLAGS, { av: 'dummy2' });
    vmgSetRangeAnonVma(vmg, 0x3000, 0x7000, 3, VMA_FLAGS, null);
    v = expectSurvivor(vmg, mm.mergeNew(vmg), prev);
    expect(vmg.state).toBe('success');
    expectVma(v, { start: 0x0, end: 0x7000, pgoff: 0 });
    expect(v).not.toBe(prev);
    expect(mm.vma(0x7000)).toBe(next);
    expect(mm.cleanupMm()).toBe(2);
  });

  it('dup_anon_vma', () => {
    // Whenever a merge removes a VMA that has an anon_vma, or moves part of
    // one into a neighbour without one, the surviving VMA gets that anon_vma
    // (dup_anon_vma clones it).
    const mm = new TestMm();
    const vmg = mm.vmg(0, 0, 0, VMA_FLAGS);

    // vma_expand of prev over all of next, which has the anon_vma.
    //   012345
    //   PPPNN   ->   PPPPP
    mm.allocAndLinkVma(0x0, 0x3000, 0, VMA_FLAGS);
    mm.allocAndLinkVma(0x3000, 0x5000, 3, VMA_FLAGS);
    mm.setVma(0x3000, { anonVma: 'dummy' });
    vmgSetRange(vmg, 0x0, 0x5000, 0, VMA_FLAGS);
    vmg.target = mm.vma(0x0);
    vmg.next = mm.vma(0x3000);
    expect(mm.expandExisting(vmg)).toBe(0);
    expect(mm.vma(0x0).anonVma).toBe('dummy');
    expect(vmg.anonVmaOutcome).toBe('duplicated');
    mm.cleanupMm();

    // V merges with both sides; next has the anon_vma, prev takes it.
    //      <>
    //   012345678
    //   PPPVVNNN   ->   PPPPPPPP
    mm.allocAndLinkVma(0x0, 0x3000, 0, VMA_FLAGS);
    mm.allocAndLinkVma(0x3000, 0x5000, 3, VMA_FLAGS);
    mm.allocAndLinkVma(0x5000, 0x8000, 5, VMA_FLAGS, { av: 'dummy' });
    vmgSetRange(vmg, 0x3000, 0x5000, 3, VMA_FLAGS);
    let prev = mm.vma(0x0);
    vmg.prev = prev;
    vmg.middle = mm.vma(0x3000);
    let v = expectSurvivor(vmg, mm.mergeExisting(vmg), prev);
    expect(vmg.state).toBe('success');
    expect([v.start, v.end, v.anonVma]).toEqual([0x0, 0x8000, 'dummy']);
    expect(vmg.anonVmaOutcome).toBe('duplicated');
    mm.cleanupMm();

    // V merges with both sides; V has the anon_vma, prev takes it.
    //      <>
    //   012345678
    //   PPPVVNNN   ->   PPPPPPPP
    mm.allocAndLinkVma(0x0, 0x3000, 0, VMA_FLAGS);
    mm.allocAndLinkVma(0x3000, 0x5000, 3, VMA_FLAGS, { av: 'dummy' });
    mm.allocAndLinkVma(0x5000, 0x8000, 5, VMA_FLAGS);
    vmgSetRangeAnonVma(vmg, 0x3000, 0x5000, 3, VMA_FLAGS, 'dummy');
    prev = mm.vma(0x0);
    vmg.prev = prev;
    vmg.middle = mm.vma(0x3000);
    v = expectSurvivor(vmg, mm.mergeExisting(vmg), prev);
    expect(vmg.state).toBe('success');
    expect([v.start, v.end, v.anonVma]).toEqual([0x0, 0x8000, 'dummy']);
    expect(vmg.anonVmaOutcome).toBe('duplicated');
    mm.cleanupMm();

    // The first part of V goes into prev; V has the anon_vma, prev takes it.
    //      <>
    //   012345678
    //   PPPVVVVV   ->   PPPPPVVV
    mm.allocAndLinkVma(0x0, 0x3000, 0, VMA_FLAGS);
    mm.allocAndLinkVma(0x3000, 0x8000, 3, VMA_FLAGS, { av: 'dummy' });
    vmgSetRange(vmg, 0x3000, 0x5000, 3, VMA_FLAGS);
    prev = mm.vma(0x0);
    vmg.prev = prev;
    vmg.middle = mm.vma(0x3000);
    v = expectSurvivor(vmg, mm.mergeExisting(vmg), prev);
    expect(vmg.state).toBe('success');
    expect([v.start, v.end, v.anonVma]).toEqual([0x0, 0x5000, 'dummy']);
    expect(vmg.anonVmaOutcome).toBe('duplicated');
    mm.cleanupMm();

    // The last part of V goes into next; V has the anon_vma, next takes it.
    //      <>
    //   012345678
    //   VVVVVNNN   ->   VVVNNNNN
    mm.allocAndLinkVma(0x0, 0x5000, 0, VMA_FLAGS, { av: 'dummy' });
    const next = mm.allocAndLinkVma(0x5000, 0x8000, 5, VMA_FLAGS);
    vmgSetRange(vmg, 0x3000, 0x5000, 3, VMA_FLAGS);
    vmg.prev = mm.vma(0x0);
    vmg.middle = mm.vma(0x0);
    v = expectSurvivor(vmg, mm.mergeExisting(vmg), next);
    expect(vmg.state).toBe('success');
    expect([v.start, v.end, v.anonVma]).toEqual([0x3000, 0x8000, 'dummy']);
    expect(vmg.anonVmaOutcome).toBe('duplicated');
    mm.cleanupMm();
  });

  it('vmi_prealloc_fail', () => {
    // The merge would clone V's anon_vma into prev, but preallocating the
    // tree update fails. The merge reports ENOMEM and leaves everything as it
    // was: the live kernel unlinks the clone again, which leaves prev without
    // an anon_vma (the kernel harness's unlink stub does not clear the
    // pointer, so the kernel test finds it still set; see docs/kernel-tests.md).
    //      <>
    //   012345
    //   PPPVV
    const mm = new TestMm();
    const vmg = mm.vmg(0, 0, 0, VMA_FLAGS);
    mm.allocAndLinkVma(0x0, 0x3000, 0, VMA_FLAGS);
    mm.allocAndLinkVma(0x3000, 0x5000, 3, VMA_FLAGS, { av: 'dummy' });
    let before = mm.vmas;
    vmgSetRangeAnonVma(vmg, 0x3000, 0x5000, 3, VMA_FLAGS, 'dummy');
    vmg.prev = mm.vma(0x0);
    vmg.middle = mm.vma(0x3000);
    vmg.failPrealloc = true;
    expect(mm.mergeExisting(vmg)).toBeUndefined();
    expect(vmg.state).toBe('nomem');
    expect(mm.vma(0x0).anonVma).toBeNull();
    expect(mm.vmas).toEqual(before);
    mm.cleanupMm();

    // The same for vma_expand, which is what a new-range merge comes down to.
    //   012345
    //   PPPVV   (prev expanding over V)
    mm.allocAndLinkVma(0x0, 0x3000, 0, VMA_FLAGS);
    mm.allocAndLinkVma(0x3000, 0x5000, 3, VMA_FLAGS);
    mm.setVma(0x3000, { anonVma: 'dummy' });
    before = mm.vmas;
    vmgSetRange(vmg, 0x0, 0x5000, 3, VMA_FLAGS);
    vmg.target = mm.vma(0x0);
    vmg.next = mm.vma(0x3000);
    vmg.failPrealloc = true;
    expect(mm.expandExisting(vmg)).toBe(-ENOMEM);
    expect(vmg.state).toBe('nomem');
    expect(mm.vma(0x0).anonVma).toBeNull();
    expect(mm.vmas).toEqual(before);
    mm.cleanupMm();
  });

  it('merge_extend', () => {
    // vma_merge_extend: V grows into the gap up to the next VMA and merges with it.
    //    <>
    //   01234
    //   V  N   ->   VVVV
    // The extension is a new range with V's own attributes (pgoff 1 follows V's).
    const report = runKernelScenario([
      `vma add 0x0 0x1000 0 ${VMA_FLAGS}`,
      `vma add 0x3000 0x4000 3 ${VMA_FLAGS}`,
      `vma merge-new 0x1000 0x3000 1 ${VMA_FLAGS}`,
    ]);
    expect(report.results[2]).toMatchObject({ ret: '0x0-0x4000', errno: null });
    expect(report.vmas.map((v) => [v.start, v.end, v.pgoff])).toEqual([['0x0', '0x4000', 0]]);
  });

  it('expand_only_mode', () => {
    // just_expand: only prev may grow, and the VMA before it is never looked at.
    //   0123456789
    //   AA PP****   ->   AA PPPPPP
    const mm = new TestMm();
    mm.allocAndLinkVma(0x0, 0x2000, 0, VMA_FLAGS);
    const prev = mm.allocAndLinkVma(0x3000, 0x5000, 3, VMA_FLAGS);
    const vmg = mm.vmg(0x5000, 0x9000, 5, VMA_FLAGS);
    vmg.prev = prev;
    vmg.justExpand = true;
    const v = expectSurvivor(vmg, mm.mergeNewRange(vmg), prev);
    expect(vmg.state).toBe('success');
    expectVma(v, { start: 0x3000, end: 0x9000, pgoff: 3 });
    expect(v).not.toBe(prev);
    expect(mm.find(0x3000)).toBe(v);
    mm.cleanupMm();
  });
});

/**
 * One run of the kernel's merge_new cases. `isSticky` puts the sticky flags
 * on every proposed range (so on D too); the others on A, B and C alone.
 * The expected sticky state of each result is the union of what it merged:
 * the kernel test checks that the listed VMAs' sticky flags survive, this
 * also checks that nothing else brings them in.
 */
function mergeNewCase(cfg: StickyConfig, isSticky: boolean, aIsSticky: boolean, bIsSticky: boolean, cIsSticky: boolean): void {
  const label = `${cfg.name}; sticky range ${isSticky}, A ${aIsSticky}, B ${bIsSticky}, C ${cIsSticky}`;
  const mm = new TestMm(cfg.setup);
  const sticky = (on: boolean): string => (on ? withFlags(VMA_FLAGS, cfg.sticky) : VMA_FLAGS);
  const f = sticky(isSticky);
  const vmg = mm.vmg(0, 0, 0, f);

  //   0123456789abc
  //   AA B       CC
  mm.allocAndLinkVma(0x0, 0x2000, 0, sticky(isSticky || aIsSticky));
  mm.allocAndLinkVma(0x3000, 0x4000, 3, sticky(isSticky || bIsSticky));
  mm.allocAndLinkVma(0xb000, 0xc000, 0xb, sticky(isSticky || cIsSticky));
  let aSticky = isSticky || aIsSticky;

  // No merge: D touches nothing.
  //   0123456789abc
  //   AA B   **  CC
  let r = mm.tryMergeNewVma(vmg, 0x7000, 0x9000, 7, f);
  expect(r.merged, label).toBe(false);
  expect(mm.mapCount, label).toBe(4);

  // Both sides: A grows over the range and B, and B goes. A's close hook
  // does not matter (A is never removed); A takes B's anon_vma.
  //   0123456789abc
  //   AA*B   DD  CC   ->   AAAA   DD  CC
  mm.setVma(0x0, { hasClose: true });
  mm.setVma(0x3000, { anonVma: 'dummy' });
  let a = mm.vma(0x0);
  r = mm.tryMergeNewVma(vmg, 0x2000, 0x3000, 2, f);
  let v = expectSurvivor(vmg, r.vma, a);
  expect(r.merged, label).toBe(true);
  expectVma(v, { start: 0x0, end: 0x4000, pgoff: 0, anonVma: 'dummy' }, label);
  expect(v, label).not.toBe(a);
  expect(mm.mapCount, label).toBe(3);
  aSticky ||= isSticky || bIsSticky;
  expect(hasSticky(v, cfg.sticky), label).toBe(aSticky);

  // prev only: A grows by a page.
  //   0123456789abc
  //   AAAA*  DD  CC   ->   AAAAA  DD  CC
  a = mm.vma(0x0);
  r = mm.tryMergeNewVma(vmg, 0x4000, 0x5000, 4, f);
  v = expectSurvivor(vmg, r.vma, a);
  expect(r.merged, label).toBe(true);
  expectVma(v, { start: 0x0, end: 0x5000, pgoff: 0, anonVma: 'dummy' }, label);
  expect(v, label).not.toBe(a);
  expect(mm.mapCount, label).toBe(3);
  aSticky ||= isSticky;
  expect(hasSticky(v, cfg.sticky), label).toBe(aSticky);

  // next only: D grows down by a page. D's close hook does not matter: D is
  // the VMA that grows.
  //   0123456789abc
  //   AAAAA *DD  CC   ->   AAAAA DDD  CC
  mm.setVma(0x7000, { anonVma: 'dummy', hasClose: true });
  const d = mm.vma(0x7000);
  r = mm.tryMergeNewVma(vmg, 0x6000, 0x7000, 6, f);
  v = expectSurvivor(vmg, r.vma, d);
  expect(r.merged, label).toBe(true);
  expectVma(v, { start: 0x6000, end: 0x9000, pgoff: 6, anonVma: 'dummy' }, label);
  expect(v, label).not.toBe(d);
  expect(mm.mapCount, label).toBe(3);
  expect(hasSticky(v, cfg.sticky), label).toBe(isSticky);

  // Both sides: A grows over the range and D, and D goes. D's close hook is
  // gone first, as it would otherwise keep D (and make this a prev-only merge).
  //   0123456789abc
  //   AAAAA*DDD  CC   ->   AAAAAAAAA  CC
  mm.setVma(0x6000, { hasClose: false });
  a = mm.vma(0x0);
  r = mm.tryMergeNewVma(vmg, 0x5000, 0x6000, 5, f);
  v = expectSurvivor(vmg, r.vma, a);
  expect(r.merged, label).toBe(true);
  expectVma(v, { start: 0x0, end: 0x9000, pgoff: 0, anonVma: 'dummy' }, label);
  expect(v, label).not.toBe(a);
  expect(mm.mapCount, label).toBe(2);
  aSticky ||= isSticky;
  expect(hasSticky(v, cfg.sticky), label).toBe(aSticky);

  // next only: C grows down by a page.
  //   0123456789abc
  //   AAAAAAAAA *CC   ->   AAAAAAAAA CCC
  mm.setVma(0xb000, { anonVma: 'dummy' });
  const c = mm.vma(0xb000);
  r = mm.tryMergeNewVma(vmg, 0xa000, 0xb000, 0xa, f);
  v = expectSurvivor(vmg, r.vma, c);
  expect(r.merged, label).toBe(true);
  expectVma(v, { start: 0xa000, end: 0xc000, pgoff: 0xa, anonVma: 'dummy' }, label);
  expect(v, label).not.toBe(c);
  expect(mm.mapCount, label).toBe(2);
  const cSticky = isSticky || cIsSticky;
  expect(hasSticky(v, cfg.sticky), label).toBe(cSticky);

  // Both sides: A grows over the range and C, and C goes.
  //   0123456789abc
  //   AAAAAAAAA*CCC   ->   AAAAAAAAAAAAA
  a = mm.vma(0x0);
  r = mm.tryMergeNewVma(vmg, 0x9000, 0xa000, 0x9, f);
  v = expectSurvivor(vmg, r.vma, a);
  expect(r.merged, label).toBe(true);
  expectVma(v, { start: 0x0, end: 0xc000, pgoff: 0, anonVma: 'dummy' }, label);
  expect(v, label).not.toBe(a);
  expect(mm.mapCount, label).toBe(1);
  aSticky ||= isSticky || cSticky;
  expect(hasSticky(v, cfg.sticky), label).toBe(aSticky);

  // What is left is one VMA over everything.
  //   0123456789abc
  //   AAAAAAAAAAAAA
  expect(mm.vmas.map((x) => [x.start, x.end, x.pgoff, x.anonVma]), label).toEqual([[0x0, 0xc000, 0, 'dummy']]);
}

/**
 * One run of the kernel's merge_existing cases: the modified VMA is V, its
 * flags (with V's sticky flags) are the requested ones, and V has the
 * anon_vma `dummy`, which the VMA that takes V's range over must end up with.
 */
function mergeExistingCase(cfg: StickyConfig, prevIsSticky: boolean, middleIsSticky: boolean, nextIsSticky: boolean): void {
  const label = `${cfg.name}; sticky prev ${prevIsSticky}, middle ${middleIsSticky}, next ${nextIsSticky}`;
  const mm = new TestMm(cfg.setup);
  const sticky = (on: boolean): string => (on ? withFlags(VMA_FLAGS, cfg.sticky) : VMA_FLAGS);
  const f = sticky(middleIsSticky);
  const prevFlags = sticky(prevIsSticky);
  const nextFlags = sticky(nextIsSticky);
  const vmg = mm.vmg(0, 0, 0, f);

  // Right, partial: the end of V goes into next. The close hooks on V and
  // next do not matter, as neither is removed.
  //      <->
  //   0123456789
  //     VVVVNNN   ->   VNNNNNN
  let vma = mm.allocAndLinkVma(0x2000, 0x6000, 2, f, { close: true, av: 'dummy' });
  let next = mm.allocAndLinkVma(0x6000, 0x9000, 6, nextFlags, { close: true });
  vmgSetRangeAnonVma(vmg, 0x3000, 0x6000, 3, f, 'dummy');
  vmg.middle = vma;
  vmg.prev = vma;
  let v = expectSurvivor(vmg, mm.mergeExisting(vmg), next);
  expect(vmg.state, label).toBe('success');
  expectVma(v, { start: 0x3000, end: 0x9000, pgoff: 3, anonVma: 'dummy' }, label);
  expectVma(mm.vma(0x2000), { start: 0x2000, end: 0x3000, pgoff: 2 }, label);
  expect(mm.vma(0x2000), label).not.toBe(vma);
  expect(v, label).not.toBe(next);
  expect(mm.mapCount, label).toBe(2);
  expect(hasSticky(v, cfg.sticky), label).toBe(middleIsSticky || nextIsSticky);
  expect(mm.cleanupMm(), label).toBe(2);

  // Right, whole: all of V goes into next, and V is removed.
  //     <-->
  //   0123456789
  //     VVVVNNN   ->   NNNNNNN
  vma = mm.allocAndLinkVma(0x2000, 0x6000, 2, f, { av: 'dummy' });
  next = mm.allocAndLinkVma(0x6000, 0x9000, 6, nextFlags, { close: true });
  vmgSetRangeAnonVma(vmg, 0x2000, 0x6000, 2, f, 'dummy');
  vmg.middle = vma;
  v = expectSurvivor(vmg, mm.mergeExisting(vmg), next);
  expect(vmg.state, label).toBe('success');
  expectVma(v, { start: 0x2000, end: 0x9000, pgoff: 2, anonVma: 'dummy' }, label);
  expect(v, label).not.toBe(next);
  expect(mm.mapCount, label).toBe(1);
  expect(hasSticky(v, cfg.sticky), label).toBe(middleIsSticky || nextIsSticky);
  expect(mm.cleanupMm(), label).toBe(1);

  // Left, partial: the start of V goes into prev.
  //      <->
  //   0123456789
  //   PPPVVVV   ->   PPPPPPV
  let prev = mm.allocAndLinkVma(0x0, 0x3000, 0, prevFlags, { close: true });
  vma = mm.allocAndLinkVma(0x3000, 0x7000, 3, f, { close: true, av: 'dummy' });
  vmgSetRangeAnonVma(vmg, 0x3000, 0x6000, 3, f, 'dummy');
  vmg.prev = prev;
  vmg.middle = vma;
  v = expectSurvivor(vmg, mm.mergeExisting(vmg), prev);
  expect(vmg.state, label).toBe('success');
  expectVma(v, { start: 0x0, end: 0x6000, pgoff: 0, anonVma: 'dummy' }, label);
  expectVma(mm.vma(0x6000), { start: 0x6000, end: 0x7000, pgoff: 6 }, label);
  expect(v, label).not.toBe(prev);
  expect(mm.vma(0x6000), label).not.toBe(vma);
  expect(mm.mapCount, label).toBe(2);
  expect(hasSticky(v, cfg.sticky), label).toBe(prevIsSticky || middleIsSticky);
  expect(mm.cleanupMm(), label).toBe(2);

  // Left, whole: all of V goes into prev, and V is removed.
  //      <-->
  //   0123456789
  //   PPPVVVV   ->   PPPPPPP
  prev = mm.allocAndLinkVma(0x0, 0x3000, 0, prevFlags, { close: true });
  vma = mm.allocAndLinkVma(0x3000, 0x7000, 3, f, { av: 'dummy' });
  vmgSetRangeAnonVma(vmg, 0x3000, 0x7000, 3, f, 'dummy');
  vmg.prev = prev;
  vmg.middle = vma;
  v = expectSurvivor(vmg, mm.mergeExisting(vmg), prev);
  expect(vmg.state, label).toBe('success');
  expectVma(v, { start: 0x0, end: 0x7000, pgoff: 0, anonVma: 'dummy' }, label);
  expect(v, label).not.toBe(prev);
  expect(mm.mapCount, label).toBe(1);
  expect(hasSticky(v, cfg.sticky), label).toBe(prevIsSticky || middleIsSticky);
  expect(mm.cleanupMm(), label).toBe(1);

  // Both: prev absorbs V and next; both are removed.
  //      <-->
  //   0123456789
  //   PPPVVVVNNN   ->   PPPPPPPPPP
  prev = mm.allocAndLinkVma(0x0, 0x3000, 0, prevFlags, { close: true });
  vma = mm.allocAndLinkVma(0x3000, 0x7000, 3, f, { av: 'dummy' });
  mm.allocAndLinkVma(0x7000, 0x9000, 7, nextFlags);
  vmgSetRangeAnonVma(vmg, 0x3000, 0x7000, 3, f, 'dummy');
  vmg.prev = prev;
  vmg.middle = vma;
  v = expectSurvivor(vmg, mm.mergeExisting(vmg), prev);
  expect(vmg.state, label).toBe('success');
  expectVma(v, { start: 0x0, end: 0x9000, pgoff: 0, anonVma: 'dummy' }, label);
  expect(v, label).not.toBe(prev);
  expect(mm.mapCount, label).toBe(1);
  expect(hasSticky(v, cfg.sticky), label).toBe(prevIsSticky || middleIsSticky || nextIsSticky);
  expect(mm.cleanupMm(), label).toBe(1);

  // Ranges that touch neither edge of V, or only an edge whose neighbour is
  // not where the range is: none merges. (A range always lies within V.)
  //       -
  //        -
  //         -
  //       <->
  //       <>
  //   0123456789a
  //   PPPVVVVVNNN
  // (the kernel tries the second one twice)
  mm.allocAndLinkVma(0x0, 0x3000, 0, prevFlags);
  vma = mm.allocAndLinkVma(0x3000, 0x8000, 3, f);
  mm.allocAndLinkVma(0x8000, 0xa000, 8, nextFlags);
  const ranges: [number, number, number][] = [
    [0x4000, 0x5000, 4],
    [0x5000, 0x6000, 5],
    [0x6000, 0x7000, 6],
    [0x4000, 0x7000, 4],
    [0x4000, 0x6000, 4],
    [0x5000, 0x6000, 5],
  ];
  for (const [start, end, pgoff] of ranges) {
    vmgSetRange(vmg, start, end, pgoff, f);
    vmg.prev = vma;
    vmg.middle = vma;
    expect(mm.mergeExisting(vmg), `${label}; ${start}-${end}`).toBeUndefined();
    expect(vmg.state, `${label}; ${start}-${end}`).toBe('nomerge');
  }
  expect(mm.cleanupMm(), label).toBe(3);
}
