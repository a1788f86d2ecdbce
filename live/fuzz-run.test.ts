/**
 * `vmasim fuzz` end to end: argument errors, the missing-helper message, the
 * progress and summary text, interruption and helper failures (with the
 * simulator standing in for the kernel), and a small real run against the
 * live kernel (skipped, with the reason, when the helper cannot be built here).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureHelper } from './build-helper.js';
import { packageRoot } from './paths.js';
import { runFuzzCli, summaryText, type FuzzCliIo } from './fuzz-cli.js';
import { runScenario } from '../commands/run-scenario.js';
import type { RunReport } from '../snapshots/run-report.js';
import { generateScenario } from './fuzz-generate.js';
import { runFuzz } from './fuzz-run.js';
import { LiveHelperError, type ScenarioLine } from './kernel-runner.js';

let helper: string | null = null;
let whyNot = '';
try {
  helper = ensureHelper();
} catch (e) {
  whyNot = e instanceof Error ? e.message : String(e);
  console.warn(`live fuzz tests skipped: the kernel helper cannot be built here (${whyNot})`);
}

function capture(tty = false): { io: FuzzCliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s), isTTY: tty, columns: 100 },
    },
    out: () => out,
    err: () => err,
  };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vmasim-fuzz-test-'));
  dirs.push(d);
  return d;
}

describe('vmasim fuzz: arguments', () => {
  it.each([
    [{ count: 'ten' }, "--count must be a whole number, got 'ten'"],
    [{ count: '0' }, "--count must be between 1 and"],
    [{ ops: '-3' }, "--ops must be a whole number, got '-3'"],
    [{ seed: '1.5' }, "--seed must be a whole number, got '1.5'"],
    [{ seed: '99999999999999999999' }, '--seed must be between 0 and'],
    [{ out: '' }, '--out must name a folder'],
  ])('%j is refused with exit 2 and one line', async (values, message) => {
    const c = capture();
    expect(await runFuzzCli(values, { ...c.io, helperPath: null })).toBe(2);
    expect(c.err()).toContain(message);
    expect(c.err().trim().split('\n')).toHaveLength(1);
    expect(c.out()).toBe('');
  });

  it('says in one line that the helper is missing', async () => {
    const c = capture();
    expect(await runFuzzCli({ count: '1' }, { ...c.io, helperPath: '/nonexistent/vmasim-helper' })).toBe(2);
    expect(c.err().trim().split('\n')).toHaveLength(1);
    expect(c.err()).toMatch(/kernel helper .* is missing: run `npm run build`/);
  });
});

describe('vmasim fuzz: summary', () => {
  it('gives scenarios, seeds, ops, divergences with their files, and the time', () => {
    const text = summaryText(
      {
        scenarios: 3,
        ops: 120,
        seedFirst: 7,
        seedLast: 9,
        elapsedMs: 2500,
        shrinkMs: 1000,
        interrupted: false,
        findings: [
          {
            seed: 8,
            kind: 'divergence',
            path: '/tmp/x/fuzz-divergence-8.vma',
            original: new Array(41).fill('touch 0x100000000000'),
            shrunk: ['mmap 0x100000000000 1p rw- fixed', 'mprotect 0x100000000000 1p r--'],
            tests: 30,
            diffs: [{ where: 'line 2: mprotect 0x100000000000 1p r--', sim: '0', kernel: '-1 EINVAL' }],
            message: null,
            flaky: false,
          },
        ],
      },
      { ops: 40 },
    );
    expect(text).toContain('3 scenario(s), seeds 7..9, 120 ops');
    expect(text).toContain('1 divergence(s); 2.5 s (1.0 s shrinking)');
    expect(text).toContain('seed 8: divergence at line 2: mprotect 0x100000000000 1p r-- (41 -> 2 lines) saved to /tmp/x/fuzz-divergence-8.vma');
  });
});

/** A stand-in for the live kernel: the simulator's own report for the same lines. */
async function simAsKernel(lines: readonly ScenarioLine[]): Promise<RunReport> {
  const body: string[] = [];
  for (const l of lines) body[l.line - 1] = l.text;
  const r = runScenario(Array.from(body, (x) => x ?? '').join('\n') + '\n', 'k.vma');
  if (!r.ok) throw new Error(r.message);
  return r.report;
}

