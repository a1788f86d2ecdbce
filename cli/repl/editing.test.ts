import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { historyFilePath, InputHistory, loadHistory, MAX_ENTRIES, saveHistory } from './input-history.js';
import * as edit from './line-editor.js';
import { findBackward, searchLine, searchOlder, setQuery, startSearch } from './reverse-search.js';

const dir = mkdtempSync(join(tmpdir(), 'vmasim-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('line editor', () => {
  test('insert, move and delete around the cursor', () => {
    let l = edit.lineOf('mmap 4K');
    l = edit.left(edit.left(l));
    l = edit.insert(l, '- ');
    expect(l).toEqual({ text: 'mmap - 4K', cursor: 7 });
    l = edit.backspace(l);
    expect(l.text).toBe('mmap -4K');
    l = edit.deleteForward(edit.home(l));
    expect(l).toEqual({ text: 'map -4K', cursor: 0 });
    expect(edit.backspace(l)).toBe(l);
  });

  test('kill to start, to end, and the word before the cursor', () => {
    const l = { text: 'munmap 0x1000 4K', cursor: 13 };
    expect(edit.killToStart(l)).toEqual({ text: ' 4K', cursor: 0 });
    expect(edit.killToEnd(l)).toEqual({ text: 'munmap 0x1000', cursor: 13 });
    expect(edit.killWordBack(l)).toEqual({ text: 'munmap  4K', cursor: 7 });
    expect(edit.killWordBack({ text: 'a b   ', cursor: 6 })).toEqual({ text: 'a ', cursor: 2 });
  });
});

describe('input history', () => {
  test('Up and Down walk the entries and return to the line being typed', () => {
    const h = new InputHistory(['undo', 'vmas']);
    expect(h.previous('mm')).toBe('vmas');
    expect(h.previous('vmas')).toBe('undo');
    expect(h.previous('undo')).toBeNull();
    expect(h.next()).toBe('vmas');
    expect(h.next()).toBe('mm');
    expect(h.next()).toBeNull();
  });

  test('a repeated line is kept once; blank lines are not kept', () => {
    const h = new InputHistory();
    h.add('undo');
    h.add(' undo ');
    h.add('   ');
    h.add('redo');
    expect(h.entries).toEqual(['undo', 'redo']);
  });

  test('the file is bounded, oldest first, and replaced whole', () => {
    const file = join(dir, 'sub', 'history');
    const entries = Array.from({ length: MAX_ENTRIES + 5 }, (_, i) => `goto ${i}`);
    saveHistory(file, entries);
    const back = loadHistory(file);
    expect(back).toHaveLength(MAX_ENTRIES);
    expect(back[0]).toBe('goto 5');
    expect(back[back.length - 1]).toBe(`goto ${MAX_ENTRIES + 4}`);
    // No temporary file is left next to it.
    expect(readdirSync(join(dir, 'sub'))).toEqual(['history']);
  });

  test('a history that cannot be written or read does not stop anything', () => {
    writeFileSync(join(dir, 'plain-file'), 'x');
    expect(() => saveHistory(join(dir, 'plain-file', 'history'), ['undo'])).not.toThrow();
    expect(loadHistory(join(dir, 'missing'))).toEqual([]);
    expect(readFileSync(join(dir, 'plain-file'), 'utf8')).toBe('x');
  });

  test('VMASIM_HISTORY chooses the file; empty keeps none', () => {
    expect(historyFilePath({ VMASIM_HISTORY: '/tmp/h' })).toBe('/tmp/h');
    expect(historyFilePath({ VMASIM_HISTORY: '' })).toBeNull();
    expect(historyFilePath({})).toMatch(/\.vmasim_history$/);
  });
});

describe('reverse search', () => {
  const entries = ['mmap - 4K rw-', 'munmap 0x1000 4K', 'mprotect 0x1000 4K r--', 'mmap 0x2000 8K r--'];

  test('finds the newest line containing the query, then older ones', () => {
    let s = setQuery(startSearch('typed'), entries, 'mmap');
    expect(searchLine(s, entries)).toBe('mmap 0x2000 8K r--');
    s = searchOlder(s, entries);
    expect(searchLine(s, entries)).toBe('mmap - 4K rw-');
    s = searchOlder(s, entries);
    expect(s.failing).toBe(true);
    expect(searchLine(s, entries)).toBe('mmap - 4K rw-');
  });

  test('no match keeps the original line', () => {
    const s = setQuery(startSearch('typed'), entries, 'xyz');
    expect(s.failing).toBe(true);
    expect(searchLine(s, entries)).toBe('typed');
    expect(findBackward(entries, 'r--', 2)).toBe(2);
  });
});
