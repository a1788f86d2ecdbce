/*
 * vmasim-helper: runs a scenario's system calls on the host kernel and prints
 * what they returned and the resulting /proc/self/smaps of every process.
 *
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The helper must not disturb what it measures:
 *   - address randomisation is switched off (personality ADDR_NO_RANDOMIZE,
 *     then a re-exec) and RLIMIT_STACK is set to 8 MiB, so that kernel-chosen
 *     addresses and the top of the mmap area (0x7ffff7fff000) are reproducible;
 *   - every buffer is static (allocated when the program is loaded); nothing
 *     calls malloc or stdio, and nothing of the helper is mapped after start;
 *   - before the first scenario system call the helper checks that none of its
 *     own mappings meets the scenario window, and refuses to run otherwise;
 *   - all input is read and parsed before anything is executed.
 *
 * Processes. The process started by the caller is a supervisor: it never runs
 * scenario lines itself. It forks process 0, which runs the lines of process 0;
 * a `fork` line runs fork(2) in the process it acts on, and the new child
 * becomes the next process number. Each scenario process waits on its own
 * command pipe (all pipes are created before the first fork); the supervisor
 * sends every line to the process it acts on, in input order, and waits for
 * its answer on a shared reply pipe. At the end every process reads its own
 * /proc/self/smaps and writes it to standard output.
 *
 * Input (standard input), one command a line; numbers are u64, decimal or 0x-hex:
 *   window START END                   optional; limits the smaps output to the VMAs
 *                                      meeting [START, END) (reported whole), and
 *                                      makes the helper refuse to run if one of its
 *                                      own mappings meets that range
 *   file IDX SIZE                      IDX = 0, 1, 2, ... in order: a zero-filled regular
 *                                      file of SIZE bytes in a fresh directory under /tmp,
 *                                      opened O_RDWR once (all files are created before
 *                                      the first scenario system call, and removed at the end)
 *   mmap ADDR LEN PROT FLAGS FILE OFF  FLAGS are MAP_* bits; FILE a file IDX or `-`
 *   munmap ADDR LEN
 *   mprotect ADDR LEN PROT
 *   madvise ADDR LEN ADVICE            ADVICE is the MADV_* value
 *   mlock ADDR LEN ONFAULT             ONFAULT 1: mlock2(MLOCK_ONFAULT), 0: mlock
 *   munlock ADDR LEN
 *   mremap ADDR OLDLEN NEWLEN FLAGS NEWADDR
 *   mseal ADDR LEN
 *   name ADDR LEN [NAME]               prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME); no NAME clears
 *   touch ADDR LEN r|w                 access one byte in every page meeting [ADDR, ADDR+LEN)
 *   fork
 *   process N
 *   end                                optional; nothing after it is read
 *
 * Output (standard output):
 *   vmasim-helper 1
 *   one result line per input line (except `end`), in input order:
 *     ok HEX        the value returned (fork: the child's number; window/file/process: 0)
 *     err ENAME     the errno name (process: ESRCH for a process that does not exist)
 *     sig SIGNAME   touch only: SIGSEGV or SIGBUS
 *   @@current N                        the current process after the last line
 *   then for every process, in number order:
 *   @@process N parent P|-
 *   the text of its /proc/self/smaps (only the VMAs meeting the window when one is given)
 *   @@end N
 *   @@done
 * So that the output is the same on every run of the same input, the header line of a
 * mapping of one of the scenario's files shows inode 0 and the name `vmasim-file:IDX`
 * instead of the temporary path, and shared anonymous memory shows inode 0; the column
 * layout is kept as the kernel prints it.
 *
 * SIGTERM, SIGINT or SIGHUP end the scenario processes, remove the files and exit 1.
 *
 * Exit status: 0 success; 2 malformed input; 3 the scenario cannot be run here (the
 * message on standard error starts with `line K:` when it is about input line K);
 * 1 any other failure (for example a scenario process that died).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>

#define PAGE 4096ULL
#define STACK_LIMIT (8ULL << 20)

#define MAX_INPUT (8u << 20)
#define MAX_CMDS (1u << 18)
#define MAX_PROCS 512
#define MAX_FILES 1024
#define MAX_TOKENS 8
#define SMAPS_BUF (1u << 20)
#define OUT_BUF (1u << 16)
#define ALT_STACK_SIZE (256u << 10)

#ifndef SYS_mseal
#define SYS_mseal 462
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#endif
#ifndef PR_SET_VMA_ANON_NAME
#define PR_SET_VMA_ANON_NAME 0
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif

enum op {
	OP_WINDOW, OP_FILE, OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_MADVISE, OP_MLOCK, OP_MUNLOCK,
	OP_MREMAP, OP_MSEAL, OP_NAME, OP_TOUCH, OP_FORK, OP_PROCESS,
};

struct cmd {
	uint64_t a[6];
	const char *name; /* OP_NAME: the name, or NULL to clear */
	int file;         /* OP_MMAP: file index, or -1 */
	int line;         /* input line number */
	unsigned char op;
	unsigned char flag; /* OP_MLOCK: onfault; OP_TOUCH: write */
};

