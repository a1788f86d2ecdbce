/**
 * Runs small scenarios on the live kernel and checks the results against what
 * the shared spec (kernel-vma-semantics.md, scenario-language.md) says the kernel does.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADVICES, type Advice, type Command, type MmapFlags } from '../commands/ast.js';
import type { RunReport, VmaReport } from '../snapshots/run-report.js';
import { ensureHelper } from './build-helper.js';
import { readHostKernelConfig, type HostKernelConfig } from './host-config.js';
import { buildHelperInput, LiveHelperError, LiveRefusal, runOnKernel, type ScenarioLine } from './kernel-runner.js';

// ---- a small parser for the scenario lines these tests use ----

function num(w: string): bigint {
  const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)([kKmMgGp]?)$/.exec(w);
  if (!m) throw new Error(`bad number ${w}`);
  const mult: Record<string, bigint> = { '': 1n, k: 1024n, K: 1024n, m: 1n << 20n, M: 1n << 20n, g: 1n << 30n, G: 1n << 30n, p: 4096n };
  return BigInt(m[1]!) * mult[m[2]!]!;
}

function prot(w: string): number {
  if (w === 'none') return 0;
  return (w[0] === 'r' ? 1 : 0) | (w[1] === 'w' ? 2 : 0) | (w[2] === 'x' ? 4 : 0);
}

function parseCommand(words: string[]): Command {
  const [head, ...a] = words;
  switch (head) {
    case 'file':
      return { kind: 'file', name: a[0]!, size: num(a[1]!) };
    case 'window':
      return { kind: 'window', start: num(a[0]!), end: num(a[1]!) };
    case 'config':
      return a[0] === 'anon_vma_name' || a[0] === 'soft_dirty'
        ? { kind: 'config', option: a[0], value: a[1] === 'on' }
        : { kind: 'config', option: a[0] as 'max_map_count' | 'mmap_base', value: num(a[1]!) };
    case 'mmap': {
      const flags: { -readonly [K in keyof MmapFlags]: boolean } = {
        shared: false, fixed: false, noreplace: false, growsdown: false, locked: false, populate: false, noreserve: false,
      };
      let file: string | null = null;
      let off = 0n;
      for (const w of a.slice(3)) {
        if (w.startsWith('file=')) file = w.slice(5);
        else if (w.startsWith('off=')) off = num(w.slice(4));
        else if (w !== 'private') flags[w as keyof MmapFlags] = true;
      }
      return { kind: 'mmap', addr: a[0] === '-' ? null : num(a[0]!), len: num(a[1]!), prot: prot(a[2]!), flags, file, off };
    }
    case 'munmap':
      return { kind: 'munmap', addr: num(a[0]!), len: num(a[1]!) };
    case 'mprotect':
      return { kind: 'mprotect', addr: num(a[0]!), len: num(a[1]!), prot: prot(a[2]!) };
    case 'madvise':
      if (!(ADVICES as readonly string[]).includes(a[2]!)) throw new Error(`bad advice ${a[2]}`);
      return { kind: 'madvise', addr: num(a[0]!), len: num(a[1]!), advice: a[2] as Advice };
    case 'mlock':
      return { kind: 'mlock', addr: num(a[0]!), len: num(a[1]!), onfault: a[2] === 'onfault' };
    case 'munlock':
      return { kind: 'munlock', addr: num(a[0]!), len: num(a[1]!) };
    case 'mremap': {
      const rest = a.slice(3);
      const fixed = rest.find((w) => w.startsWith('fixed='));
      return {
        kind: 'mremap', addr: num(a[0]!), oldLen: num(a[1]!), newLen: num(a[2]!),
        maymove: rest.includes('maymove'), dontunmap: rest.includes('dontunmap'),
        newAddr: fixed ? num(fixed.slice(6)) : null,
      };
    }
    case 'mseal':
      return { kind: 'mseal', addr: num(a[0]!), len: num(a[1]!) };
    case 'name':
      return { kind: 'name', addr: num(a[0]!), len: num(a[1]!), name: a[2] ?? null };
    case 'touch': {
      const write = a[a.length - 1] !== 'read';
      const rest = a.slice(1).filter((w) => w !== 'read' && w !== 'write');
      return { kind: 'touch', addr: num(a[0]!), len: rest.length ? num(rest[0]!) : null, write };
    }
    case 'fork':
      return { kind: 'fork' };
    case 'process':
      return { kind: 'process', n: num(a[0]!) };
    case 'undo':
      return { kind: 'undo', n: a[0] ? num(a[0]) : 1n };
    case 'export':
      return { kind: 'export', format: 'json', path: a[1]!, force: false };
    case 'vma':
      if (a[0] === 'split') return { kind: 'vma-split', addr: num(a[1]!) };
      return {
        kind: 'vma-add',
        vma: { start: num(a[1]!), end: num(a[2]!), pgoff: num(a[3]!), flags: a[4]!.split(','), file: null, av: null },
        close: false,
      };
    default:
      throw new Error(`the test parser does not know ${head}`);
  }
}

function scenario(text: string): ScenarioLine[] {
  const out: ScenarioLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const t = raw.replace(/#.*/, '').trim();
    if (t === '') return;
    out.push({ line: i + 1, text: t, cmd: parseCommand(t.split(/\s+/)) });
  });
  return out;
}

