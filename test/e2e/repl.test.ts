/**
 * The REPL as a person sees it: the real `vmasim` in a pseudo-terminal,
 * its screen rendered by a headless xterm. Every step waits for what should
 * appear on the screen.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanUp, launch, PROMPT } from './vmasim.js';

afterEach(cleanUp);

const ENTER = '\r';
const CTRL_C = '\x03';
const CTRL_D = '\x04';
const CTRL_R = '\x12';
const CTRL_Z = '\x1a';
const CTRL_Y = '\x19';
const TAB = '\t';
const ESC = '\x1b';
const PAGE_DOWN = '\x1b[6~';
const ALT_LEFT = '\x1b[1;3D';

/**
 * The live area of the last whole frame: from the table's header (or a
 * page's title) down to the key hint, its last line. Ink writes the
 * transcript and the live area separately: a test that waits for a result
 * waits for it here, in a frame drawn to its end.
 */
function live(screen: string): string | null {
  const lines = screen.split('\n');
  let hint = lines.length - 1;
  while (hint >= 0 && !lines[hint]!.startsWith('help commands')) hint--;
  let top = hint - 1;
  while (top >= 0 && !lines[top]!.startsWith('  Start ') && !lines[top]!.includes(' · Esc: the VMA table')) top--;
  return hint > 0 && top >= 0 ? lines.slice(top, hint + 1).join('\n') : null;
}

/** Wait until the live area shows `what`. */
function shows(what: string | RegExp): (screen: string) => boolean {
  return (screen) => {
    const l = live(screen);
    return l !== null && (typeof what === 'string' ? l.includes(what) : what.test(l));
  };
}

/** The row that shows the VMA starting at `start`. */
function row(screen: string, start: string): string {
  return screen.split('\n').find((l) => l.slice(2).startsWith(start + ' ')) ?? '';
}