enum msg_kind { MSG_LINE = 1, MSG_DUMP, MSG_QUIT };

struct msg {
	int kind;
	int idx;   /* MSG_LINE: command index */
	int child; /* MSG_LINE of a fork: the child's process number */
};

enum reply_kind { REP_OK = 1, REP_ERR, REP_SIG, REP_FAIL };

struct reply {
	int kind;
	int code;     /* REP_ERR: errno; REP_SIG: signal number */
	uint64_t val; /* REP_OK: the value; fork: the child's pid */
};

/* ---- static storage: everything the helper ever uses ---- */
static char in_buf[MAX_INPUT + 1];
static struct cmd cmds[MAX_CMDS];
static int ncmds;
static int nforks;

static int have_window;
static uint64_t win_start, win_end;

static int nfiles;
static uint64_t file_size[MAX_FILES];
static int file_fd[MAX_FILES];
static unsigned file_major[MAX_FILES], file_minor[MAX_FILES];
static uint64_t file_ino[MAX_FILES];
static char tmp_dir[4096];
static char path_buf[128];

static int cmd_pipe[MAX_PROCS][2];
static int reply_pipe[2];
static int npipes;

/* supervisor only */
static int nprocs;
static pid_t proc_pid[MAX_PROCS];
static int proc_pidfd[MAX_PROCS];
static int proc_parent[MAX_PROCS];

static char out_buf[OUT_BUF];
static size_t out_len;
static char smaps_buf[SMAPS_BUF];
static unsigned char alt_stack[ALT_STACK_SIZE] __attribute__((aligned(64)));

static sigjmp_buf touch_jb;
static volatile sig_atomic_t in_touch;

/* ---- output ---- */
static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		p += w;
		n -= (size_t)w;
	}
}

static void out_flush(void)
{
	write_all(1, out_buf, out_len);
	out_len = 0;
}

static void out_mem(const char *p, size_t n)
{
	while (n > 0) {
		size_t room = OUT_BUF - out_len;
		size_t k = n < room ? n : room;
		memcpy(out_buf + out_len, p, k);
		out_len += k;
		p += k;
		n -= k;
		if (out_len == OUT_BUF)
			out_flush();
	}
}

static void out_str(const char *s) { out_mem(s, strlen(s)); }

static void fmt_hex(char *b, uint64_t v)
{
	char t[17];
	int n = 0;
	do {
		t[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	*b++ = '0';
	*b++ = 'x';
	while (n)
		*b++ = t[--n];
	*b = 0;
}

static void fmt_dec(char *b, uint64_t v)
{
	char t[21];
	int n = 0;
	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*b++ = t[--n];
	*b = 0;
}

static void out_hex(uint64_t v)
{
	char b[24];
	fmt_hex(b, v);
	out_str(b);
}

static void out_dec(uint64_t v)
{
	char b[24];
	fmt_dec(b, v);
	out_str(b);
}

static void err_str(const char *s) { write_all(2, s, strlen(s)); }

static void err_dec(uint64_t v)
{
	char b[24];
	fmt_dec(b, v);
	err_str(b);
}

static const char *errno_name(int e)
{
	switch (e) {
#define E(x) case x: return #x;
	E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC) E(EBADF)
	E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(ENOTBLK) E(EBUSY) E(EEXIST)
	E(EXDEV) E(ENODEV) E(ENOTDIR) E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY)
	E(ETXTBSY) E(EFBIG) E(ENOSPC) E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(EDOM)
	E(ERANGE) E(EDEADLK) E(ENAMETOOLONG) E(ENOLCK) E(ENOSYS) E(ENOTEMPTY) E(ELOOP)
	E(ENOMSG) E(EIDRM) E(ENODATA) E(ETIME) E(EOVERFLOW) E(EBADFD) E(EILSEQ) E(EUSERS)
	E(ENOTSOCK) E(EOPNOTSUPP) E(EADDRINUSE) E(EADDRNOTAVAIL) E(ENOBUFS) E(ETIMEDOUT)
	E(EALREADY) E(EINPROGRESS) E(ESTALE) E(EDQUOT) E(ECANCELED) E(EOWNERDEAD)
	E(ENOTRECOVERABLE) E(ERFKILL) E(EHWPOISON)
#undef E
	default: {
		static char b[32];
		memcpy(b, "ERRNO_", 6);
		fmt_dec(b + 6, (uint64_t)(unsigned)e);
		return b;
	}
	}
}

