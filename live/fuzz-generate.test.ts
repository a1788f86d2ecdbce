/**
 * The scenario generator of `vmasim fuzz`: the same seed gives the same
 * scenario, and every line it writes parses and can run on the live kernel.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../commands/parse.js';
import { ARENA_BASE, generateScenario, Rng } from './fuzz-generate.js';
import { buildHelperInput } from './kernel-runner.js';

const HOST = { anonVmaName: false, softDirty: false, source: 'test' } as const;

describe('Rng', () => {
  it('is a pure function of its seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('gives neighbouring and large seeds different streams', () => {
    const first = (s: number) => new Rng(s).next();
    const values = new Set([0, 1, 2, 3, 2 ** 32, 2 ** 32 + 1, 2 ** 40].map(first));
    expect(values.size).toBe(7);
  });
});

describe('generateScenario', () => {
  it('is deterministic for a seed', () => {
    for (const seed of [1, 7, 123456, 2 ** 33 + 5]) {
      const a = generateScenario(seed, { ops: 40 });
      const b = generateScenario(seed, { ops: 40 });
      expect(b.text).toBe(a.text);
      expect(a.seed).toBe(seed);
    }
    expect(generateScenario(1, { ops: 40 }).text).not.toBe(generateScenario(2, { ops: 40 }).text);
  });

  it('writes `ops` operation lines after its file declarations, as text one command a line', () => {
    const g = generateScenario(9, { ops: 25 });
    const files = g.lines.filter((l) => l.startsWith('file '));
    expect(g.lines.slice(0, files.length)).toEqual(files);
    expect(g.lines.length - files.length).toBe(25);
    expect(g.text).toBe(g.lines.join('\n') + '\n');
  });

  it('declares and maps no file when asked not to', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const g = generateScenario(seed, { ops: 30, files: false });
      expect(g.lines.some((l) => l.startsWith('file ') || l.includes('file='))).toBe(false);
      expect(g.lines).toHaveLength(30);
    }
  });

  it('writes only lines that parse, and that the kernel runner accepts (no config limits, no vma lines)', () => {
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 400; seed++) {
      const forks = seed % 2 === 0;
      const g = generateScenario(seed, { ops: 40, forks });
      const parsed = parseScenario(g.text, `seed-${seed}.vma`);
      if ('error' in parsed) throw new Error(`seed ${seed}: ${parsed.error.message} in '${g.lines[parsed.error.line - 1]}'`);
      expect(parsed.lines.length).toBe(g.lines.length);
      for (const l of parsed.lines) {
        kinds.add(l.cmd.kind);
        expect(l.cmd.kind).not.toMatch(/^vma-|^config$|^window$/);
        if (!forks) expect(['fork', 'process']).not.toContain(l.cmd.kind);
      }
      expect(() => buildHelperInput(parsed.lines, HOST)).not.toThrow();
    }
    for (const k of ['file', 'mmap', 'munmap', 'mprotect', 'madvise', 'mlock', 'munlock', 'mremap', 'mseal', 'touch', 'name', 'fork', 'process']) {
      expect(kinds).toContain(k);
    }
  });

  it('keeps fixed addresses in the arena, and uses every advice and protection', () => {
    const advices = new Set<string>();
    const prots = new Set<number>();
    const flags = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) {
      const parsed = parseScenario(generateScenario(seed, { ops: 40 }).text, 'x.vma');
      if ('error' in parsed) throw new Error(parsed.error.message);
      for (const { cmd } of parsed.lines) {
        if (cmd.kind === 'madvise') advices.add(cmd.advice);
        if (cmd.kind === 'mprotect' || cmd.kind === 'mmap') prots.add(cmd.prot);
        if (cmd.kind === 'mmap' && (cmd.flags.fixed || cmd.flags.noreplace)) {
          expect(cmd.addr).not.toBeNull();
          expect(cmd.addr! >= ARENA_BASE && cmd.addr! < ARENA_BASE + BigInt((3 * 512 + 48) * 4096)).toBe(true);
        }
        if (cmd.kind === 'mmap') for (const [k, v] of Object.entries(cmd.flags)) if (v) flags.add(k);
        if (cmd.kind === 'mremap') {
          if (cmd.maymove) flags.add('maymove');
          if (cmd.dontunmap) flags.add('dontunmap');
          if (cmd.newAddr !== null) flags.add('fixed=');
        }
        if (cmd.kind === 'mlock' && cmd.onfault) flags.add('onfault');
      }
    }
    expect(advices.size).toBe(23);
    expect(prots.size).toBe(8);
    for (const f of ['shared', 'fixed', 'noreplace', 'growsdown', 'locked', 'populate', 'noreserve', 'maymove', 'dontunmap', 'fixed=', 'onfault']) {
      expect(flags).toContain(f);
    }
  });
});
