/**
 * Writing an export: never over an existing file without `force`, and
 * atomically. The text goes to a temporary file in the same folder, which is
 * flushed to disk and then put in place in one step (a hard link when the
 * path must not exist, which fails instead of replacing a file that appeared
 * meanwhile; a rename with --force). A reader never sees half a file, and on
 * any failure the path is as it was.
 */
import { chmodSync, closeSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export type WriteResult = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly error: string };

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'its folder does not exist';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return (e as Error).message;
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or never made.
  }
}

/** Make the rename itself durable; a folder that cannot be opened for this is no reason to fail. */
function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

export function writeExport(path: string, text: string, force: boolean): WriteResult {
  const target = resolve(path);
  const dir = dirname(target);
  let existing: ReturnType<typeof statSync> | null = null;
  try {
    existing = lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, error: `cannot write ${path}: ${reason(e)}` };
  }
  if (existing?.isDirectory()) return { ok: false, error: `cannot write ${path}: it is a folder` };
  // Renaming over a link, FIFO or device would replace it (as root, even /dev/stdout).
  if (existing && !existing.isFile()) return { ok: false, error: `cannot write ${path}: not a regular file (a link, FIFO or device is never replaced)` };
  if (existing && !force) return { ok: false, error: `${path} exists: add --force to replace it` };

  const tmp = join(dir, `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', existing ? existing.mode & 0o7777 : 0o666);
    const buf = Buffer.from(text, 'utf8');
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    if (existing) chmodSync(tmp, existing.mode & 0o7777);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    tryUnlink(tmp);
    return { ok: false, error: `cannot write ${path}: ${reason(e)}` };
  }
  try {
    if (force) renameSync(tmp, target);
    else {
      try {
        linkSync(tmp, target);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw e;
        // A file system without hard links: the check above has to do.
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') renameSync(tmp, target);
        else throw e;
      }
      tryUnlink(tmp);
    }
  } catch (e) {
    tryUnlink(tmp);
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { ok: false, error: `${path} exists: add --force to replace it` };
    return { ok: false, error: `cannot write ${path}: ${reason(e)}` };
  }
  syncFolder(dir);
  return { ok: true, path: target };
}
