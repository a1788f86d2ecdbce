/**
 * A journal operation that failed on disk. Thrown by the journal (the caller
 * turns it into a message); whatever it interrupted left no line that a
 * resume would take as valid.
 */
export type JournalOp = 'open' | 'read' | 'write' | 'sync' | 'truncate' | 'rename' | 'save-damaged';

const ADVICE: Record<string, string> = {
  ENOSPC: 'the disk is full: free some space',
  EDQUOT: 'the disk quota is used up: free some space',
  EACCES: 'permission denied: check the permissions of the file and its folder',
  EPERM: 'operation not permitted: check the permissions of the file and its folder',
  EROFS: 'the file system is read-only',
  EEXIST: 'the file exists already',
  ENOENT: 'the file or its folder does not exist',
  EIO: 'an input/output error: the disk may be failing',
};

export class JournalWriteError extends Error {
  override readonly name = 'JournalWriteError';
  constructor(
    /** errno name (ENOSPC, EACCES, ...), or EUNKNOWN. */
    readonly code: string,
    readonly op: JournalOp,
    readonly path: string,
    /**
     * The file may end in a partial line that could not be removed; resuming
     * cuts it off. No further line can be written to this journal.
     */
    readonly torn: boolean,
    options?: { cause?: unknown },
  ) {
    super(
      `journal ${path}: ${op} failed: ${ADVICE[code] ?? code}` +
        (ADVICE[code] ? ` (${code})` : '') +
        (torn ? '. The journal may end in a partial line, which resuming will cut off; no more lines can be written to it' : ''),
      options,
    );
  }

  static from(err: unknown, op: JournalOp, path: string, torn = false): JournalWriteError {
    if (err instanceof JournalWriteError) return err;
    const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'EUNKNOWN';
    return new JournalWriteError(code, op, path, torn, { cause: err });
  }
}