const HOST_PLAIN: HostKernelConfig = { anonVmaName: false, softDirty: false, source: 'test' };

async function run(text: string, host: HostKernelConfig = readHostKernelConfig()): Promise<RunReport> {
  return runOnKernel(scenario(text), { hostConfig: host, timeoutMs: 30_000 });
}

const brief = (v: VmaReport) => `${v.start}-${v.end} ${v.perms} ${v.vmflags.join(' ')}`;
const A = 0x100000000000n;
const at = (pages: number) => `0x${(A + BigInt(pages) * 4096n).toString(16)}`;

beforeAll(() => {
  ensureHelper();
});

describe('runOnKernel: VMAs and flags', () => {
  it('mprotect of the middle page of an untouched rw- VMA splits it in three, and mprotecting it back merges them (§3.5, §2.3)', async () => {
    const r = await run(`
mmap 0x100000000000 3p rw- fixed
mprotect 0x100000001000 1p r--
`);
    expect(r.results.map((x) => [x.ret, x.errno])).toEqual([['0x100000000000', null], [0, null]]);
    expect(r.vmas.map(brief)).toEqual([
      `${at(0)}-${at(1)} rw-p rd wr mr mw me ac`,
      `${at(1)}-${at(2)} r--p rd mr mw me`,
      `${at(2)}-${at(3)} rw-p rd wr mr mw me ac`,
    ]);
    for (const v of r.vmas) {
      expect(v).toMatchObject({ offset: 0, file: null, name: null, pgoff: null, anon_vma: null, close: null });
      expect(v).not.toHaveProperty('anon_vma_chain');
    }
    expect(r).not.toHaveProperty('processes');
    expect(r.results[0]).not.toHaveProperty('process');

    const back = await run(`
mmap 0x100000000000 3p rw- fixed
mprotect 0x100000001000 1p r--
mprotect 0x100000001000 1p rw-
`);
    expect(back.vmas.map(brief)).toEqual([`${at(0)}-${at(3)} rw-p rd wr mr mw me ac`]);
  });

  it('a written VMA keeps ac when made read-only, and merges again when made writable (§2.3, §12.3)', async () => {
    const r = await run(`
mmap 0x100000000000 3p rw- fixed
touch 0x100000000000 3p write
mprotect 0x100000001000 1p r--
`);
    expect(r.results[1]).toMatchObject({ ret: 0, errno: null });
    expect(r.vmas.map(brief)).toEqual([
      `${at(0)}-${at(1)} rw-p rd wr mr mw me ac`,
      `${at(1)}-${at(2)} r--p rd mr mw me ac`,
      `${at(2)}-${at(3)} rw-p rd wr mr mw me ac`,
    ]);
    const back = await run(`
mmap 0x100000000000 3p rw- fixed
touch 0x100000000000 3p write
mprotect 0x100000001000 1p r--
mprotect 0x100000001000 1p rw-
`);
    expect(back.vmas.map(brief)).toEqual([`${at(0)}-${at(3)} rw-p rd wr mr mw me ac`]);
  });

  it('prints mmap-time flags as §2.2 lists them', async () => {
    const r = await run(`
mmap 0x100000000000 1p r-- fixed
mmap 0x100000010000 1p rw- fixed noreserve
mmap 0x100000020000 1p rw- fixed shared
mmap 0x100000030000 1p -w- fixed
`);
    expect(r.vmas.map(brief)).toEqual([
      `${at(0)}-${at(1)} r--p rd mr mw me`,
      `${at(0x10)}-${at(0x11)} rw-p rd wr mr mw me nr`,
      `${at(0x20)}-${at(0x21)} rw-s rd wr sh mr mw me ms`,
      `${at(0x30)}-${at(0x31)} -w-p wr mr mw me ac`,
    ]);
    // Shared anonymous memory has no file NAME (scenario-language.md, `file`).
    expect(r.vmas[2]).toMatchObject({ file: null, name: null, offset: 0 });
  });

  it('reports file mappings with the scenario NAME and the byte offset (§14.1), merging contiguous maps of one open file (§6.4)', async () => {
    const r = await run(`
file data 16K
mmap 0x100000000000 1p r-- fixed file=data
mmap 0x100000001000 1p r-- fixed file=data off=4096
mmap 0x100000010000 1p r-- fixed file=data off=8192
`);
    expect(r.results.map((x) => x.ret)).toEqual(['0x100000000000', '0x100000001000', '0x100000010000']);
    expect(r.vmas.map((v) => [v.start, v.end, v.file, v.offset, v.perms])).toEqual([
      [at(0), at(2), 'data', 0, 'r--p'],
      [at(0x10), at(0x11), 'data', 8192, 'r--p'],
    ]);
  });

  it('reports VMAs that meet the window whole, and nothing outside it (scenario-language.md, `window`)', async () => {
    const r = await run(`
mmap 0x100000000000 3p rw- fixed
mmap 0x100000010000 1p rw- fixed
window 0x100000001000 0x100000002000
`);
    expect(r.vmas.map((v) => `${v.start}-${v.end}`)).toEqual([`${at(0)}-${at(3)}`]);
  });

  it('a touch below a growsdown VMA grows it (§13.2)', async () => {
    const r = await run(`
mmap 0x100000010000 1p rw- fixed growsdown
touch 0x10000000e000
`);
    expect(r.results[1]).toMatchObject({ ret: 0, errno: null });
    expect(r.vmas.map(brief)).toEqual([`0x10000000e000-${at(0x11)} rw-p rd wr mr mw me gd ac`]);
  });

  it('MAP_FIXED over the middle page of a touched 3-page VMA leaves one VMA (§3.5)', async () => {
    const r = await run(`
mmap 0x100000000000 3p rw- fixed
touch 0x100000000000 3p
mmap 0x100000001000 1p rw- fixed
`);
    expect(r.vmas.map(brief)).toEqual([`${at(0)}-${at(3)} rw-p rd wr mr mw me ac`]);
  });

  it('a growsdown VMA grows to exactly 8 MiB (RLIMIT_STACK) but not one page more, nor within 1 MiB of a VMA below (§13.2)', async () => {
    const r = await run(`
mmap 0x100000800000 1p rw- fixed growsdown
touch 0x100000000000
touch 0x100000001000
mmap 0x100001000000 1p rw- fixed
mmap 0x100001102000 1p rw- fixed growsdown
touch 0x100001100000
touch 0x100001101000
`);
    expect(r.results.map((x) => x.errno)).toEqual([null, 'SIGSEGV', null, null, null, 'SIGSEGV', null]);
    expect(r.vmas.map((v) => `${v.start}-${v.end}`)).toEqual([
      `${at(1)}-${at(0x801)}`,
      `${at(0x1000)}-${at(0x1001)}`,
      `${at(0x1101)}-${at(0x1103)}`,
    ]);
  });

  it('mlock of a PROT_NONE VMA returns ENOMEM but sets lo (§9, §15.5)', async () => {
    const r = await run(`
mmap 0x100000000000 1p none fixed
mlock 0x100000000000 1p
`);
    expect(r.results[1]).toMatchObject({ ret: -1, errno: 'ENOMEM' });
    expect(r.vmas.map(brief)).toEqual([`${at(0)}-${at(1)} ---p mr mw me lo`]);
  });

  it('guard_install sets gu on the whole VMA without splitting it, and a touch of the guard page is SIGSEGV (§8.5, §12.1)', async () => {
    const r = await run(`
mmap 0x100000000000 3p rw- fixed
madvise 0x100000001000 1p guard_install
touch 0x100000001000 read
touch 0x100000000000 read
`);
    expect(r.results.map((x) => [x.ret, x.errno])).toEqual([['0x100000000000', null], [0, null], [-1, 'SIGSEGV'], [0, null]]);
    expect(r.vmas.map(brief)).toEqual([`${at(0)}-${at(3)} rw-p rd wr mr mw me gu ac`]);
  });

  it('seals with sl, after which munmap is EPERM (§11)', async () => {
    const r = await run(`
mmap 0x100000000000 2p rw- fixed
mseal 0x100000000000 2p
munmap 0x100000000000 1p
`);
    expect(r.results.map((x) => [x.ret, x.errno])).toEqual([['0x100000000000', null], [0, null], [-1, 'EPERM']]);
    expect(r.vmas.map(brief)).toEqual([`${at(0)}-${at(2)} rw-p rd wr mr mw me ac sl`]);
  });

  it('places a hint-less mmap outside the window, below mmap_base 0x7ffff7fff000 with randomisation off (§6.3)', async () => {
    const r = await run(`
mmap - 1p rw-
`);
    const ret = r.results[0]!.ret;
    expect(typeof ret).toBe('string');
    const addr = BigInt(ret as string);
    expect(addr < 0x7ffff7fff000n).toBe(true);
    expect(addr >= 0x200000000000n).toBe(true);
    expect(r.vmas).toEqual([]);
  });
});