describe('runFuzz without the live kernel', () => {
  it('stops starting scenarios when asked, and says it was interrupted', async () => {
    let calls = 0;
    const s = await runFuzz({ seed: 10, count: 50, ops: 10, outDir: tempDir(), runKernel: simAsKernel, concurrency: 2, shouldStop: () => ++calls > 6 });
    expect(s.interrupted).toBe(true);
    expect(s.scenarios).toBeLessThan(50);
    expect(s.findings).toEqual([]);
  });

  it('saves a scenario on which the kernel helper fails, shrunk to what makes it fail', async () => {
    const dir = tempDir();
    const runKernel = async (lines: readonly ScenarioLine[]) => {
      if (lines.some((l) => l.cmd.kind === 'mseal')) throw new LiveHelperError('the kernel helper failed (exit status 1): line 3: scenario process 0 died', 'vmasim-helper: process 0 died\n');
      return simAsKernel(lines);
    };
    let seed = 1;
    while (!/^mseal /m.test(generateScenario(seed, { ops: 20 }).text)) seed++;
    const s = await runFuzz({ seed, count: 1, ops: 20, outDir: dir, runKernel, concurrency: 1 });
    expect(s.findings).toHaveLength(1);
    const f = s.findings[0]!;
    expect(f.kind).toBe('kernel-error');
    expect(f.path).toBe(join(dir, `fuzz-kernel-error-${seed}.vma`));
    expect(f.shrunk).toHaveLength(1);
    expect(f.shrunk[0]).toMatch(/^mseal /);
    expect(f.message).toContain('process 0 died');
  });

  it('ends with one line, exit 2, when the helper cannot be started', async () => {
    const c = capture();
    const runKernel = async () => {
      throw new LiveHelperError('cannot start the kernel helper /x/vmasim-helper: spawn /x/vmasim-helper EACCES');
    };
    expect(await runFuzzCli({ count: '5', out: tempDir() }, { ...c.io, helperPath: null, run: { runKernel } })).toBe(2);
    expect(c.err()).toMatch(/vmasim: fuzz: cannot start the kernel helper .*EACCES\n$/);
    expect(c.out()).toBe('');
  });
});

describe('SimWatchdog', () => {
  it('ends a process whose simulator run does not end, naming the seed', () => {
    const script = join(tempDir(), 'endless.mts');
    writeFileSync(
      script,
      `import { SimWatchdog } from ${JSON.stringify(join(packageRoot(), 'live', 'fuzz-run.ts'))};
const w = new SimWatchdog(300, 'vmasim fuzz --seed SEED --count 1 --ops 7');
w.enter(42);
for (const t = Date.now(); Date.now() - t < 20000; );
console.log('not stopped');
`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: packageRoot(), encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout).not.toContain('not stopped');
    expect(r.signal === 'SIGTERM' || r.signal === 'SIGKILL').toBe(true);
    expect(r.stderr).toContain('the simulator has been running one scenario of seed 42 for more than 0 s');
    expect(r.stderr).toContain('vmasim fuzz --seed 42 --count 1 --ops 7');
  });

  it('lets runs that end in time alone', async () => {
    const s = await runFuzz({ seed: 3, count: 4, ops: 10, outDir: tempDir(), runKernel: simAsKernel, simTimeoutMs: 5000 });
    expect(s.scenarios).toBe(4);
  });
});

describe('vmasim fuzz: progress and summary (the simulator standing in for the kernel)', () => {
  it('prints plain progress lines off a terminal, then the summary with the seeds', async () => {
    const c = capture(false);
    const code = await runFuzzCli({ seed: '500', count: '12', ops: '10', out: tempDir() }, { ...c.io, helperPath: null, run: { runKernel: simAsKernel } });
    expect(code).toBe(0);
    expect(c.err()).toContain('vmasim fuzz: 12 scenario(s) of 10 ops, seeds 500..511');
    expect(c.err()).toMatch(/vmasim fuzz: \d+\/12 scenarios, \d+ ops, 0 divergence\(s\)/);
    expect(c.err()).not.toContain('\r');
    expect(c.out()).toMatch(/^vmasim fuzz: 12 scenario\(s\), seeds 500\.\.511, 120 ops \(10 a scenario\)\n0 divergence\(s\); /);
  });

  it('draws a bar on a terminal', async () => {
    const c = capture(true);
    expect(await runFuzzCli({ seed: '900', count: '5', ops: '5', out: tempDir() }, { ...c.io, helperPath: null, run: { runKernel: simAsKernel } })).toBe(0);
    expect(c.err()).toMatch(/\r\[[#.]+\] \d+\/5/);
    expect(c.out()).toContain('seeds 900..904');
  });
});

// Without `file` lines, so that the helper makes no folder in /tmp while other test files count theirs.
describe.skipIf(helper === null)('vmasim fuzz on the live kernel', () => {
  it('runs 20 scenarios of 15 ops on both sides', async () => {
    const s = await runFuzz({ seed: 1, count: 20, ops: 15, files: false, outDir: tempDir() });
    expect(s.scenarios).toBe(20);
    expect(s.ops).toBe(300);
    expect([s.seedFirst, s.seedLast]).toEqual([1, 20]);
    expect(s.interrupted).toBe(false);
    for (const f of s.findings) expect(f.shrunk.length).toBeLessThanOrEqual(f.original.length);
  });

  // The differential check CI runs: a few hundred scenarios, with files and forks, must all agree.
  it('finds no divergence in 300 scenarios of 40 ops (200 plain, 100 with forks)', async () => {
    const plain = await runFuzz({ seed: 2_000_000, count: 200, ops: 40, outDir: tempDir() });
    const forked = await runFuzz({ seed: 3_000_000, count: 100, ops: 40, forks: true, outDir: tempDir() });
    for (const s of [plain, forked]) {
      console.log(`differential fuzz: ${s.scenarios} scenarios, seeds ${s.seedFirst}..${s.seedLast}, ${s.ops} ops, ${s.findings.length} divergence(s)`);
      expect(s.findings.map((f) => f.seed)).toEqual([]);
    }
  }, 300_000);
});
