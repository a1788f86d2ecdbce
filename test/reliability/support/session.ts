/**
 * Sessions for the reliability tests: the REPL's actor session with its
 * relative paths inside a sandbox, optionally journalled; what can be
 * observed of one (to prove a refused line changed nothing); and a sandbox
 * seeded with the files the hostile lines name.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import type { Command } from '../../../commands/ast.js';
import { currentState } from '../../../commands/engine.js';
import { runScenario } from '../../../commands/run-scenario.js';
import { actorSession, simHistoryOptions, type Session } from '../../../cli/repl/session.js';
import { stateToSnapshot } from '../../../snapshots/json-snapshot.js';
import { mapsText } from '../../../snapshots/export-maps.js';
import { History } from '../../../store/history.js';
import type { JournalWriter } from '../../../store/journal.js';

export function simSession(baseDir: string, journal: JournalWriter | null = null): Session {
  const make = simHistoryOptions();
  return actorSession({ history: History.create(make.options), make, journal, baseDir });
}

export interface Observed {
  readonly position: number;
  readonly newest: number;
  readonly size: number;
  /** The current state itself: the same object when nothing changed. */
  readonly state: unknown;
  readonly window: unknown;
  readonly mode: string;
}

export function observe(s: Session): Observed {
  const h = s.engine.history;
  return { position: h.position, newest: h.newest, size: h.size, state: h.current.state, window: s.engine.window, mode: s.mode };
}

/** What differs between two observations (empty when the session is as it was). */
export function changes(a: Observed, b: Observed): string[] {
  const out: string[] = [];
  for (const k of ['position', 'newest', 'size', 'mode'] as const) if (a[k] !== b[k]) out.push(`${k} ${a[k]} -> ${b[k]}`);
  if (a.state !== b.state) out.push('the state changed');
  if (JSON.stringify(a.window) !== JSON.stringify(b.window)) out.push('the window changed');
  return out;
}

const SEED_SCENARIO = 'file data 16K\nmmap 0x100000000000 8K rw- fixed\nmmap 0x100000004000 4K r-- shared fixed file=data\ntouch 0x100000000000\n';

/** The files that the hostile lines' PATHs name: some valid, some not. */
export function seedSandbox(dir: string): void {
  const run = runScenario(SEED_SCENARIO, join(dir, 'seed.vma'));
  if (!run.ok) throw new Error(run.message);
  const state = currentState(run.engine);
  writeFileSync(join(dir, 'existing.json'), JSON.stringify(stateToSnapshot(state), null, 2));
  writeFileSync(join(dir, 'bad.json'), '{"format":"vmasim-snapshot","version":1,"config":{}}');
  writeFileSync(join(dir, 'good.maps'), mapsText(state));
  writeFileSync(join(dir, 'good.vma'), SEED_SCENARIO);
  mkdirSync(join(dir, 'dir'), { recursive: true });
}

/**
 * Whether every PATH of a command stays inside `dir`: hostile lines may name
 * any path, and `export ... --force` as root could replace system files.
 */
export function pathsInside(cmd: Command, baseDir: string, dir = baseDir): boolean {
  if (cmd.kind !== 'export' && cmd.kind !== 'import') return true;
  const p = isAbsolute(cmd.path) ? cmd.path : resolve(baseDir, cmd.path);
  return p.startsWith(dir + sep);
}
