import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportSnapshot } from './exporters.js';
import { run } from './testing/sessions.js';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));
const SCENARIOS = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.vma'))
  .map((f) => f.slice(0, -'.vma'.length))
  .sort();

describe('export kernel-c', () => {
  it('has golden scenarios', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(8);
  });

  it.each(SCENARIOS)('%s matches its reviewed golden file', (name) => {
    const engine = run(readFileSync(join(GOLDEN, `${name}.vma`), 'utf8'), `${name}.vma`);
    const out = exportSnapshot('kernel-c', engine, { path: `${name}.c` });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.notes).toEqual([`add 'TEST(${name});' to main() in tools/testing/vma/vma.c (Linux v6.18) to run it`]);
    const file = join(GOLDEN, `${name}.c`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, out.text);
    expect(out.text).toBe(readFileSync(file, 'utf8'));
  });

  it('names the test after the file, or after the event', () => {
    const engine = run('vma add 0x1000 0x2000 1 rd,mr\nvma split 0x1000\nvma add 0x2000 0x4000 2 rd,mr\nvma split 0x3000\n');
    const named = exportSnapshot('kernel-c', engine, { path: '/tmp/Split Twice-2.c' });
    expect(named.ok && named.text).toContain('static bool test_split_twice_2(void)');
    const unnamed = exportSnapshot('kernel-c', engine);
    expect(unnamed.ok && unnamed.text).toContain('static bool test_vmasim_event_4(void)');
  });

  it.each([
    ['no event', '', /no event has happened yet/],
    ['a system call', 'mmap 0x100000000000 4K rw- fixed\n', /^kernel-c exports the current event as one operation of the internal VMA API \(a 'vma' line\); event 1 is 'mmap 0x100000000000 4K rw- fixed'$/],
    ['a line vmasim refused itself', 'vma add 0x1000 0x3000 1 rd,mr\nvma split 0x1000\n', /^event 2 \('vma split 0x1000'\) was refused by vmasim's own check \(EINVAL\)/],
    ['an overlap vmasim refused', 'vma add 0x1000 0x3000 1 rd,mr\nvma add 0x2000 0x4000 2 rd,mr\n', /was refused by vmasim's own check \(EEXIST\)/],
    ['a sticky flag', 'vma add 0x1000 0x3000 1 rd,mr,gu\nvma split 0x2000\n', /^event 2: the VMA at 0x1000 has 'gu' or 'sd', sticky flags the v6.18 harness does not have$/],
    ['a sticky flag set by the operation', 'vma add 0x1000 0x3000 1 rd,mr\nvma modify 0x1000 0x2000 rd,mr,gu\n', /'gu' or 'sd', sticky flags the v6.18 harness does not have/],
    [
      'an anonymous name',
      'config anon_vma_name on\nmmap 0x100000000000 8K rw- fixed\nname 0x100000000000 8K x\nvma split 0x100000001000\n',
      /has an anonymous name, which the harness does not model/,
    ],
  ])('refuses %s', (_what, text, message) => {
    const out = exportSnapshot('kernel-c', run(text));
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error).toMatch(message);
  });

  it('keeps errors the kernel function returns itself', () => {
    const sealed = exportSnapshot('kernel-c', run('vma add 0x1000 0x3000 1 rd,mr,sl\nvma unmap 0x1000 0x2000\n'));
    expect(sealed.ok && sealed.text).toContain('ASSERT_EQ(do_vmi_munmap(&vmi, &mm, 0x1000, 0x1000, NULL, false), -EPERM);');
    expect(sealed.ok && sealed.text).toContain('(1UL << 42) /* VM_SEALED */');
    const nomem = exportSnapshot('kernel-c', run('vma add 0x1000 0x3000 1 rd,mr\nvma add 0x3000 0x4000 3 rd,mr\nvma expand 0x1000 0x4000 fail-prealloc\n'));
    expect(nomem.ok && nomem.text).toContain('\tfail_prealloc = true;\n');
    expect(nomem.ok && nomem.text).toContain('ASSERT_EQ(expand_existing(&vmg), -ENOMEM);');
  });

  it('writes a fork child with a chain of its anon_vma and its parent\u2019s', () => {
    const out = exportSnapshot('kernel-c', run('vma add 0x1000 0x3000 1 rd,wr,mr,mw av=p\nfork\nprocess 1\nvma split 0x2000\n'));
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.text).toContain('struct anon_vma_chain avc_a[2] = {};');
    expect(out.text).toContain('\tlist_add_tail(&avc_a[1].same_vma, &vma_a->anon_vma_chain);\n');
  });
});
