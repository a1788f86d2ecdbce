/**
 * The file operations the journal uses, as an interface so tests can make
 * any of them fail (ENOSPC on the third write, EACCES on open, ...).
 * All synchronous: a line is on disk before the call that wrote it returns.
 */
import * as fs from 'node:fs';

export interface JournalFs {
  existsSync(path: string): boolean;
  readFileSync(path: string): Buffer;
  openSync(path: string, flags: string, mode?: number): number;
  fstatSync(fd: number): { readonly size: number };
  /** Reads at `position`; may read fewer bytes than asked. */
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  /** Writes at `position`; may write fewer bytes than asked. */
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
}

export const nodeJournalFs: JournalFs = {
  existsSync: (p) => fs.existsSync(p),
  readFileSync: (p) => fs.readFileSync(p),
  openSync: (p, flags, mode) => fs.openSync(p, flags, mode),
  fstatSync: (fd) => fs.fstatSync(fd),
  readSync: (fd, buf, off, len, pos) => fs.readSync(fd, buf, off, len, pos),
  writeSync: (fd, buf, off, len, pos) => fs.writeSync(fd, buf, off, len, pos),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  ftruncateSync: (fd, len) => fs.ftruncateSync(fd, len),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (a, b) => fs.renameSync(a, b),
  unlinkSync: (p) => fs.unlinkSync(p),
};
