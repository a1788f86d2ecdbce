/**
 * The shrinker of `vmasim fuzz`: delta debugging over lines, then simpler
 * words; and the whole path from a divergence to a saved minimal scenario,
 * with a fake kernel and a fake comparator.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario } from '../commands/parse.js';
import { runScenario } from '../commands/run-scenario.js';
import type { RunReport } from '../snapshots/run-report.js';
import type { Difference } from './compare.js';
import { generateScenario } from './fuzz-generate.js';
import { checkScenario, runFuzz, type Comparator } from './fuzz-run.js';
import { shrinkLines, simplerLines } from './fuzz-shrink.js';

const parses = (lines: readonly string[]) => !('error' in parseScenario(lines.join('\n') + '\n', 't.vma'));

describe('shrinkLines', () => {
  it('reduces to exactly the lines the failure needs, keeping a file line an mmap names', async () => {
    const lines = [
      'file f0 8p',
      'file f1 4p',
      'mmap 0x100000000000 2p rw- fixed',
      'mprotect 0x100000000000 1p r--',
      'mmap 0x100000004000 1p r-- fixed file=f0 off=0',
      'touch 0x100000000000',
      'madvise 0x100000000000 1p dontfork',
      'munmap 0x100000008000 1p',
      'mlock 0x100000004000 1p',
      'touch 0x100000004000 read',
      'mremap 0x100000000000 1p 2p maymove',
      'mseal 0x100000004000 1p',
    ];
    let calls = 0;
    const fails = async (c: readonly string[]) => {
      calls++;
      // A synthetic bug: it shows when the file mapping and the later read of it are both there.
      return parses(c) && c.some((l) => l.startsWith('mmap 0x100000004000 ') && l.includes('file=')) && c.includes('touch 0x100000004000 read');
    };
    const r = await shrinkLines(lines, fails);
    expect(r.lines).toHaveLength(3);
    expect(r.lines[0]).toMatch(/^file f0 /);
    expect(r.lines[1]).toMatch(/^mmap 0x100000004000 /);
    expect(r.lines[1]).toContain('file=f0');
    expect(r.lines[2]).toBe('touch 0x100000004000 read');
    expect(r.tests).toBe(calls);
    expect(await fails(r.lines)).toBe(true);
  });

  it('simplifies numbers and drops optional words while the failure stays', async () => {
    const start = ['mmap 0x100000000000 0x5123 rwx shared fixed populate locked', 'mprotect 0x100000000000 16K r--'];
    const r = await shrinkLines(start, async (c) => parses(c) && c.length === 2 && c[0]!.includes('shared') && c[1]!.startsWith('mprotect'));
    expect(r.lines).toEqual(['mmap 0x100000000000 0 rw- shared fixed', 'mprotect 0x100000000000 0 rw-']);
  });

  it('stops after maxTests predicate calls', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `touch 0x${(0x100000000000 + i * 4096).toString(16)}`);
    const r = await shrinkLines(lines, async (c) => c.length > 3, { maxTests: 10 });
    expect(r.tests).toBe(10);
  });

  it('offers simpler forms of a line', () => {
    expect(simplerLines('mmap 0x100000000000 3p rw- fixed populate')).toContain('mmap 0x100000000000 3p rw- fixed');
    expect(simplerLines('mmap 0x100000000000 3p rw- fixed')).toContain('mmap 0x100000000000 1p rw- fixed');
    expect(simplerLines('munmap 0x100000000123 1p')).toContain('munmap 0x100000000000 1p');
    expect(simplerLines('mmap 0x100000000000 1p r-- noreplace')).toContain('mmap 0x100000000000 1p rw- noreplace');
    expect(simplerLines('mmap 0x100000000000 1p r-- noreplace')).toContain('mmap 0x100000000000 1p r-- fixed');
    expect(simplerLines('mremap 0x100000000000 1p 1p maymove fixed=0x100000003800')).toContain(
      'mremap 0x100000000000 1p 1p maymove fixed=0x100000003000',
    );
    expect(simplerLines('touch 0x100000000000 read')).toEqual([]);
  });
});

describe('a divergence from generation to a saved file (fake kernel, fake comparator)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** The comparator calls it a divergence when a successful mprotect left an r--p VMA. */
  const suspicious = (r: RunReport) => r.results.some((x) => x.command.startsWith('mprotect') && x.errno === null) && r.vmas.some((v) => v.perms === 'r--p');
  const compare: Comparator = (sim) =>
    suspicious(sim) ? [{ where: 'vmas', sim: sim.vmas.map((v) => `${v.start}-${v.end} ${v.perms}`).join('\n'), kernel: '(fake)' } satisfies Difference] : [];

  it('shrinks it to one mmap and one mprotect and saves it with its seed and the difference', async () => {
    let seed = 1;
    for (; seed < 500; seed++) {
      const r = runScenario(generateScenario(seed, { ops: 30 }).text, 'x.vma');
      if (r.ok && suspicious(r.report)) break;
    }
    expect(seed).toBeLessThan(500);
    const dir = mkdtempSync(join(tmpdir(), 'vmasim-fuzz-test-'));
    dirs.push(dir);
    // The fake kernel answers with the simulator's report for the same lines.
    const runKernel = async (lines: readonly { line: number; text: string }[]): Promise<RunReport> => {
      const body: string[] = [];
      for (const l of lines) body[l.line - 1] = l.text;
      const r = runScenario(Array.from(body, (x) => x ?? '').join('\n') + '\n', 'k.vma');
      if (!r.ok) throw new Error(r.message);
      return r.report;
    };
    const s = await runFuzz({ seed, count: 1, ops: 30, outDir: dir, runKernel, compare, concurrency: 1 });
    expect(s.scenarios).toBe(1);
    expect(s.findings).toHaveLength(1);
    const f = s.findings[0]!;
    expect(f.kind).toBe('divergence');
    expect(f.flaky).toBe(false);
    expect(f.path).toBe(join(dir, `fuzz-divergence-${seed}.vma`));
    expect(f.shrunk).toHaveLength(2);
    expect(f.shrunk[0]).toMatch(/^mmap /);
    expect(f.shrunk[1]).toMatch(/^mprotect .* r--$/);
    expect(readdirSync(dir)).toEqual([`fuzz-divergence-${seed}.vma`]);
    const saved = readFileSync(f.path, 'utf8');
    expect(saved).toContain(`seed ${seed}`);
    expect(saved).toContain(`vmasim fuzz --seed ${seed} --count 1 --ops 30`);
    expect(saved).toMatch(/# +simulator +\| kernel/);
    expect(saved).toContain('(fake)');
    const body = saved.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(body).toEqual(f.shrunk);
    // The saved file itself still diverges, with the same fake pair.
    const again = await checkScenario(saved, f.path, { runKernel, compare });
    expect(again.kind).toBe('diverge');
  });
});
