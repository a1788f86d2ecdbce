import { readFileSync } from 'node:fs';
import { readInputFile } from '../snapshots/read-input-file.js';

/** A scenario's text: FILE, or standard input for `-`. Returns a message instead of throwing. */
export function readScenario(path: string): { text: string; name: string } | { error: string } {
  if (path === '-') {
    try {
      return { text: readFileSync(0, 'utf8'), name: '<stdin>' };
    } catch (e) {
      return { error: `<stdin>: cannot read scenario: ${(e as Error).message}` };
    }
  }
  const read = readInputFile(path);
  if ('error' in read) {
    const why = read.error.replace(`cannot read ${path}: `, '').replace('it is a folder', 'is a directory');
    return { error: `${path}: cannot read scenario: ${why}` };
  }
  return { text: read.text, name: path };
}
