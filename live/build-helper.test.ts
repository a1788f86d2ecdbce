import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildHelper, ensureHelper, findCompiler, helperIsCurrent } from './build-helper.js';
import { parseKernelConfig } from './host-config.js';
import { helperBinaryPath, helperSourcePath, packageRoot } from './paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'vmasim-build-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('build-helper', () => {
  it('resolves paths from the package root', () => {
    expect(existsSync(join(packageRoot(), 'package.json'))).toBe(true);
    expect(helperSourcePath()).toBe(join(packageRoot(), 'live', 'helper.c'));
    expect(helperBinaryPath()).toBe(join(packageRoot(), 'live', 'bin', 'vmasim-helper'));
  });

  it('skips, without failing, when no compiler is found', () => {
    expect(findCompiler(['vmasim-no-such-compiler'])).toBeNull();
    const outcome = buildHelper({ compilers: ['vmasim-no-such-compiler'], output: join(scratch, 'never') });
    expect(outcome.status).toBe('skipped');
    expect(existsSync(join(scratch, 'never'))).toBe(false);
  });

  it('compiles the helper to the requested path', () => {
    if (findCompiler() === null) return;
    const output = join(scratch, 'bin', 'helper');
    const outcome = buildHelper({ output });
    expect(outcome.status).toBe('built');
    expect(statSync(output).mode & 0o111).not.toBe(0);
    const r = spawnSync(output, [], { input: 'mmap 0x100000000000 0x1000 3 0x32 - 0\n', encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['vmasim-helper 1', 'ok 0x100000000000']);
  });

  it('ensureHelper leaves a current binary alone', () => {
    const path = ensureHelper();
    const before = statSync(path).mtimeMs;
    expect(helperIsCurrent(path)).toBe(true);
    expect(ensureHelper()).toBe(path);
    expect(statSync(path).mtimeMs).toBe(before);
  });

  it('the helper rejects malformed input with exit status 2 and names the line', () => {
    const r = spawnSync(ensureHelper(), [], { input: 'fork\nmunmap 0x1000\n', encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('vmasim-helper: line 2: wrong number of arguments for: munmap\n');
    const big = spawnSync(ensureHelper(), [], { input: 'munmap 0x10000000000000000 1\n', encoding: 'utf8' });
    expect(big.status).toBe(2);
    expect(big.stderr).toContain('not a 64-bit number');
  });
});

describe('parseKernelConfig', () => {
  it('reads set and unset options', () => {
    const cfg = parseKernelConfig('# comment\nCONFIG_A=y\n# CONFIG_ANON_VMA_NAME is not set\nCONFIG_S="x"\n');
    expect(cfg.get('CONFIG_A')).toBe('y');
    expect(cfg.get('CONFIG_ANON_VMA_NAME')).toBe('n');
    expect(cfg.get('CONFIG_S')).toBe('"x"');
  });
});