static void cleanup_files(void)
{
	for (int i = 0; i < nfiles; i++) {
		memcpy(path_buf, tmp_dir, strlen(tmp_dir));
		path_buf[strlen(tmp_dir)] = '/';
		fmt_dec(path_buf + strlen(tmp_dir) + 1, (uint64_t)i);
		unlink(path_buf);
	}
	if (tmp_dir[0])
		rmdir(tmp_dir);
	tmp_dir[0] = 0;
}

static void kill_workers(void)
{
	for (int i = 0; i < nprocs; i++)
		if (proc_pid[i] > 0)
			kill(proc_pid[i], SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
}

/* A fatal error of the supervisor. */
static void die(int code, int line, const char *what, const char *detail)
{
	kill_workers();
	cleanup_files();
	err_str("vmasim-helper: ");
	if (line > 0) {
		err_str("line ");
		err_dec((uint64_t)line);
		err_str(": ");
	}
	err_str(what);
	if (detail) {
		err_str(": ");
		err_str(detail);
	}
	err_str("\n");
	_exit(code);
}

/* ---- start-up: no address randomisation, the 8 MiB stack limit ---- */
static void setup_personality(char **argv)
{
	int pers = personality(0xffffffff);
	struct rlimit rl;
	int again = 0;

	if (pers == -1)
		die(1, 0, "personality", errno_name(errno));
	if (!(pers & ADDR_NO_RANDOMIZE)) {
		if (personality((unsigned long)pers | ADDR_NO_RANDOMIZE) == -1)
			die(1, 0, "cannot switch off address randomisation", errno_name(errno));
		again = 1;
	}
	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != STACK_LIMIT &&
	    (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= STACK_LIMIT)) {
		rl.rlim_cur = STACK_LIMIT;
		if (setrlimit(RLIMIT_STACK, &rl) == 0)
			again = 1;
	}
	if (again) {
		if (argv[0] && argv[1] && strcmp(argv[1], "--again") == 0)
			die(1, 0, "the process settings did not survive exec", NULL);
		char *nargv[3] = { argv[0] ? argv[0] : (char *)"vmasim-helper", (char *)"--again", NULL };
		execv("/proc/self/exe", nargv);
		die(1, 0, "cannot re-execute /proc/self/exe", errno_name(errno));
	}
}

/* ---- input ---- */
static int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	int base = 10;
	if (!*s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -1;
	}
	for (; *s; s++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return -1;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return 0;
}

static void bad_input(int line, const char *what, const char *tok)
{
	die(2, line, what, tok);
}

static void read_input(void)
{
	size_t len = 0;
	for (;;) {
		ssize_t n = read(0, in_buf + len, MAX_INPUT - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die(1, 0, "cannot read standard input", errno_name(errno));
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == MAX_INPUT)
			die(2, 0, "input too large", NULL);
	}
	in_buf[len] = 0;
}

struct argspec {
	const char *word;
	enum op op;
	int nargs;
};

static const struct argspec specs[] = {
	{ "window", OP_WINDOW, 2 }, { "file", OP_FILE, 2 }, { "mmap", OP_MMAP, 6 },
	{ "munmap", OP_MUNMAP, 2 }, { "mprotect", OP_MPROTECT, 3 }, { "madvise", OP_MADVISE, 3 },
	{ "mlock", OP_MLOCK, 3 }, { "munlock", OP_MUNLOCK, 2 }, { "mremap", OP_MREMAP, 5 },
	{ "mseal", OP_MSEAL, 2 }, { "name", OP_NAME, -1 }, { "touch", OP_TOUCH, 3 },
	{ "fork", OP_FORK, 0 }, { "process", OP_PROCESS, 1 },
};

