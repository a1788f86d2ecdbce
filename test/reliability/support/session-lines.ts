/** Lines a session is made of in the journal tests: commands that make events, and moves. */
export const SESSION_LINES = [
  'mmap 0x100000000000 16K rw- fixed', 'mprotect 0x100000001000 4K r--', 'munmap 0x100000002000 4K', 'touch 0x100000000000 8K',
  'madvise 0x100000000000 4K dontfork', 'mmap - 8K r-- shared file=data off=4K', 'mlock 0x100000000000 4K', 'mremap 0x100000000000 4K 8K maymove',
  'fork', 'process 1', 'process 0', 'name 0x100000000000 4K x', 'mseal 0x100000003000 4K', 'config soft_dirty on', 'mmap 0x100000010000 4K rwx fixed',
  'undo', 'undo 2', 'redo', 'goto 1', 'goto 3', 'vma add 0x1000 0x3000 1 rd,wr,mr,mw av=a', 'vma split 0x2000', 'munmap 0x100000000000 1G',
] as const;
