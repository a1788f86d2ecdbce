/**
 * A journal operation that failed on disk. Thrown by the journal (the caller
 * turns it into a message); whatever it interrupted left no line that a
 * resume would replay, except where `left` is 'whole' (and says so).
 */
export type JournalOp = 'open' | 'read' | 'write' | 'sync' | 'truncate' | 'rename' | 'save-damaged';

/**
 * What a line that failed left in the file:
 * - nothing: it was taken back (or never reached the file);
 * - partial: the file may end in part of it, which resuming cuts off;
 * - cancelled: the whole line may be there, followed by a cancel line, so
 *   resuming skips it;
 * - whole: the whole line may be there and could not be cancelled either, so
 *   resuming may replay it;
 * - earlier: this line was not written, because an earlier failure left the
 *   file in one of the states above.
 */
export type LineLeft = 'nothing' | 'partial' | 'cancelled' | 'whole' | 'earlier';

const ADVICE: Record<string, string> = {
  ENOSPC: 'the disk is full: free some space',
  EDQUOT: 'the disk quota is used up: free some space',
  EACCES: 'permission denied: check the permissions of the file and its folder',
  EPERM: 'operation not permitted: check the permissions of the file and its folder',
  EROFS: 'the file system is read-only',
  EEXIST: 'the file exists already',
  ENOENT: 'the file or its folder does not exist',
  EIO: 'an input/output error: the disk may be failing',
  EFBIG: 'the journal would grow past its size limit: keep this session with export and start a new journal',
};

const LEFT: Record<LineLeft, string> = {
  nothing: '',
  partial: '. The journal may end in a partial line, which resuming will cut off; no more lines can be written to it',
  cancelled:
    '. The journal could not be cut back: its line is followed by one that cancels it, so resuming skips it; no more lines can be written to it',
  whole:
    '. The journal could be neither cut back nor have the line cancelled: resuming it may replay this command; no more lines can be written to it',
  earlier: '. No more lines can be written to this journal since an earlier line failed',
};

export class JournalWriteError extends Error {
  override readonly name = 'JournalWriteError';
  constructor(
    /** errno name (ENOSPC, EACCES, ...), or EUNKNOWN. */
    readonly code: string,
    readonly op: JournalOp,
    readonly path: string,
    readonly left: LineLeft = 'nothing',
    options?: { cause?: unknown },
  ) {
    super(`journal ${path}: ${op} failed: ${ADVICE[code] ?? code}` + (ADVICE[code] ? ` (${code})` : '') + LEFT[left], options);
  }

  /** The file may hold what the failed line left: no further line can be written to this journal. */
  get torn(): boolean {
    return this.left !== 'nothing';
  }

  static from(err: unknown, op: JournalOp, path: string, left: LineLeft = 'nothing'): JournalWriteError {
    if (err instanceof JournalWriteError) return err;
    const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'EUNKNOWN';
    return new JournalWriteError(code, op, path, left, { cause: err });
  }
}