static void parse_input(void)
{
	char *p = in_buf;
	int line = 0;
	while (*p) {
		char *eol = strchr(p, '\n');
		char *next = eol ? eol + 1 : p + strlen(p);
		char *tok[MAX_TOKENS + 1];
		int nt = 0;
		line++;
		if (eol)
			*eol = 0;
		for (char *q = p; *q;) {
			while (*q == ' ' || *q == '\t' || *q == '\r')
				*q++ = 0;
			if (!*q)
				break;
			if (nt == MAX_TOKENS + 1)
				bad_input(line, "too many words", NULL);
			tok[nt++] = q;
			while (*q && *q != ' ' && *q != '\t' && *q != '\r')
				q++;
		}
		p = next;
		if (nt == 0)
			continue;
		if (strcmp(tok[0], "end") == 0)
			break;

		const struct argspec *sp = NULL;
		for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
			if (strcmp(tok[0], specs[i].word) == 0)
				sp = &specs[i];
		if (!sp)
			bad_input(line, "unknown command", tok[0]);
		if (ncmds == MAX_CMDS)
			bad_input(line, "too many commands", NULL);
		struct cmd *c = &cmds[ncmds];
		memset(c, 0, sizeof *c);
		c->op = (unsigned char)sp->op;
		c->line = line;
		c->file = -1;

		if (sp->op == OP_NAME) {
			if (nt != 3 && nt != 4)
				bad_input(line, "name takes ADDR LEN [NAME]", NULL);
		} else if (nt != sp->nargs + 1) {
			bad_input(line, "wrong number of arguments for", tok[0]);
		}

		for (int i = 1; i < nt; i++) {
			const char *t = tok[i];
			if (sp->op == OP_MMAP && i == 5) {
				uint64_t f;
				if (strcmp(t, "-") == 0)
					continue;
				if (parse_u64(t, &f) || f >= (uint64_t)nfiles)
					bad_input(line, "no such file index", t);
				c->file = (int)f;
				continue;
			}
			if (sp->op == OP_NAME && i == 3) {
				c->name = t;
				continue;
			}
			if (sp->op == OP_TOUCH && i == 3) {
				if (strcmp(t, "r") == 0)
					c->flag = 0;
				else if (strcmp(t, "w") == 0)
					c->flag = 1;
				else
					bad_input(line, "touch access must be r or w", t);
				continue;
			}
			if (parse_u64(t, &c->a[i - 1]))
				bad_input(line, "not a 64-bit number", t);
		}

		switch (sp->op) {
		case OP_WINDOW:
			if (c->a[0] >= c->a[1])
				bad_input(line, "window START must be below END", NULL);
			have_window = 1;
			win_start = c->a[0];
			win_end = c->a[1];
			break;
		case OP_FILE:
			if (c->a[0] != (uint64_t)nfiles)
				bad_input(line, "file indexes must be 0, 1, 2, ... in order", tok[1]);
			if (nfiles == MAX_FILES)
				bad_input(line, "too many files", NULL);
			file_size[nfiles++] = c->a[1];
			break;
		case OP_MLOCK:
			if (c->a[2] > 1)
				bad_input(line, "mlock ONFAULT must be 0 or 1", tok[3]);
			c->flag = (unsigned char)c->a[2];
			break;
		case OP_FORK:
			if (++nforks >= MAX_PROCS)
				bad_input(line, "too many fork lines", NULL);
			break;
		default:
			break;
		}
		ncmds++;
	}
}

/* ---- checks and set-up done before the first scenario system call ---- */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)(3 * (nforks + 1) + nfiles + 64);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void check_window(void)
{
	int window_line = 0;
	if (!have_window)
		return;
	for (int k = 0; k < ncmds; k++)
		if (cmds[k].op == OP_WINDOW)
			window_line = cmds[k].line;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	if (fd < 0)
		die(1, 0, "cannot open /proc/self/maps", errno_name(errno));
	for (;;) {
		ssize_t n = read(fd, smaps_buf + len, SMAPS_BUF - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die(1, 0, "cannot read /proc/self/maps", errno_name(errno));
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == SMAPS_BUF - 1)
			die(1, 0, "/proc/self/maps is too large", NULL);
	}
	close(fd);
	smaps_buf[len] = 0;
	for (char *p = smaps_buf; *p;) {
		char *eol = strchr(p, '\n');
		uint64_t s = 0, e = 0;
		char *q = p;
		if (eol)
			*eol = 0;
		while (*q && *q != '-')
			s = s * 16 + (uint64_t)(*q <= '9' ? *q - '0' : *q - 'a' + 10), q++;
		if (*q == '-')
			q++;
		while (*q && *q != ' ')
			e = e * 16 + (uint64_t)(*q <= '9' ? *q - '0' : *q - 'a' + 10), q++;
		if (s < win_end && e > win_start) {
			char ws[24], we[24];
			fmt_hex(ws, win_start);
			fmt_hex(we, win_end);
			kill_workers();
			err_str("vmasim-helper: line ");
			err_dec((uint64_t)window_line);
			err_str(": the window ");
			err_str(ws);
			err_str("-");
			err_str(we);
			err_str(" meets a mapping of the helper itself, which the kernel run cannot leave out: ");
			err_str(p);
			err_str("\n");
			_exit(3);
		}
		if (!eol)
			break;
		p = eol + 1;
	}
}

