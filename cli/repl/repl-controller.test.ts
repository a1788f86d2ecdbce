import { describe, expect, test } from 'vitest';
import { InputHistory } from './input-history.js';
import { ReplController, type KeyInfo } from './repl-controller.js';
import { sessionOf } from './testing-session.js';

function controller(script = '', history: string[] = [], size = { columns: 80, rows: 24 }) {
  const { session, ctx } = sessionOf(script);
  return new ReplController({ session, ctx, history: new InputHistory(history), historyPath: null, size });
}

const type = (c: ReplController, text: string) => c.key(text, {});
const press = (c: ReplController, k: KeyInfo, input = '') => c.key(input, k);

describe('the prompt', () => {
  test('a line typed in one chunk with its Enter runs, and lands in the history', () => {
    const c = controller();
    type(c, 'mmap 0x100000000000 16K rw- fixed\r');
    expect(c.session.engine.history.position).toBe(1);
    expect(c.history.entries).toEqual(['mmap 0x100000000000 16K rw- fixed']);
    expect(c.transcript.map((t) => t.text)).toEqual([
      'vmasim> mmap 0x100000000000 16K rw- fixed',
      '  => 0x100000000000   (event 1)',
      '    + 0x100000000000-0x100000004000 rw-p 16K',
    ]);
    expect(c.line.text).toBe('');
  });

  test('pasted lines run one after the other', () => {
    const c = controller();
    type(c, 'mmap 0x100000000000 16K rw- fixed\rmprotect 0x100000001000 4K r--\rmun');
    expect(c.session.engine.history.position).toBe(2);
    expect(c.line.text).toBe('mun');
    expect(c.result.headline).toBe('=> 0   (event 2)  [2 new, 1 changed, 0 removed]');
    expect(c.result.details.some((d) => d.startsWith('split:'))).toBe(true);
  });

  test('Up recalls, Ctrl-R searches, Ctrl-C restores what was typed', () => {
    const c = controller('', ['mmap - 4K rw-', 'munmap 0x1000 4K', 'goto 3']);
    type(c, 'x');
    press(c, { upArrow: true });
    expect(c.line.text).toBe('goto 3');
    press(c, { downArrow: true });
    expect(c.line.text).toBe('x');
    type(c, '\x12mm');
    expect(c.search?.query).toBe('mm');
    press(c, { ctrl: true }, 'c');
    expect(c.search).toBeNull();
    expect(c.line.text).toBe('x');
    type(c, '\x12unm');
    press(c, { rightArrow: true });
    expect(c.search).toBeNull();
    expect(c.line).toEqual({ text: 'munmap 0x1000 4K', cursor: 16 });
  });

  test('Ctrl-Z and Ctrl-Y undo and redo without touching the line', () => {
    const c = controller('mmap 0x100000000000 16K rw- fixed\nmunmap 0x100000000000 4K\n');
    type(c, 'half typed');
    press(c, { ctrl: true }, 'z');
    expect(c.session.engine.history.position).toBe(1);
    expect(c.line.text).toBe('half typed');
    expect(c.transcript.some((t) => t.text === 'vmasim> undo')).toBe(true);
    expect([...c.changes.changed.keys()].map((v) => v.start)).toEqual([0x100000000000]);
    expect(c.changes.removed.length).toBe(0);
    press(c, { ctrl: true }, 'y');
    expect(c.session.engine.history.position).toBe(2);
    press(c, { meta: true, leftArrow: true });
    expect(c.session.engine.history.position).toBe(1);
  });

  test('Tab completes a command, lists candidates when it cannot go further', () => {
    const c = controller('mmap 0x100000000000 4K rw- fixed\nmmap 0x100000002000 4K r-- fixed\n');
    type(c, 'mpro');
    press(c, { tab: true });
    expect(c.line.text).toBe('mprotect ');
    type(c, '0x1');
    press(c, { tab: true });
    expect(c.line.text).toBe('mprotect 0x10000000');
    press(c, { tab: true });
    expect(c.candidates).toEqual(['0x100000000000', '0x100000002000']);
  });

  test('a bad line says where; Ctrl-D on an empty line quits', () => {
    const c = controller();
    let quit = false;
    c.onQuit = () => (quit = true);
    type(c, 'mmap 0x1000 4K rwz\r');
    expect(c.result).toMatchObject({ tone: 'error', headline: "column 16: expected a PROT like rw- or none, got 'rwz'" });
    expect(c.transcript[1]!.text).toBe(' '.repeat('vmasim> '.length + 15) + "^ expected a PROT like rw- or none, got 'rwz'");
    type(c, 'x');
    press(c, { ctrl: true }, 'd');
    expect(quit).toBe(false);
    press(c, { ctrl: true }, 'u');
    press(c, { ctrl: true }, 'd');
    expect(quit).toBe(true);
  });

  test('a refusal that quotes the input shows its control characters escaped, in the transcript and the result', () => {
    const c = controller();
    c.run('import json /nonexistent/\x1b[2J\x1b]0;title\x07.json');
    const said = c.transcript.map((t) => t.text).join('\n') + c.result.headline;
    expect(said).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(c.result.headline).toBe('cannot read /nonexistent/\\x1b[2J\\x1b]0;title\\x07.json: no such file');
  });

  test('a line too long to run is echoed as an excerpt, its error without a caret; it is not kept in the history', () => {
    const c = controller();
    type(c, 'fork ' + '#'.repeat(9000) + '\r');
    expect(c.transcript.map((t) => t.text)).toEqual([`vmasim> fork ${'#'.repeat(195)}… (9005 characters)`, 'column 8193: the line has 9005 characters; at most 8192 are allowed']);
    expect(c.history.entries).toEqual([]);
    expect(c.session.engine.history.position).toBe(0);
  });

  test('+ and - zoom on an empty line, and are text otherwise; PgDn scrolls', () => {
    const c = controller('mmap - 4K rw-\n'.repeat(1) + Array.from({ length: 30 }, (_, i) => `mmap ${0x100000000000 + i * 0x2000} 4K r-- fixed`).join('\n'));
    type(c, '+');
    type(c, '+');
    expect(c.zoom).toBe(2);
    type(c, '=');
    expect(c.zoom).toBe(0);
    type(c, 'mmap -');
    expect(c.line.text).toBe('mmap -');
    press(c, { ctrl: true }, 'u');
    const first = c.tableScroll;
    press(c, { pageDown: true });
    expect(c.tableScroll).toBeGreaterThan(first);
  });

  test('help opens a page that PgDn scrolls and Esc closes', () => {
    const c = controller();
    type(c, 'help\r');
    expect(c.page?.title).toBe('help');
    expect(c.page?.lines).toContain('  Ctrl-Z / Ctrl-Y    undo / redo');
    press(c, { pageDown: true });
    expect(c.pageScroll).toBeGreaterThan(0);
    press(c, { escape: true, meta: true });
    expect(c.page).toBeNull();
  });
});

describe('pages', () => {
  test('long lines wrap at blanks to the screen, continuations indented', async () => {
    const { wrapLine } = await import('./repl-controller.js');
    const line = '  remove: removed 0x100000a00000-0x100000a10000, 0x100000a10000-0x100000a80000, 0x100000a80000-0x100000ae0000';
    const wrapped = wrapLine(line, 60);
    expect(wrapped).toEqual([
      '  remove: removed 0x100000a00000-0x100000a10000,',
      '    0x100000a10000-0x100000a80000,',
      '    0x100000a80000-0x100000ae0000',
    ]);
    expect(wrapLine('short', 60)).toEqual(['short']);
  });
});
