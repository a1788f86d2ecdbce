import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeExport } from './write-export.js';

describe('writeExport', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vmasim-export-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const leftovers = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  it('writes a new file', () => {
    const p = join(dir, 'a.json');
    expect(writeExport(p, 'hello\n', false)).toEqual({ ok: true, path: p });
    expect(readFileSync(p, 'utf8')).toBe('hello\n');
    expect(leftovers()).toEqual([]);
  });

  it('refuses an existing file without --force, leaving it as it was', () => {
    const p = join(dir, 'a.json');
    writeFileSync(p, 'old');
    expect(writeExport(p, 'new', false)).toEqual({ ok: false, error: `${p} exists: add --force to replace it` });
    expect(readFileSync(p, 'utf8')).toBe('old');
    expect(leftovers()).toEqual([]);
  });

  it('replaces an existing file with --force, keeping its permissions', () => {
    const p = join(dir, 'a.c');
    writeFileSync(p, 'old');
    chmodSync(p, 0o640);
    expect(writeExport(p, 'new', true).ok).toBe(true);
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(leftovers()).toEqual([]);
  });

  it('writes large text whole', () => {
    const p = join(dir, 'big.smaps');
    const text = 'x'.repeat(3 * 1024 * 1024 + 17);
    expect(writeExport(p, text, false).ok).toBe(true);
    expect(readFileSync(p, 'utf8')).toBe(text);
  });

  it.each([
    ['a folder that does not exist', (d: string) => join(d, 'missing', 'a.json'), /its folder does not exist/],
    ['a path that is a folder', (d: string) => (mkdirSync(join(d, 'sub')), join(d, 'sub')), /it is a folder/],
    ['a path under a file', (d: string) => (writeFileSync(join(d, 'f'), ''), join(d, 'f', 'a.json')), /a part of the path is not a folder/],
    ['a file system that cannot hold it', () => '/proc/self/vmasim-export.json', /^cannot write/],
  ])('refuses %s, with the reason, changing nothing', (_what, make, reason) => {
    const p = make(dir);
    const before = readdirSync(dir);
    const r = writeExport(p, 'text', true);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(reason);
      expect(r.error).toContain(p);
    }
    expect(readdirSync(dir)).toEqual(before);
  });
});