describe('runOnKernel: errors and faults', () => {
  it('returns errno names: munmap of an unaligned address or of length 0 is EINVAL, of nothing is 0 (§5)', async () => {
    const r = await run(`
munmap 0x100000000001 1p
munmap 0x100000000000 0
munmap 0x100000000000 1p
mprotect 0x100000000000 1p rw-
`);
    expect(r.results.map((x) => [x.ret, x.errno])).toEqual([[-1, 'EINVAL'], [-1, 'EINVAL'], [0, null], [-1, 'ENOMEM']]);
  });

  it('passes 64-bit lengths unchanged: 0xfffffffffffff001 is ENOMEM for mmap, 0 for mlock, EINVAL for madvise and mseal (§6.1, §9)', async () => {
    const r = await run(`
mmap 0x100000000000 0xfffffffffffff001 rw-
mmap 0x100000000000 1p rw- fixed
mlock 0x100000000000 0xfffffffffffff001
madvise 0x100000000000 0xfffffffffffff001 dontneed
mseal 0x100000000000 0xfffffffffffff001
`);
    expect(r.results.map((x) => [x.ret, x.errno])).toEqual([
      [-1, 'ENOMEM'], ['0x100000000000', null], [0, null], [-1, 'EINVAL'], [-1, 'EINVAL'],
    ]);
    expect(r.vmas.map(brief)).toEqual([`${at(0)}-${at(1)} rw-p rd wr mr mw me ac`]);
  });

  it('a touch of an unmapped address or a write to r-- memory is SIGSEGV; earlier pages stay touched (§12.1, touch)', async () => {
    const r = await run(`
touch 0x100000000000
mmap 0x100000000000 1p r-- fixed
touch 0x100000000000 1p write
touch 0x100000000000 read
mmap 0x100000010000 2p rw- fixed
mprotect 0x100000011000 1p none
touch 0x100000010000 2p write
mprotect 0x100000010000 1p r--
touch 0x100000000000 0
`);
    expect(r.results.map((x) => [x.line, x.ret, x.errno])).toEqual([
      [2, -1, 'SIGSEGV'],
      [3, '0x100000000000', null],
      [4, -1, 'SIGSEGV'],
      [5, 0, null],
      [6, '0x100000010000', null],
      [7, 0, null],
      [8, -1, 'SIGSEGV'],
      [9, 0, null],
      [10, 0, null],
    ]);
    // The first page was written before the fault, so it has an anon_vma and keeps ac (§2.3).
    expect(r.vmas.map(brief)).toEqual([
      `${at(0)}-${at(1)} r--p rd mr mw me`,
      `${at(0x10)}-${at(0x11)} r--p rd mr mw me ac`,
      `${at(0x11)}-${at(0x12)} ---p mr mw me`,
    ]);
  });

  it('a touch past the end of the mapped file is SIGBUS (§15.11, §12.1)', async () => {
    const r = await run(`
file f 4096
mmap 0x100000000000 2p r-- fixed file=f
touch 0x100000000000 read
touch 0x100000001000 read
`);
    expect(r.results.map((x) => [x.ret, x.errno])).toEqual([['0x100000000000', null], [0, null], [-1, 'SIGBUS']]);
    expect(r.vmas.map((v) => [v.start, v.end, v.file])).toEqual([[at(0), at(2), 'f']]);
  });

  it('name follows the host build: EINVAL without CONFIG_ANON_VMA_NAME (§0.3, scenario-language.md `name`)', async () => {
    const host = readHostKernelConfig();
    if (host.anonVmaName !== false) return;
    const r = await run(`
mmap 0x100000000000 1p rw- fixed
name 0x100000000000 1p hello
`);
    expect(r.results[1]).toMatchObject({ ret: -1, errno: 'EINVAL' });
    expect(r.vmas[0]!.name).toBeNull();
  });
});