static void create_files(void)
{
	if (nfiles == 0)
		return;
	/* TMPDIR, as mkdtemp's callers usually honour it; /tmp otherwise. */
	const char *base = getenv("TMPDIR");
	if (!base || !*base || strlen(base) > sizeof tmp_dir - 32)
		base = "/tmp";
	snprintf(tmp_dir, sizeof tmp_dir, "%s/vmasim-live-XXXXXX", base);
	if (!mkdtemp(tmp_dir)) {
		tmp_dir[0] = 0;
		die(3, 0, "cannot create a temporary directory (TMPDIR or /tmp)", errno_name(errno));
	}
	for (int i = 0; i < nfiles; i++) {
		struct stat st;
		size_t dl = strlen(tmp_dir);
		int line = 0;
		for (int k = 0; k < ncmds; k++)
			if (cmds[k].op == OP_FILE && cmds[k].a[0] == (uint64_t)i)
				line = cmds[k].line;
		memcpy(path_buf, tmp_dir, dl);
		path_buf[dl] = '/';
		fmt_dec(path_buf + dl + 1, (uint64_t)i);
		int fd = open(path_buf, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			die(3, line, "cannot create the file", errno_name(errno));
		if (file_size[i] > (uint64_t)INT64_MAX)
			die(3, line, "cannot give the file that size", errno_name(EFBIG));
		if (ftruncate(fd, (off_t)file_size[i]) != 0)
			die(3, line, "cannot give the file that size", errno_name(errno));
		if (fstat(fd, &st) != 0)
			die(3, line, "cannot stat the file", errno_name(errno));
		file_fd[i] = fd;
		file_major[i] = major(st.st_dev);
		file_minor[i] = minor(st.st_dev);
		file_ino[i] = (uint64_t)st.st_ino;
	}
}

static void fault_handler(int sig)
{
	if (in_touch) {
		in_touch = 0;
		siglongjmp(touch_jb, sig);
	}
	/* Not a touch: let the default action end the process. */
	signal(sig, SIG_DFL);
}

static void setup_signals(void)
{
	stack_t ss;
	struct sigaction sa;
	ss.ss_sp = alt_stack;
	ss.ss_size = sizeof alt_stack;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL) != 0)
		die(1, 0, "sigaltstack", errno_name(errno));
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fault_handler;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) != 0 || sigaction(SIGBUS, &sa, NULL) != 0)
		die(1, 0, "sigaction", errno_name(errno));
}

/* ---- scenario processes ---- */
static void read_full(int fd, void *p, size_t n)
{
	char *b = p;
	while (n > 0) {
		ssize_t r = read(fd, b, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			_exit(1);
		b += r;
		n -= (size_t)r;
	}
}

static void send_reply(const struct reply *r)
{
	write_all(reply_pipe[1], (const char *)r, sizeof *r);
}

static inline void access_write(uintptr_t p)
{
#if defined(__x86_64__) || defined(__i386__)
	/* A write access that leaves the byte as it was. */
	__asm__ volatile("lock orb $0, (%0)" : : "r"(p) : "memory");
#else
	__atomic_fetch_or((unsigned char *)p, 0, __ATOMIC_SEQ_CST);
#endif
}

static inline void access_read(uintptr_t p)
{
	(void)*(volatile unsigned char *)p;
}

static struct reply do_touch(uint64_t addr, uint64_t len, int write)
{
	struct reply r = { REP_OK, 0, 0 };
	uint64_t first, last;
	int sig;
	if (len == 0)
		return r;
	first = addr & ~(PAGE - 1);
	last = len - 1 > UINT64_MAX - addr ? UINT64_MAX : addr + (len - 1);
	last &= ~(PAGE - 1);
	sig = sigsetjmp(touch_jb, 1);
	if (sig) {
		r.kind = REP_SIG;
		r.code = sig;
		return r;
	}
	in_touch = 1;
	for (uint64_t pg = first;; pg += PAGE) {
		uintptr_t at = (uintptr_t)(pg == first ? addr : pg);
		if (write)
			access_write(at);
		else
			access_read(at);
		if (pg == last)
			break;
	}
	in_touch = 0;
	return r;
}

static struct reply sys_result(long ret)
{
	struct reply r = { REP_OK, 0, 0 };
	if (ret == -1) {
		r.kind = REP_ERR;
		r.code = errno;
	} else {
		r.val = (uint64_t)ret;
	}
	return r;
}

static struct reply run_line(const struct cmd *c)
{
	const uint64_t *a = c->a;
	errno = 0;
	switch (c->op) {
	case OP_MMAP:
		return sys_result(syscall(SYS_mmap, a[0], a[1], a[2], a[3],
					  c->file < 0 ? -1L : (long)file_fd[c->file], a[5]));
	case OP_MUNMAP:
		return sys_result(syscall(SYS_munmap, a[0], a[1]));
	case OP_MPROTECT:
		return sys_result(syscall(SYS_mprotect, a[0], a[1], a[2]));
	case OP_MADVISE:
		return sys_result(syscall(SYS_madvise, a[0], a[1], a[2]));
	case OP_MLOCK:
		if (c->flag)
			return sys_result(syscall(SYS_mlock2, a[0], a[1], (unsigned long)MLOCK_ONFAULT));
		return sys_result(syscall(SYS_mlock, a[0], a[1]));
	case OP_MUNLOCK:
		return sys_result(syscall(SYS_munlock, a[0], a[1]));
	case OP_MREMAP:
		return sys_result(syscall(SYS_mremap, a[0], a[1], a[2], a[3], a[4]));
	case OP_MSEAL:
		return sys_result(syscall(SYS_mseal, a[0], a[1], 0UL));
	case OP_NAME:
		return sys_result(syscall(SYS_prctl, (unsigned long)PR_SET_VMA,
					  (unsigned long)PR_SET_VMA_ANON_NAME, a[0], a[1],
					  (unsigned long)(uintptr_t)c->name));
	case OP_TOUCH:
		return do_touch(a[0], a[1], c->flag);
	default: {
		struct reply r = { REP_FAIL, 0, 0 };
		return r;
	}
	}
}

static int is_hex(char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); }