describe('vmasim on a terminal', () => {
  test('opens on a typical small process with a hint on help, undo and quit', async () => {
    const { screen: s } = launch();
    const text = await s.waitFor(PROMPT);
    const lines = s.lines();
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(text).toMatch(/Start +End +Size Perm +Offset +av +File +VmFlags/);
    expect(row(text, '0x100000000000')).toMatch(/8K r--p +0x0 +mawk/);
    expect(row(text, '0x100000002000')).toMatch(/20K r-xp +0x2000 +mawk/);
    expect(row(text, '0x100000009000')).toMatch(/4K rw-p +0x9000 av1 mawk +mr mw me ac/);
    expect(row(text, '0x100000ae0000')).toMatch(/---p +0xe0000 +libm\.so\.6/);
    expect(text).toContain('typical small process');
    expect(text).toMatch(/help commands · \^Z\/\^Y undo\/redo · \^D quit/);
    expect(text).toMatch(/timeline 0….*\[27\] +event 27 of 27/);
    expect(text).toMatch(/zoom fit/);
    // The rest of the table is a PgDn away; the stack is at the end.
    s.write(PAGE_DOWN);
    expect(row(await s.waitFor('0x100000fdf000'), '0x100000fdf000')).toMatch(/132K rw-p +0x0 av3 +mr mw me gd ac/);
  });

  test('an mmap, then an mprotect that splits it: result, trace and highlights', async () => {
    const { screen: s } = launch(['--empty']);
    await s.waitFor('An empty address space');
    s.write('mmap 0x100000000000 16K rw- fixed' + ENTER);
    let text = await s.waitFor(shows('(event 1)'));
    expect(row(text, '0x100000000000')).toMatch(/^\+ 0x100000000000 0x100000004000 +16K rw-p/);
    s.write('mprotect 0x100000001000 4K r--' + ENTER);
    text = await s.waitFor(shows('[2 new, 1 changed, 0 removed]'));
    expect(row(text, '0x100000000000')).toMatch(/^~ 0x100000000000 0x100000001000 +4K rw-p/);
    expect(row(text, '0x100000001000')).toMatch(/^\+ 0x100000001000 0x100000002000 +4K r--p/);
    expect(row(text, '0x100000002000')).toMatch(/^\+ 0x100000002000 0x100000004000 +8K rw-p/);
    expect(text).toMatch(/\n  (no-merge|split): /);
    expect(text).toMatch(/timeline 0─1─\[2\] +event 2 of 2/);
  });

  test('undo with Ctrl-Z, redo with Ctrl-Y, goto, and back with Alt-Left', async () => {
    const { screen: s } = launch(['--empty']);
    await s.waitFor(PROMPT);
    s.write('mmap 0x100000000000 16K rw- fixed' + ENTER);
    await s.waitFor(shows('(event 1)'));
    s.write('munmap 0x100000000000 4K' + ENTER);
    await s.waitFor(shows('(event 2)'));
    s.write(CTRL_Z);
    let text = await s.waitFor(shows('at event 1 (undid 1)'));
    expect(row(text, '0x100000000000')).toMatch(/^~ 0x100000000000 0x100000004000 +16K/);
    expect(text).toMatch(/timeline 0─\[1\]─2 +event 1 of 2 · viewing the past/);
    s.write(CTRL_Y);
    await s.waitFor(shows('at event 2 (redid 1)'));
    s.write('goto 0' + ENTER);
    text = await s.waitFor(shows('at event 0'));
    expect(row(text, '0x100000001000')).toMatch(/^- 0x100000001000 0x100000004000/);
    expect(text).toMatch(/timeline \[0\]─1─2 +event 0 of 2/);
    s.write(ALT_LEFT);
    text = await s.waitFor(shows('back at event 2'));
    expect(row(text, '0x100000001000')).toMatch(/^\+ 0x100000001000 0x100000004000 +12K/);
  });

  test('help lists the commands on a page that scrolls; Esc returns to the table', async () => {
    const { screen: s } = launch();
    await s.waitFor(PROMPT);
    s.write('help' + ENTER);
    let text = await s.waitFor(shows('Commands (help COMMAND for more):'));
    expect(text).toMatch(/lines 1-\d+ of \d+/);
    expect(text).toContain('  mmap ');
    expect(text).not.toContain('Start ');
    s.write(PAGE_DOWN);
    text = await s.waitFor(shows(/lines (?!1-)\d+-\d+ of/));
    s.write(ESC);
    text = await s.waitFor(shows('  Start '));
    s.write('help mprotect' + ENTER);
    text = await s.waitFor(shows('mprotect ADDR LEN PROT'));
  });

  test('Tab completes commands, VMA addresses and paths', async () => {
    const { screen: s, home } = launch();
    writeFileSync(join(home, 'saved-state.json'), '{}');
    await s.waitFor(PROMPT);
    s.write('mpro' + TAB);
    await s.waitFor('vmasim> mprotect ');
    s.write('0x100000c2' + TAB);
    await s.waitFor('vmasim> mprotect 0x100000c28000 ');
    s.write(CTRL_C);
    await s.waitFor(/vmasim> *\n/);
    s.write('mmap 0x100000' + TAB);
    let text = await s.waitFor(/vmasim> mmap 0x100000 *\n0x100000000000 +0x100000002000/);
    expect(text).toMatch(/… \d+ more/);
    s.write(CTRL_C + 'import json sav' + TAB);
    text = await s.waitFor('vmasim> import json saved-state.json ');
  });

  test('history: Up recalls lines from an earlier run; Ctrl-R searches them', async () => {
    const first = launch(['--empty']);
    await first.screen.waitFor(PROMPT);
    first.screen.write('mmap 0x100000000000 8K rw- fixed' + ENTER);
    await first.screen.waitFor(shows('(event 1)'));
    first.screen.write('madvise 0x100000000000 4K dontfork' + ENTER);
    await first.screen.waitFor(shows('(event 2)'));
    first.screen.write(CTRL_D);
    expect((await first.screen.exited).exitCode).toBe(0);

    const { screen: s } = launch(['--empty'], { home: first.home });
    await s.waitFor(PROMPT);
    s.write('\x1b[A');
    await s.waitFor('vmasim> madvise 0x100000000000 4K dontfork');
    s.write(CTRL_C + CTRL_R + 'mmap 0x1');
    await s.waitFor("(reverse-i-search)'mmap 0x1': mmap 0x100000000000 8K rw- fixed");
    s.write(ENTER);
    await s.waitFor(shows('(event 1)'));
  });

  test('a bad command shows where it is wrong and changes nothing', async () => {
    const { screen: s } = launch();
    await s.waitFor(PROMPT);
    s.write('mmap 0x100000000000 4K rwz' + ENTER);
    const text = await s.waitFor(shows('column 24: expected a PROT'));
    expect(live(text)).toMatch(/vmasim> *\n/);
    expect(text).toContain('vmasim> mmap 0x100000000000 4K rwz\n' + ' '.repeat(31) + "^ expected a PROT like rw- or none, got 'rwz'");
    expect(text).toMatch(/event 27 of 27/);
    s.write('munmap 0x100000000001 4K' + ENTER);
    await s.waitFor(shows('=> -1 EINVAL'));
  });

  test('a resized terminal gets a wider and taller view', async () => {
    const { screen: s } = launch();
    let text = await s.waitFor(PROMPT);
    expect(text).not.toContain('0x100000fdf000');
    s.resize(120, 40);
    text = await s.waitFor((t) => t.includes('0x100000fdf000') && t.includes('ld-linux-x86-64.so.2'));
    expect(s.lines().every((l) => l.length <= 120)).toBe(true);
    s.resize(80, 24);
    await s.waitFor((t) => !t.includes('0x100000fdf000') && t.includes(PROMPT));
  });

  test('quits cleanly with Ctrl-D, and with quit', async () => {
    const a = launch();
    await a.screen.waitFor(PROMPT);
    a.screen.write('x' + CTRL_D);
    await a.screen.waitFor('vmasim> x');
    a.screen.write(CTRL_C + CTRL_D);
    expect(await a.screen.exited).toEqual({ exitCode: 0, signal: 0 });
    const b = launch(['--empty']);
    await b.screen.waitFor(PROMPT);
    b.screen.write('quit' + ENTER);
    expect((await b.screen.exited).exitCode).toBe(0);
    await b.screen.flush();
    // The transcript stays; the live area is gone.
    expect(b.screen.text()).toContain('vmasim> quit');
    expect(b.screen.text()).not.toContain('timeline');
  });
});
