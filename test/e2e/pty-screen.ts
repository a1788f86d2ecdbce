/**
 * A program in a pseudo-terminal, its output rendered by a headless xterm:
 * tests read the screen as a person would see it, and wait for what should
 * appear instead of sleeping.
 */
/// <reference path="../../node_modules/node-pty/node-pty.d.ts" />
import { createRequire } from 'node:module';
import xterm from '@xterm/headless';
import type * as NodePty from '@lydell/node-pty';

// Installed as `node-pty` (the prebuilt @lydell/node-pty), whose types name the module @lydell/node-pty.
const pty = createRequire(import.meta.url)('node-pty') as typeof NodePty;

export interface ScreenOptions {
  readonly cols?: number;
  readonly rows?: number;
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
}

export class PtyScreen {
  readonly term: xterm.Terminal;
  readonly proc: NodePty.IPty;
  readonly exited: Promise<{ exitCode: number; signal?: number }>;
  #raw = '';
  #exit: { exitCode: number; signal?: number } | null = null;

  constructor(command: string, args: readonly string[], opts: ScreenOptions = {}) {
    const cols = opts.cols ?? 80;
    const rows = opts.rows ?? 24;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, TERM: 'xterm-256color', ...opts.env })) if (v !== undefined) env[k] = v;
    // Ink draws nothing when it believes it runs in CI.
    delete env['CI'];
    delete env['CONTINUOUS_INTEGRATION'];
    this.term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 2000 });
    this.proc = pty.spawn(command, [...args], { name: 'xterm-256color', cols, rows, cwd: opts.cwd ?? process.cwd(), env });
    this.proc.onData((d) => {
      this.#raw += d;
      this.term.write(d);
    });
    this.exited = new Promise((resolve) => {
      this.proc.onExit((e) => {
        this.#exit = e;
        resolve(e);
      });
    });
  }

  /** Everything the program wrote, escape codes included. */
  get raw(): string {
    return this.#raw;
  }

  /** Wait until xterm has parsed everything received so far. */
  flush(): Promise<void> {
    return new Promise((resolve) => this.term.write('', resolve));
  }

  /** The visible screen, one string per row, trailing blanks removed. */
  lines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
    return out;
  }

  text(): string {
    return this.lines().join('\n');
  }

  /** The screen and the scrollback above it. */
  all(): string {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < b.length; y++) out.push(b.getLine(y)?.translateToString(true) ?? '');
    return out.join('\n');
  }

  write(data: string): void {
    this.proc.write(data);
  }

  resize(cols: number, rows: number): void {
    this.proc.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  /** Poll the rendered screen until `test` holds; fail with the screen after `timeout` ms. */
  async waitFor(test: string | RegExp | ((screen: string) => boolean), opts: { timeout?: number; what?: string; scrollback?: boolean } = {}): Promise<string> {
    const timeout = opts.timeout ?? 10_000;
    const check = typeof test === 'string' ? (s: string) => s.includes(test) : test instanceof RegExp ? (s: string) => test.test(s) : test;
    const deadline = Date.now() + timeout;
    for (;;) {
      await this.flush();
      const screen = opts.scrollback ? this.all() : this.text();
      if (check(screen)) return screen;
      if (this.#exit !== null) throw new Error(`the program exited (${JSON.stringify(this.#exit)}) before ${opts.what ?? String(test)} appeared:\n${screen}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? String(test)}; the screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  kill(): void {
    if (this.#exit === null) this.proc.kill();
  }
}