static uint64_t hex_at(const char **pp)
{
	uint64_t v = 0;
	const char *p = *pp;
	while (is_hex(*p)) {
		v = v * 16 + (uint64_t)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
		p++;
	}
	*pp = p;
	return v;
}

/*
 * One line of smaps (without its newline). Returns whether the VMA it belongs
 * to is kept; header lines decide, other lines follow the last header.
 */
static int smaps_line(const char *l, size_t n, int keep)
{
	if (n == 0 || !is_hex(l[0])) {
		if (keep) {
			out_mem(l, n);
			out_mem("\n", 1);
		}
		return keep;
	}
	/* START-END PERMS OFFSET MAJ:MIN INODE [pad NAME] */
	const char *p = l;
	uint64_t start = hex_at(&p), end;
	if (*p == '-')
		p++;
	end = hex_at(&p);
	keep = !have_window || (start < win_end && end > win_start);
	if (!keep)
		return 0;
	const char *f[6];
	int nf = 0;
	const char *q = l;
	while (nf < 6 && q < l + n) {
		f[nf++] = q;
		while (q < l + n && *q != ' ')
			q++;
		while (q < l + n && *q == ' ' && nf < 6)
			q++;
	}
	if (nf < 5) {
		out_mem(l, n);
		out_mem("\n", 1);
		return keep;
	}
	/* f[3]: MAJ:MIN, f[4]: inode, f[5]: name (if any) */
	const char *d = f[3];
	unsigned maj = (unsigned)hex_at(&d), min = 0;
	if (*d == ':') {
		d++;
		min = (unsigned)hex_at(&d);
	}
	uint64_t ino = 0;
	for (const char *x = f[4]; *x >= '0' && *x <= '9'; x++)
		ino = ino * 10 + (uint64_t)(*x - '0');
	const char *name = nf == 6 ? f[5] : NULL;
	size_t name_len = name ? (size_t)(l + n - name) : 0;
	int file = -1, shmem = 0;
	for (int i = 0; i < nfiles && ino; i++)
		if (file_ino[i] == ino && file_major[i] == maj && file_minor[i] == min)
			file = i;
	if (file < 0 && ino && name &&
	    ((name_len == 19 && memcmp(name, "/dev/zero (deleted)", 19) == 0) ||
	     (name_len > 12 && memcmp(name, "[anon_shmem:", 12) == 0)))
		shmem = 1;
	if (file < 0 && !shmem) {
		out_mem(l, n);
		out_mem("\n", 1);
		return keep;
	}
	/* Rebuild with inode 0, padded as the kernel pads (name from column 73). */
	char nb[32];
	size_t len = (size_t)(f[4] - l);
	out_mem(l, len);
	out_mem("0 ", 2);
	len += 2;
	while (len < 72) {
		out_mem(" ", 1);
		len++;
	}
	out_mem(" ", 1);
	if (file >= 0) {
		out_str("vmasim-file:");
		fmt_dec(nb, (uint64_t)file);
		out_str(nb);
	} else {
		out_mem(name, name_len);
	}
	out_mem("\n", 1);
	return keep;
}

