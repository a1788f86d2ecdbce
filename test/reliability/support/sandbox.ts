/**
 * Temporary folders for tests that write files, and a fingerprint of a
 * folder's contents to prove that a refused command wrote nothing.
 * /dev/shm is preferred where it exists: fsync costs nothing there, and
 * the journal and export code call it on every line.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

/** `exec`: programs will be run from it (/dev/shm is often mounted noexec). */
export function sandbox(prefix = 'vmasim-rel-', opts: { readonly exec?: boolean } = {}): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(join(opts.exec ? tmpdir() : ROOT, prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  // Also when the tests that would remove it are filtered out or the run is cut short.
  process.once('exit', () => {
    try {
      remove();
    } catch {
      // A folder still mounted on stays; nothing else can be done at exit.
    }
  });
  return { dir, remove };
}

/** Every entry under dir (recursively) with its kind and a hash of its contents. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(p);
      if (st.isDirectory()) {
        out[r] = `dir ${st.mode & 0o7777}`;
        walk(p, r);
      } else if (st.isSymbolicLink()) out[r] = `link ${readlinkSync(p)}`;
      else if (st.isFile()) out[r] = `file ${st.mode & 0o7777} ${createHash('sha1').update(readFileSync(p)).digest('hex')}`;
      else out[r] = st.isFIFO() ? 'fifo' : 'other';
    }
  };
  walk(dir, '');
  return out;
}