describe('runOnKernel: processes', () => {
  it('fork copies the VMAs into a child numbered 1; every result and VMA carries the multi-process fields (Processes)', async () => {
    const r = await run(`
mmap 0x100000000000 1p rw- fixed locked
mmap 0x100000010000 1p rw- fixed
madvise 0x100000010000 1p dontfork
mmap 0x100000020000 1p rw- fixed
madvise 0x100000020000 1p wipeonfork
fork
process 1
fork
process 7
`);
    expect(r.results.map((x) => [x.line, x.ret, x.errno, x.process])).toEqual([
      [2, '0x100000000000', null, 0],
      [3, '0x100000010000', null, 0],
      [4, 0, null, 0],
      [5, '0x100000020000', null, 0],
      [6, 0, null, 0],
      [7, 1, null, 0],
      [8, 0, null, 1],
      [9, 2, null, 1],
      [10, -1, 'ESRCH', 1],
    ]);
    expect(r.processes!.map((p) => [p.process, p.parent])).toEqual([[0, null], [1, 0], [2, 1]]);
    const [p0, p1, p2] = r.processes!;
    expect(p0!.vmas.map(brief)).toEqual([
      `${at(0)}-${at(1)} rw-p rd wr mr mw me lo ac`,
      `${at(0x10)}-${at(0x11)} rw-p rd wr mr mw me dc ac`,
      `${at(0x20)}-${at(0x21)} rw-p rd wr mr mw me ac wf`,
    ]);
    // The child: no copy of the dc VMA, the copies lose lo, wf is copied (Processes).
    const child = [`${at(0)}-${at(1)} rw-p rd wr mr mw me ac`, `${at(0x20)}-${at(0x21)} rw-p rd wr mr mw me ac wf`];
    expect(p1!.vmas.map(brief)).toEqual(child);
    expect(p2!.vmas.map(brief)).toEqual(child);
    // `vmas` is the current process's (process 1).
    expect(r.vmas).toEqual(p1!.vmas);
    for (const p of r.processes!) for (const v of p.vmas) expect(v).toMatchObject({ anon_vma: null, anon_vma_chain: null, pgoff: null, close: null });
  });

  it('runs each line in the process it acts on: a child unmaps its copy without touching the parent', async () => {
    const r = await run(`
mmap 0x100000000000 2p rw- fixed
touch 0x100000000000 2p
fork
process 1
munmap 0x100000000000 1p
mmap 0x100000010000 1p r-- fixed
process 0
mprotect 0x100000001000 1p r--
`);
    expect(r.results.every((x) => x.errno === null)).toBe(true);
    expect(r.results.map((x) => x.process)).toEqual([0, 0, 0, 1, 1, 1, 0, 0]);
    expect(r.processes!.map((p) => p.vmas.map((v) => `${v.start}-${v.end} ${v.perms}`))).toEqual([
      [`${at(0)}-${at(1)} rw-p`, `${at(1)}-${at(2)} r--p`],
      [`${at(1)}-${at(2)} rw-p`, `${at(0x10)}-${at(0x11)} r--p`],
    ]);
    expect(r.vmas).toEqual(r.processes![0]!.vmas);
  });

  it('process N of a process that does not exist is ESRCH; one process means no processes list', async () => {
    const r = await run(`
mmap 0x100000000000 1p rw- fixed
process 3
`);
    expect(r.results[1]).toEqual({ line: 3, command: 'process 3', ret: -1, errno: 'ESRCH' });
    expect(r).not.toHaveProperty('processes');
  });
});

