import { describe, expect, test } from 'vitest';
import { DEFAULT_WINDOW } from '../../snapshots/sim-report.js';
import { changesBetween, NO_CHANGES } from './changes.js';
import { stripView } from './strip-model.js';
import { sessionOf } from './testing-session.js';
import { timelineSegments } from './timeline-model.js';
import { cellsOf, fitColumns, formatSize, headerText, rowText, tableEntries, tableText } from './vma-columns.js';
import { vmaKind } from './vma-kind.js';
import { screenLayout } from './screen-layout.js';

const SPLIT = `
file lib 64K
mmap 0x100000000000 64K r-- fixed file=lib off=0
mmap 0x100000010000 16K rw- fixed
mmap 0x100000020000 16K rw- fixed growsdown
mprotect 0x100000004000 8K r-x
`;

describe('table', () => {
  test('rows carry the maps fields, the anon_vma and the VmFlags that perms do not say', () => {
    const { session } = sessionOf(SPLIT + 'touch 0x100000010000\n');
    const state = session.engine.history.current.state;
    const entries = tableEntries(state, NO_CHANGES);
    expect(entries.map((e) => cellsOf(state, e.vma))).toEqual([
      { start: '0x100000000000', end: '0x100000004000', size: '16K', perms: 'r--p', offset: '0x0', anonVma: '', name: 'lib', flags: 'mr mw me' },
      { start: '0x100000004000', end: '0x100000006000', size: '8K', perms: 'r-xp', offset: '0x4000', anonVma: '', name: 'lib', flags: 'mr mw me' },
      { start: '0x100000006000', end: '0x100000010000', size: '40K', perms: 'r--p', offset: '0x6000', anonVma: '', name: 'lib', flags: 'mr mw me' },
      { start: '0x100000010000', end: '0x100000014000', size: '16K', perms: 'rw-p', offset: '0x0', anonVma: 'av1', name: '', flags: 'mr mw me ac' },
      { start: '0x100000020000', end: '0x100000024000', size: '16K', perms: 'rw-p', offset: '0x0', anonVma: '', name: '', flags: 'mr mw me gd ac' },
    ]);
    expect(entries.map((e) => e.kind)).toEqual(['rodata', 'code', 'rodata', 'data', 'stack']);
  });

  test('the last command marks what it created, changed and removed', () => {
    const { session, ctx } = sessionOf(SPLIT);
    const h = session.engine.history;
    const before = h.stateAt(h.position - 1)!;
    const after = h.current.state;
    const changes = changesBetween(before, after);
    const marks = tableEntries(after, changes).map((e) => `${e.mark}${cellsOf(after, e.vma).start}`);
    expect(marks).toEqual(['~0x100000000000', '+0x100000004000', '+0x100000006000', ' 0x100000010000', ' 0x100000020000']);
    // Undo shows the reverse: the split parts removed, the VMA back whole.
    void ctx;
    const undone = changesBetween(after, before);
    expect(tableEntries(before, undone).map((e) => `${e.mark}${cellsOf(before, e.vma).start}-${e.removed}`)).toEqual([
      '~0x100000000000-false',
      '-0x100000004000-true',
      '-0x100000006000-true',
      ' 0x100000010000-false',
      ' 0x100000020000-false',
    ]);
  });

  test('at 80 columns every row fits, the file name shortened before the flags', () => {
    const { session } = sessionOf(
      'file ld-linux-x86-64.so.2 2068K\nmmap 0x100000000000 2068K rw- fixed file=ld-linux-x86-64.so.2 off=0\nmmap 0x100001000000 8K rw- fixed growsdown\ntouch 0x100000000000\n',
    );
    const state = session.engine.history.current.state;
    const cells = tableEntries(state, NO_CHANGES).map((e) => cellsOf(state, e.vma));
    const cols = fitColumns(cells, 80);
    const rows = cells.map((c) => '  ' + rowText(c, cols));
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(80);
    expect(rows[0]).toMatch(/ ld-linux\S*… /);
    expect(rows[1]).toContain('mr mw me gd ac');
    expect(('  ' + headerText(cols)).length).toBeLessThanOrEqual(80);
    expect(tableText(state, tableEntries(state, NO_CHANGES), 200)).toContain('ld-linux-x86-64.so.2');
  });

  test('sizes read as the kernel people write them', () => {
    expect([4096, 132 * 1024, 2068 * 1024, 2 * 1024 * 1024, 1024 ** 3, 100_000 * 1024 + 4096].map(formatSize)).toEqual(['4K', '132K', '2068K', '2M', '1G', '97.7M']);
  });

  test('kinds follow pwndbg: stack before code before data', () => {
    expect(vmaKind(0)).toBe('none');
  });
});

