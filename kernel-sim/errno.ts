/**
 * A system call's failure. Thrown inside an operation and caught at its
 * boundary, where whatever the operation had already done stays done, as in
 * the kernel (mprotect across a hole keeps its earlier changes).
 */
export type Errno =
  | 'EPERM' | 'ENOENT' | 'ESRCH' | 'EINTR' | 'EIO' | 'EBADF' | 'EAGAIN' | 'ENOMEM' | 'EACCES'
  | 'EFAULT' | 'EEXIST' | 'EINVAL' | 'EOVERFLOW' | 'EOPNOTSUPP' | 'SIGSEGV' | 'SIGBUS';

export class SysError extends Error {
  constructor(readonly errno: Errno) {
    super(errno);
  }
}

export function fail(errno: Errno): never {
  throw new SysError(errno);
}