describe('runOnKernel: reproducibility', () => {
  const text = `
file f 8K
mmap 0x100000000000 2p rw- fixed file=f shared
mmap 0x100000010000 2p rw- fixed shared
touch 0x100000000000 2p
touch 0x100000010000 2p
mmap - 3p rw-
fork
process 1
mmap - 1p rw-
`;

  it('gives identical reports on two runs', async () => {
    const a = await run(text);
    const b = await run(text);
    expect(b).toEqual(a);
    expect(typeof a.results[4]!.ret).toBe('string');
  });

  it('the helper prints identical output on two runs', () => {
    const input = buildHelperInput(scenario(text), HOST_PLAIN).text;
    const helper = ensureHelper();
    const one = spawnSync(helper, [], { input, encoding: 'utf8' });
    const two = spawnSync(helper, [], { input, encoding: 'utf8' });
    expect(one.status).toBe(0);
    expect(one.stderr).toBe('');
    expect(two.stdout).toBe(one.stdout);
    // No temporary path reaches the output.
    expect(one.stdout).not.toContain('/tmp/');
  });
});

describe('runOnKernel: refusals and failures', () => {
  const refused = async (text: string, host: HostKernelConfig = HOST_PLAIN) => {
    try {
      await runOnKernel(scenario(text), { hostConfig: host });
    } catch (e) {
      return e;
    }
    throw new Error('not refused');
  };

  it.each([
    ['vma add 0x1000 0x3000 0 rd,wr,mr,mw', 'simulator-only'],
    ['vma split 0x2000', 'simulator-only'],
    ['config max_map_count 100', 'max_map_count'],
    ['config mmap_base 0x7f0000000000', 'mmap_base'],
    ['undo', 'history'],
    ['export json /tmp/x.json', 'simulator-only'],
    ['config anon_vma_name on', 'CONFIG_ANON_VMA_NAME'],
    ['config soft_dirty on', 'CONFIG_MEM_SOFT_DIRTY'],
  ])('refuses `%s` with a LiveRefusal naming the line', async (line, words) => {
    const e = await refused(`mmap 0x100000000000 1p rw- fixed\n\n${line}\n`);
    expect(e).toBeInstanceOf(LiveRefusal);
    expect((e as LiveRefusal).line).toBe(3);
    expect((e as Error).message).toMatch(/^line 3: /);
    expect((e as Error).message).toContain(words);
  });

  it('accepts config lines that match the host build', async () => {
    const r = await runOnKernel(scenario('config anon_vma_name off\nconfig soft_dirty off\nmmap 0x100000000000 1p rw- fixed\n'), {
      hostConfig: HOST_PLAIN,
    });
    expect(r.results).toHaveLength(1);
    const e = await refused('config anon_vma_name off\n', { anonVmaName: null, softDirty: null, source: '/proc/config.gz is not readable' });
    expect(e).toBeInstanceOf(LiveRefusal);
    expect((e as Error).message).toContain('cannot tell');
  });

  it('refuses a window that holds the helper itself, naming the window line', async () => {
    const e = await refused('mmap 0x100000000000 1p rw- fixed\nwindow 0x500000000000 0x7ffffffff000\n');
    expect(e).toBeInstanceOf(LiveRefusal);
    expect((e as Error).message).toMatch(/^line 2: the window 0x500000000000-0x7ffffffff000 meets a mapping of the helper/);
  });

  it('tells to run npm run build when the helper is missing', async () => {
    const e = await runOnKernel(scenario('mmap - 1p rw-\n'), { hostConfig: HOST_PLAIN, helperPath: '/nonexistent/vmasim-helper' }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(LiveHelperError);
    expect((e as Error).message).toContain('npm run build');
    expect((e as Error).message).toContain('C compiler');
  });

  it('stops a helper that runs past the time limit, leaving no files behind', async () => {
    // A folder of its own, so that helpers run by other tests at the same time do not count.
    const tmpDir = mkdtempSync(join(tmpdir(), 'vmasim-timeout-test-'));
    const leftovers = () => readdirSync(tmpDir).length;
    const lines = scenario('file f 4K\nfork\nmmap 0x100000000000 8G rw- fixed noreserve\ntouch 0x100000000000 8G\n');
    const e = await runOnKernel(lines, { hostConfig: HOST_PLAIN, timeoutMs: 200, tmpDir }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LiveHelperError);
    expect((e as Error).message).toContain('did not finish within 200 ms');
    expect(leftovers()).toBe(0);
    rmSync(tmpDir, { recursive: true, force: true });
  });

  it('reports a scenario process that dies with the helper stderr, not a stack trace', async () => {
    // Unmapping everything from 0x10000 up takes the process's own code and stack with it.
    const e = await refused('mmap 0x100000000000 1p rw- fixed\nmunmap 0x10000 0x7ffffffef000\n');
    expect(e).toBeInstanceOf(LiveHelperError);
    expect((e as Error).message).toBe('the kernel helper failed (exit status 1): line 2: scenario process 0 died: SIGSEGV');
    expect((e as LiveHelperError).stderr).toContain('died');
  });
});