describe('address strip', () => {
  test('zoom 0 fits the VMAs of the window; a hole between them shows as a hole', () => {
    const { session } = sessionOf('mmap 0x100000000000 4K rw- fixed\nmmap 0x100000007000 1K r-x fixed\n');
    const state = session.engine.history.current.state;
    const v = stripView(state, DEFAULT_WINDOW, NO_CHANGES, null, 0, 8);
    expect([v.start, v.end]).toEqual([0x100000000000, 0x100000008000]);
    expect(v.cells.map((c) => c.kind ?? '.').join(' ')).toBe('data . . . . . . code');
  });

  test('a VMA smaller than a cell still shows; zooming in halves the span around the focus', () => {
    const { session } = sessionOf('mmap 0x100000000000 4K rw- fixed\nmmap 0x100001000000 4K r-- fixed\n');
    const state = session.engine.history.current.state;
    const fit = stripView(state, DEFAULT_WINDOW, NO_CHANGES, null, 0, 10);
    expect(fit.cells[0]!.kind).toBe('data');
    expect(fit.cells[9]!.kind).toBe('rodata');
    const zoomed = stripView(state, DEFAULT_WINDOW, NO_CHANGES, 0x100000000000, 3, 10);
    expect(zoomed.end - zoomed.start).toBe((fit.end - fit.start) / 8);
    expect(zoomed.start).toBe(0x100000000000);
    const out = stripView(state, DEFAULT_WINDOW, NO_CHANGES, null, -60, 10);
    expect(out.whole).toBe(true);
  });
});

describe('timeline', () => {
  const text = (segs: readonly { text: string }[]) => segs.map((s) => s.text).join('');

  test('the path to the current event, what redo would reach, and where a branch leaves', () => {
    const { session, ctx } = sessionOf('mmap - 4K rw-\nmmap - 4K rw-\nmmap - 4K rw-\nundo 2\nmmap - 8K rw-\nundo\n');
    void ctx;
    const h = session.engine.history;
    expect(h.position).toBe(1);
    expect(text(timelineSegments(h, 80, h.branches().length))).toBe('timeline 0─[1]*─4  event 1 of 4 · 2 branches · viewing the past');
  });

  test('a long path is cut at the left, keeping event 0', () => {
    const { session } = sessionOf('mmap - 4K rw-\n'.repeat(40));
    const h = session.engine.history;
    const line = text(timelineSegments(h, 60, 1));
    expect(line.length).toBeLessThanOrEqual(60);
    expect(line).toMatch(/^timeline 0…\d+─.*─\[40\]  event 40 of 40$/);
  });
});

describe('screen layout', () => {
  test('the live area stays below the screen height at 80x24 and grows with the screen', () => {
    const small = screenLayout({ columns: 80, rows: 24 });
    const big = screenLayout({ columns: 120, rows: 50 });
    const height = (l: typeof small) => 1 + l.tableRows + 1 + (l.strip ? 2 : 0) + 1 + l.traceRows + 1 + 1 + 1 + (l.hint ? 1 : 0);
    expect(height(small)).toBe(23);
    expect(height(big)).toBe(49);
    expect(big.tableRows).toBeGreaterThan(small.tableRows);
    expect(small.pageRows).toBe(small.tableRows + 3);
  });
});