static int dump_smaps(void)
{
	int fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	int keep = 0;
	if (fd < 0)
		return errno;
	for (;;) {
		ssize_t n = read(fd, smaps_buf + len, SMAPS_BUF - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			return e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		size_t done = 0;
		for (;;) {
			char *nl = memchr(smaps_buf + done, '\n', len - done);
			if (!nl)
				break;
			keep = smaps_line(smaps_buf + done, (size_t)(nl - (smaps_buf + done)), keep);
			done = (size_t)(nl - smaps_buf) + 1;
		}
		if (done == 0 && len == SMAPS_BUF) {
			close(fd);
			return E2BIG;
		}
		memmove(smaps_buf, smaps_buf + done, len - done);
		len -= done;
	}
	if (len > 0)
		keep = smaps_line(smaps_buf, len, keep);
	close(fd);
	out_flush();
	return 0;
}

static void worker(int me) __attribute__((noreturn));
static void worker(int me)
{
	for (;;) {
		struct msg m;
		struct reply r = { REP_OK, 0, 0 };
		read_full(cmd_pipe[me][0], &m, sizeof m);
		switch (m.kind) {
		case MSG_LINE: {
			const struct cmd *c = &cmds[m.idx];
			if (c->op == OP_FORK) {
				pid_t parent = getpid();
				pid_t pid = fork();
				if (pid == 0) {
					/* The new process: end with its parent, wait on its own pipe. */
					prctl(PR_SET_PDEATHSIG, SIGKILL);
					if (getppid() != parent)
						_exit(1);
					me = m.child;
					continue;
				}
				if (pid < 0) {
					r.kind = REP_ERR;
					r.code = errno;
				} else {
					r.val = (uint64_t)pid;
				}
			} else {
				r = run_line(c);
			}
			send_reply(&r);
			break;
		}
		case MSG_DUMP: {
			int e = dump_smaps();
			if (e) {
				r.kind = REP_ERR;
				r.code = e;
			}
			send_reply(&r);
			break;
		}
		default:
			_exit(0);
		}
	}
}

/* ---- the supervisor ---- */
static const char *sig_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGKILL: return "SIGKILL";
	case SIGABRT: return "SIGABRT";
	case SIGILL: return "SIGILL";
	case SIGFPE: return "SIGFPE";
	case SIGTERM: return "SIGTERM";
	case SIGTRAP: return "SIGTRAP";
	case SIGPIPE: return "SIGPIPE";
	case SIGINT: return "SIGINT";
	case SIGHUP: return "SIGHUP";
	default: {
		static char b[32] = "signal ";
		fmt_dec(b + 7, (uint64_t)(unsigned)sig);
		return b;
	}
	}
}

/* The wait status of a process that has ended but not been reaped (/proc/PID/stat, field 52). */
static int zombie_status(pid_t pid, int *status)
{
	static char b[4096];
	char path[48] = "/proc/";
	int fd, field = 2;
	ssize_t n;
	fmt_dec(path + strlen(path), (uint64_t)pid);
	strcat(path, "/stat");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, b, sizeof b - 1);
	close(fd);
	if (n <= 0)
		return -1;
	b[n] = 0;
	char *p = strrchr(b, ')');
	if (!p)
		return -1;
	for (p++; *p && field < 52; p++)
		if (*p == ' ')
			field++;
	if (field != 52)
		return -1;
	*status = atoi(p);
	return 0;
}

static void send_msg(int proc, int kind, int idx, int child)
{
	struct msg m = { kind, idx, child };
	write_all(cmd_pipe[proc][1], (const char *)&m, sizeof m);
}

