import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSession } from '../cli/repl/open-session.js';
import { runLine } from '../cli/repl/run-line.js';
import { currentState } from '../commands/engine.js';
import { newParseContext } from '../commands/parse-context.js';
import { runScenario } from '../commands/run-scenario.js';
import { initialState } from '../kernel-sim/state.js';
import { encodeRecord } from '../store/journal-format.js';
import { mapsText } from './export-maps.js';
import { applyImport } from './import-data.js';
import { importDataOf, recordedImport } from './import-record.js';
import { loadImport } from './importers.js';
import { stateToSnapshot } from './json-snapshot.js';

const dir = mkdtempSync(join(tmpdir(), 'vmasim-import-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenarioState(text: string) {
  const r = runScenario(text, 'x.vma');
  if (!r.ok) throw new Error(r.message);
  return currentState(r.engine);
}

const STATE = scenarioState('file lib 16K\nmmap 0x200000000000 8K r-- fixed file=lib\nmmap 0x200000004000 8K rw- shared fixed\ntouch 0x200000004000\n');

/** The data as the journal holds it: through JSON and back. */
const viaJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('import data recorded in the journal', () => {
  it.each([
    ['json', JSON.stringify(stateToSnapshot(STATE))],
    ['maps', mapsText(STATE)],
  ] as const)('%s: read back, it gives the state the import gave', (format, text) => {
    const loaded = loadImport(format, { text, name: `x.${format}` });
    if (!loaded.ok) throw new Error(loaded.error);
    const cmd = { kind: 'import' as const, format, path: `x.${format}`, data: loaded.data };
    const back = recordedImport(format, cmd.path, viaJson(importDataOf(cmd)));
    if ('error' in back) throw new Error(back.error);
    const base = initialState();
    expect(stateToSnapshot(applyImport(base, back.cmd.data))).toEqual(stateToSnapshot(applyImport(base, loaded.data)));
    expect(importDataOf({ kind: 'mmap' })).toBeUndefined();
  });

  it('data that does not check is refused with the field that is wrong', () => {
    const maps = loadImport('maps', { text: mapsText(STATE), name: 'x.maps' });
    if (!maps.ok) throw new Error(maps.error);
    const data = viaJson(maps.data) as { vmas: { start: string }[]; source: unknown };
    const overlapping = { ...data, vmas: [data.vmas[0], { ...data.vmas[1], start: data.vmas[0]!.start }] };
    expect(recordedImport('maps', 'x.maps', overlapping)).toEqual({
      error: expect.stringMatching(/^the data recorded with it is not valid: vmas\[1\]/),
    });
    expect(recordedImport('maps', 'x.maps', { ...data, source: { kind: 'pid', pid: -1, path: '/proc/1/maps' } })).toEqual({
      error: expect.stringMatching(/^the data recorded with it is not valid: source: expected/),
    });
    expect(recordedImport('json', 'x.json', data)).toEqual({ error: 'the data recorded with it is not valid: kind: expected "state" for an import json, got "address-space"' });
    expect(recordedImport('smaps', 'x.smaps', data)).toEqual({ error: 'the data recorded with it is not valid: format: expected "smaps", got "maps"' });
    expect(recordedImport('json', 'x.json', [1])).toEqual({ error: 'the data recorded with it is not valid: expected a JSON object' });
  });

  it('an old journal’s import, recorded without data, is read again from its file, and the resume says so', async () => {
    const snapPath = join(dir, 'old.json');
    writeFileSync(snapPath, JSON.stringify(stateToSnapshot(STATE)));
    const journal = join(dir, 'old.jsonl');
    const t = 1_700_000_000_000;
    writeFileSync(
      journal,
      Buffer.concat([
        encodeRecord({ kind: 'header', format: 'vmasim-journal', version: 1, time: t }),
        encodeRecord({ kind: 'event', seq: 1, parent: 0, command: `import json ${snapPath}`, result: '0', time: t + 1 }),
      ]),
    );
    const opened = await openSession(null, { kind: 'empty' }, journal, newParseContext());
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.notes[0]).toBe(
      `Resumed old.jsonl: 1 event and 0 moves replayed; position 1. Line 2: its import was recorded without the data, so ${snapPath} was read again as it is now.`,
    );
    expect(currentState(opened.session.engine).processes[0]!.mm.vmas.size).toBe(2);
    // A new import in the continued journal carries its data: when the file changes, only the
    // old line follows it.
    runLine(opened.session, newParseContext(), `import json ${snapPath}`, { file: '<stdin>', line: 1 });
    opened.session.close();
    writeFileSync(snapPath, JSON.stringify(stateToSnapshot(scenarioState('mmap 0x300000000000 4K rw- fixed\n'))));
    const again = await openSession(null, { kind: 'empty' }, journal, newParseContext());
    if ('error' in again) throw new Error(again.error);
    expect(again.notes[0]).toBe(
      `Resumed old.jsonl: 2 events and 0 moves replayed; position 2. Line 2: its import was recorded without the data, so ${snapPath} was read again as it is now.`,
    );
    expect(again.session.engine.history.event(1)!.state.processes[0]!.mm.vmas.size).toBe(1);
    expect(stateToSnapshot(currentState(again.session.engine)).processes).toEqual(stateToSnapshot(STATE).processes);
    again.session.close();
  });
});
