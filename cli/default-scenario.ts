/**
 * What `vmasim` opens on: the address space of a typical small process,
 * mawk (which links libm and libc), laid out the way the kernel's ELF loader
 * and ld.so build it, moved into the default window so that `run --json`
 * reports it. Every line is an event: `undo` walks back through how it was
 * built, `goto 0` returns to the empty start.
 *
 * Each object is mapped the way the loaders map it: the whole file with the
 * first segment's protection, then the later segments MAP_FIXED over it, so
 * its segments sit at consecutive file offsets (r--, r-x, r--, rw-). libm's
 * data segment lies further on in memory than in the file: the hole between
 * its segments keeps the reservation's file offset and gets PROT_NONE, as
 * ld.so leaves it. Writes (`touch`) give the data, heap and stack their
 * anon_vmas.
 */
export const DEFAULT_SCENARIO_NAME = '<default process>';

export const DEFAULT_SCENARIO = `# mawk, as the kernel and ld.so set it up (moved into the default window)
file mawk 40K
file libm.so.6 904K
file libc.so.6 2068K
file ld-linux-x86-64.so.2 224K

# the program: headers r--, text r-x, read-only data r--, data rw-
mmap 0x100000000000 40K r-- fixed file=mawk off=0
mmap 0x100000002000 20K r-x fixed file=mawk off=0x2000
mmap 0x100000009000 4K rw- fixed file=mawk off=0x9000
touch 0x100000009000 4K

# the heap (brk), written to
mmap 0x100000020000 132K rw- fixed
touch 0x100000020000 16K

# the main thread's stack, growing down from the top
mmap 0x100000fdf000 132K rw- fixed growsdown
touch 0x100000ffc000 16K

# the dynamic linker
mmap 0x100000f00000 224K r-- fixed file=ld-linux-x86-64.so.2 off=0
mmap 0x100000f01000 172K r-x fixed file=ld-linux-x86-64.so.2 off=0x1000
mmap 0x100000f36000 8K rw- fixed file=ld-linux-x86-64.so.2 off=0x36000
touch 0x100000f36000 8K

# thread-local storage
mmap 0x100000ef0000 8K rw- fixed
touch 0x100000ef0000 8K

# libc: the whole file r--, then text and data over it, then .bss past the file's end
mmap 0x100000c00000 2068K r-- fixed file=libc.so.6 off=0
mmap 0x100000c28000 1568K r-x fixed file=libc.so.6 off=0x28000
mmap 0x100000dff000 24K rw- fixed file=libc.so.6 off=0x1ff000
mmap 0x100000e05000 52K rw- fixed
touch 0x100000dff000 76K

# libm: its data lies 64K further on in memory than in the file; the hole gets no access
mmap 0x100000a00000 968K r-- fixed file=libm.so.6 off=0
mmap 0x100000a10000 448K r-x fixed file=libm.so.6 off=0x10000
mprotect 0x100000ae0000 64K none
mmap 0x100000af0000 8K rw- fixed file=libm.so.6 off=0xe0000
`;