static struct reply await_reply(int proc, int line)
{
	struct reply r;
	struct pollfd pf[2];
	int np = 1;
	pf[0].fd = reply_pipe[0];
	pf[0].events = POLLIN;
	if (proc_pidfd[proc] >= 0) {
		pf[1].fd = proc_pidfd[proc];
		pf[1].events = POLLIN;
		np = 2;
	}
	for (;;) {
		int n = poll(pf, (nfds_t)np, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die(1, line, "poll", errno_name(errno));
		if (pf[0].revents & POLLIN)
			break;
		if (np == 2 && pf[1].revents) {
			/* The process ended without answering. */
			char msg[96] = "scenario process ";
			int status = 0;
			const char *how = "ended";
			fmt_dec(msg + strlen(msg), (uint64_t)proc);
			if (proc == 0 ? waitpid(proc_pid[0], &status, WNOHANG) == proc_pid[0]
				      : zombie_status(proc_pid[proc], &status) == 0) {
				if (WIFSIGNALED(status))
					how = sig_name(WTERMSIG(status));
			}
			strcat(msg, " died");
			die(1, line, msg, how);
		}
		if (pf[0].revents)
			die(1, line, "the reply pipe failed", NULL);
	}
	size_t got = 0;
	while (got < sizeof r) {
		ssize_t k = read(reply_pipe[0], (char *)&r + got, sizeof r - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			die(1, line, "the reply pipe failed", NULL);
		got += (size_t)k;
	}
	return r;
}

/* The supervisor is asked to stop: end the scenario processes and remove the files. */
static void stop_handler(int sig)
{
	kill_workers();
	cleanup_files();
	err_str("vmasim-helper: stopped by ");
	err_str(sig_name(sig));
	err_str("\n");
	_exit(1);
}

static void add_process(int n, pid_t pid, int parent)
{
	proc_pid[n] = pid;
	proc_parent[n] = parent;
	proc_pidfd[n] = (int)syscall(SYS_pidfd_open, pid, 0);
	if (proc_pidfd[n] >= 0)
		fcntl(proc_pidfd[n], F_SETFD, FD_CLOEXEC);
	nprocs = n + 1;
}

int main(int argc, char **argv)
{
	(void)argc;
	setup_personality(argv);
	read_input();
	parse_input();
	raise_fd_limit();
	check_window();
	create_files();

	npipes = nforks + 1;
	if (pipe(reply_pipe) != 0)
		die(3, 0, "cannot create a pipe", errno_name(errno));
	for (int i = 0; i < npipes; i++)
		if (pipe(cmd_pipe[i]) != 0)
			die(3, 0, "cannot create a pipe", errno_name(errno));
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		die(1, 0, "cannot become a child subreaper", errno_name(errno));
	setup_signals();

	pid_t self = getpid();
	pid_t p0 = fork();
	if (p0 < 0)
		die(1, 0, "cannot start process 0", errno_name(errno));
	if (p0 == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != self)
			_exit(1);
		worker(0);
	}
	add_process(0, p0, -1);
	{
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = stop_handler;
		sigfillset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}

	out_str("vmasim-helper 1\n");
	int cur = 0;
	for (int i = 0; i < ncmds; i++) {
		const struct cmd *c = &cmds[i];
		struct reply r = { REP_OK, 0, 0 };
		switch (c->op) {
		case OP_WINDOW:
		case OP_FILE:
			break;
		case OP_PROCESS:
			if (c->a[0] < (uint64_t)nprocs)
				cur = (int)c->a[0];
			else {
				r.kind = REP_ERR;
				r.code = ESRCH;
			}
			break;
		case OP_FORK:
			send_msg(cur, MSG_LINE, i, nprocs);
			r = await_reply(cur, c->line);
			if (r.kind == REP_OK) {
				add_process(nprocs, (pid_t)r.val, cur);
				r.val = (uint64_t)(nprocs - 1);
			}
			break;
		default:
			send_msg(cur, MSG_LINE, i, 0);
			r = await_reply(cur, c->line);
			break;
		}
		switch (r.kind) {
		case REP_OK:
			out_str("ok ");
			out_hex(r.val);
			break;
		case REP_ERR:
			out_str("err ");
			out_str(errno_name(r.code));
			break;
		case REP_SIG:
			out_str("sig ");
			out_str(sig_name(r.code));
			break;
		default:
			die(1, c->line, "unexpected answer from a scenario process", NULL);
		}
		out_str("\n");
	}

	out_str("@@current ");
	out_dec((uint64_t)cur);
	out_str("\n");
	for (int n = 0; n < nprocs; n++) {
		out_str("@@process ");
		out_dec((uint64_t)n);
		out_str(" parent ");
		if (proc_parent[n] < 0)
			out_str("-");
		else
			out_dec((uint64_t)proc_parent[n]);
		out_str("\n");
		out_flush();
		send_msg(n, MSG_DUMP, 0, 0);
		struct reply r = await_reply(n, 0);
		if (r.kind != REP_OK)
			die(1, 0, "cannot read /proc/self/smaps", errno_name(r.code));
		out_str("@@end ");
		out_dec((uint64_t)n);
		out_str("\n");
	}
	for (int n = 0; n < nprocs; n++)
		send_msg(n, MSG_QUIT, 0, 0);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	cleanup_files();
	out_str("@@done\n");
	out_flush();
	return 0;
}
