/**
 * An in-memory JournalFs for tests, with failures on demand: `fault` runs
 * before every operation and may throw (use `errno`), and `writeLimit` makes
 * every write short.
 */
import type { JournalFs } from '../journal-fs.js';

export type FsOp = 'open' | 'read' | 'fstat' | 'write' | 'fsync' | 'ftruncate' | 'close' | 'rename' | 'unlink';

export function errno(code: string, what = 'operation'): Error {
  return Object.assign(new Error(`${code}: ${what} failed`), { code });
}

interface Handle {
  readonly path: string;
  readonly dir: boolean;
}

export class MemoryFs implements JournalFs {
  readonly files = new Map<string, Buffer>();
  readonly dirs = new Set<string>(['/', '/j']);
  fault: ((op: FsOp, path: string) => void) | null = null;
  writeLimit: number | null = null;
  syncs = 0;
  private readonly handles = new Map<number, Handle>();
  private nextFd = 3;

  private check(op: FsOp, path: string): void {
    this.fault?.(op, path);
  }

  private handle(fd: number): Handle {
    const h = this.handles.get(fd);
    if (!h) throw errno('EBADF');
    return h;
  }

  existsSync(path: string): boolean {
    return this.files.has(path) || this.dirs.has(path);
  }

  readFileSync(path: string): Buffer {
    this.check('read', path);
    const f = this.files.get(path);
    if (!f) throw errno('ENOENT', `read ${path}`);
    return Buffer.from(f);
  }

  openSync(path: string, flags: string): number {
    this.check('open', path);
    if (this.dirs.has(path)) {
      if (flags !== 'r') throw errno('EISDIR');
    } else if (flags === 'wx') {
      if (this.files.has(path)) throw errno('EEXIST', `open ${path}`);
      this.files.set(path, Buffer.alloc(0));
    } else if (!this.files.has(path)) {
      throw errno('ENOENT', `open ${path}`);
    }
    const fd = this.nextFd++;
    this.handles.set(fd, { path, dir: this.dirs.has(path) });
    return fd;
  }

  fstatSync(fd: number): { size: number } {
    const h = this.handle(fd);
    this.check('fstat', h.path);
    return { size: this.files.get(h.path)?.length ?? 0 };
  }

  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number {
    const h = this.handle(fd);
    this.check('read', h.path);
    const f = this.files.get(h.path)!;
    const part = f.subarray(Math.min(position, f.length), Math.min(position + length, f.length));
    buffer.set(part, offset);
    return part.length;
  }

  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number {
    const h = this.handle(fd);
    this.check('write', h.path);
    const n = Math.min(length, this.writeLimit ?? length);
    const old = this.files.get(h.path)!;
    const size = Math.max(old.length, position + n);
    const next = Buffer.alloc(size);
    old.copy(next);
    next.set(buffer.subarray(offset, offset + n), position);
    this.files.set(h.path, next);
    return n;
  }

  fsyncSync(fd: number): void {
    const h = this.handle(fd);
    this.check('fsync', h.path);
    this.syncs++;
  }

  ftruncateSync(fd: number, length: number): void {
    const h = this.handle(fd);
    this.check('ftruncate', h.path);
    const old = this.files.get(h.path)!;
    const next = Buffer.alloc(length);
    old.copy(next, 0, 0, Math.min(length, old.length));
    this.files.set(h.path, next);
  }

  closeSync(fd: number): void {
    const h = this.handle(fd);
    this.handles.delete(fd);
    this.check('close', h.path);
  }

  renameSync(from: string, to: string): void {
    this.check('rename', from);
    const f = this.files.get(from);
    if (!f) throw errno('ENOENT', `rename ${from}`);
    this.files.delete(from);
    this.files.set(to, f);
  }

  unlinkSync(path: string): void {
    this.check('unlink', path);
    if (!this.files.delete(path)) throw errno('ENOENT', `unlink ${path}`);
  }

  text(path: string): string {
    return this.files.get(path)?.toString('utf8') ?? '';
  }
}
