import { readFileSync, statSync } from 'node:fs';

/** The largest file `run`, `import` and a script import will read. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * Read a file a user named, refusing what would hang or exhaust memory (a
 * FIFO, a device, something larger than MAX_INPUT_BYTES) with a message
 * instead of reading it. /proc files report size 0 and are read as usual.
 */
export function readInputFile(path: string, shown: string = path): { text: string } | { error: string } {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return { error: `cannot read ${shown}: it is a folder` };
    if (!st.isFile()) return { error: `cannot read ${shown}: not a regular file (a FIFO, socket or device would never end)` };
    if (st.size > MAX_INPUT_BYTES) return { error: `cannot read ${shown}: ${st.size} bytes is more than the limit of ${MAX_INPUT_BYTES}` };
    return { text: readFileSync(path, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    return { error: `cannot read ${shown}: ${why}` };
  }
}
