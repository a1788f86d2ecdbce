import { readFileSync } from 'node:fs';

/** A scenario's text: FILE, or standard input for `-`. Returns a message instead of throwing. */
export function readScenario(path: string): { text: string; name: string } | { error: string } {
  try {
    if (path === '-') return { text: readFileSync(0, 'utf8'), name: '<stdin>' };
    return { text: readFileSync(path, 'utf8'), name: path };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    return { error: `${path}: cannot read scenario: ${why}` };
  }
}
