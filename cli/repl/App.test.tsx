import { render } from 'ink-testing-library';
import { describe, expect, test } from 'vitest';
import { newParseContext } from '../../commands/parse-context.js';
import { App } from './App.js';
import { InputHistory } from './input-history.js';
import { openSession } from './open-session.js';
import { ReplController } from './repl-controller.js';

async function app(transcriptLimit?: number) {
  const ctx = newParseContext();
  const opened = await openSession(null, { kind: 'default' }, null, ctx);
  if ('error' in opened) throw new Error(opened.error);
  const c = new ReplController({ session: opened.session, ctx, history: new InputHistory(), historyPath: null, size: { columns: 80, rows: 24 }, welcome: opened.welcome, ...(transcriptLimit ? { transcriptLimit } : {}) });
  return { c, ...render(<App controller={c} />) };
}

/** Frames are drawn after React commits: wait for the one that shows `text`. */
async function frameWith(lastFrame: () => string | undefined, text: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const f = lastFrame() ?? '';
    if (f.includes(text)) return f;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`no frame shows ${JSON.stringify(text)}:\n${lastFrame()}`);
}

describe('the App', () => {
  test('shows the table, the strip, the welcome, the timeline, the prompt and the keys, within 80x24', async () => {
    const { lastFrame, unmount } = await app();
    const frame = await frameWith(lastFrame, 'vmasim>');
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThan(24);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^ {2}Start +End +Size Perm +Offset av +File +VmFlags$/);
    expect(frame).toContain('0x100000002000 0x100000007000   20K r-xp   0x2000     mawk');
    expect(frame).toMatch(/▼\d+ PgUp\/PgDn/);
    expect(frame).toContain('zoom fit');
    expect(frame).toContain('typical small process');
    expect(frame).toMatch(/timeline 0….*\[27\] +event 27 of 27/);
    expect(frame).toContain('help commands · ^Z/^Y undo/redo · ^D quit');
    unmount();
  });

  test('keys typed reach the controller; a page replaces the table', async () => {
    const { lastFrame, stdin, unmount } = await app();
    await frameWith(lastFrame, 'vmasim>');
    stdin.write('help vma\r');
    const frame = await frameWith(lastFrame, 'vma SUBCOMMAND');
    expect(frame).not.toContain('Start ');
    expect(frame).toContain('Esc: the VMA table');
    unmount();
  });

  test('every transcript line is printed once, in order, while the controller drops old ones', async () => {
    const limit = 40;
    const { c, lastFrame, unmount } = await app(limit);
    await frameWith(lastFrame, 'vmasim>');
    const typed: string[] = [];
    // Batches of 15 lines (60 transcript lines) between frames: the controller keeps at most twice
    // its limit, so it drops lines several times over the run, each after the frame that printed it.
    for (let batch = 0; batch < 4; batch++) {
      for (let i = 0; i < 15; i++) {
        // Each line different, and few VMAs: a mapping that replaces the one before it.
        const line = `mmap 0x110000000000 ${typed.length + 1}p rw- fixed`;
        typed.push(line);
        c.run(line);
      }
      expect(c.transcript.length).toBeLessThanOrEqual(2 * limit);
      c.onChange();
      await frameWith(lastFrame, `vmasim> ${typed[typed.length - 1]}`);
    }
    expect(c.transcript[0]!.id).toBeGreaterThan(0);
    const echoed = lastFrame()!.split('\n').filter((l) => l.startsWith('vmasim> mmap'));
    expect(echoed).toEqual(typed.map((l) => `vmasim> ${l}`));
    unmount();
  });
});
