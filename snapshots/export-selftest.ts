/**
 * `export selftest`: the history as a self-contained C program in the style
 * of tools/testing/selftests/mm/merge.c, for the live kernel.
 *
 * It reserves a PROT_NONE carveout, as merge.c does, then unmaps the part
 * the scenario uses, so that part starts as empty as the simulator's window
 * and the rest of the carveout fences it off. Every scenario address in that
 * part is rebased into it: scenario address LO (the lowest one the history
 * uses) becomes `base`, chosen at run time congruent to LO modulo 2 MiB so
 * that huge-page alignment, which changes results, is kept. Then it performs
 * the system calls in order, checks each result, and after each one checks
 * every VMA of the region in /proc/self/smaps (range, permissions, offset,
 * VmFlags) against the simulator's state after that event. `fork` forks:
 * each process runs its own lines (their order across processes changes no
 * VMA) and checks its own smaps.
 *
 * It builds with the machine's cc and passes on the live kernel exactly when
 * the simulator agrees with it. Refused: the internal `vma` API and imports
 * (nothing to run on a kernel), `config max_map_count`/`mmap_base` (the host's
 * are not changed) or settings that change midway, addresses the kernel
 * chooses (mmap without a usable hint, mremap moving without fixed=), and
 * addresses outside the window except in calls refused with EINVAL (which
 * then keep their absolute value).
 */
import type { Advice, MmapFlags, SyscallCommand } from '../commands/ast.js';
import type { SimState } from '../kernel-sim/state.js';
import { PAGE_SIZE, type Vma } from '../kernel-sim/vma.js';
import { flagsToMnemonics, permsString } from '../kernel-sim/flags.js';
import { MADVICE } from '../live/kernel-runner.js';
import { cCommentText, cIdent, cString, testNameFromPath } from './c-text.js';
import { isInitialState } from './export-script.js';
import { exported, refused, type ExportResult, type Exporter } from './export-types.js';
import { historyPath, importOf, type PathEvent } from './history-path.js';

/** Kept free on either side of the scenario's part of the carveout. */
const MARGIN = 4 * 1024 * 1024;
/** Huge-page alignment that placement and faults care about. */
const ALIGN = 2 * 1024 * 1024;

/** fork() for a `fork` line: only written when the history forks. */
const START_PROCESS = `/* fork(): the child runs its own lines and exits with its failure count. */
static int start_process(int event, int (*run)(void))
{
	pid_t pid = fork();

	if (pid < 0) {
		failures++;
		say("# event %d (fork): %s\\n", event, strerror(errno));
		return 1;
	}
	if (pid == 0) {
		nchildren = 0;
		failures = 0;
		_exit(run() ? 1 : 0);
	}
	if (nchildren < (int)ARRAY_SIZE(children))
		children[nchildren++] = pid;
	return 0;
}

`;

const ADVICE_NAMES: Readonly<Record<Advice, string>> = Object.fromEntries(
  Object.keys(MADVICE).map((a) => [a, `MADV_${a.toUpperCase()}`]),
) as Record<Advice, string>;

class Refusal extends Error {}

const hex = (n: bigint | number): string => `0x${n.toString(16)}`;
const u64 = (n: bigint): string => `${hex(n)}UL`;

function protText(prot: number): string {
  const parts = [prot & 1 ? 'PROT_READ' : '', prot & 2 ? 'PROT_WRITE' : '', prot & 4 ? 'PROT_EXEC' : ''].filter(Boolean);
  return parts.length ? parts.join(' | ') : 'PROT_NONE';
}

function mmapFlagsText(f: MmapFlags, anonymous: boolean): string {
  const parts = [f.shared ? 'MAP_SHARED' : 'MAP_PRIVATE'];
  if (anonymous) parts.push('MAP_ANONYMOUS');
  if (f.fixed) parts.push('MAP_FIXED');
  if (f.noreplace) parts.push('MAP_FIXED_NOREPLACE');
  if (f.growsdown) parts.push('MAP_GROWSDOWN');
  if (f.locked) parts.push('MAP_LOCKED');
  if (f.populate) parts.push('MAP_POPULATE');
  if (f.noreserve) parts.push('MAP_NORESERVE');
  return parts.join(' | ');
}

/** The address ranges an event names, for the extent. */
function addressesOf(c: SyscallCommand): { addr: bigint; len: bigint }[] {
  switch (c.kind) {
    case 'mmap':
      return c.addr === null ? [] : [{ addr: c.addr, len: c.len }];
    case 'mremap':
      return [{ addr: c.addr, len: c.oldLen > c.newLen ? c.oldLen : c.newLen }, ...(c.newAddr !== null ? [{ addr: c.newAddr, len: c.newLen }] : [])];
    case 'touch':
      return [{ addr: c.addr, len: c.len ?? 1n }];
    default:
      return [{ addr: c.addr, len: c.len }];
  }
}

const SYSCALLS = new Set(['mmap', 'munmap', 'mprotect', 'madvise', 'mlock', 'munlock', 'mremap', 'mseal', 'name', 'touch']);

/** The scenario's part of the address space: [lo, hi) becomes [base, base + hi - lo). */
interface Plan {
  readonly lo: number;
  readonly hi: number;
}

/** A scenario address as C: rebased into the carveout when it lies in the scenario's part. */
function addrExpr(plan: Plan, a: bigint, e: PathEvent): string {
  if (a >= BigInt(plan.lo) && a < BigInt(plan.hi) + BigInt(PAGE_SIZE)) return `AT(${hex(a - BigInt(plan.lo))})`;
  if (e.result.errno === 'EINVAL') return u64(a);
  throw new Refusal(`event ${e.seq} ('${e.text}') uses ${hex(a)}, outside the window: the selftest cannot place it`);
}

function vmasNear(state: SimState, pid: number, plan: Plan): Vma[] {
  const p = state.processes[pid];
  return p ? p.mm.vmas.range(plan.lo - MARGIN / 2, plan.hi + MARGIN / 2) : [];
}

function wantTable(name: string, state: SimState, pid: number, plan: Plan): string {
  const vmas = vmasNear(state, pid, plan);
  if (vmas.length === 0) return '';
  const rows = vmas.map((v) => {
    if (v.start < plan.lo || v.end > plan.hi)
      throw new Refusal(`the VMA ${hex(v.start)}-${hex(v.end)} lies outside the window, next to the scenario's part: the selftest cannot place it`);
    const file = v.file ? state.files[v.file] : undefined;
    const offset = file ? v.pgoff * PAGE_SIZE : 0;
    const flags = flagsToMnemonics(v.flags).join(' ');
    return `\t{ ${hex(v.start - plan.lo)}, ${hex(v.end - plan.lo)}, "${permsString(v.flags)}", ${hex(offset)}, "${flags}" },`;
  });
  return `static const struct vma_want ${name}[] = {\n${rows.join('\n')}\n};\n`;
}

export const exportSelftest: Exporter = (engine, opts): ExportResult => {
  try {
    return build(engine, opts);
  } catch (e) {
    if (e instanceof Refusal) return refused(e.message);
    throw e;
  }
};

function build(engine: Parameters<Exporter>[0], opts: Parameters<Exporter>[1]): ExportResult {
  const path = historyPath(engine);
  if (!isInitialState(path.start)) throw new Refusal('this session did not start from an empty state (it began with an import): a selftest cannot rebuild it');
  if (path.events.length === 0) throw new Refusal('no event has happened yet: there is nothing to test');
  const window = engine.window;

  // What the history needs: files, settings, the extent of addresses.
  const files: { name: string; size: bigint }[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  const cover = (s: number, e: number) => {
    lo = Math.min(lo, s);
    hi = Math.max(hi, e);
  };
  for (const e of path.events) {
    const c = e.command;
    if (importOf(e)) throw new Refusal(`event ${e.seq} is an import: a selftest can only run system calls`);
    if (c.kind.startsWith('vma-')) throw new Refusal(`event ${e.seq} ('${e.text}') uses the internal VMA API, which only the simulator has: export kernel-c for it`);
    if (c.kind === 'config') {
      if (c.option === 'max_map_count' || c.option === 'mmap_base')
        throw new Refusal(`event ${e.seq} ('${e.text}') changes a setting the selftest does not change on the host`);
    }
    if (c.kind === 'file') files.push({ name: c.name, size: c.size });
    if (c.kind === 'fork' && e.result.errno !== null) throw new Refusal(`event ${e.seq}: the simulated fork failed (${e.result.errno})`);
    for (const p of e.after.processes)
      for (const v of p.mm.vmas.range(window.start, window.end)) cover(v.start, v.end);
    if (SYSCALLS.has(c.kind)) {
      for (const { addr, len } of addressesOf(c as SyscallCommand)) {
        if (addr < BigInt(window.start) || addr >= BigInt(window.end)) continue;
        const a = Number(addr - (addr % BigInt(PAGE_SIZE)));
        const end = addr + len > BigInt(window.end) ? window.end : Number(addr + len);
        cover(a, Math.max(a + PAGE_SIZE, Math.ceil(end / PAGE_SIZE) * PAGE_SIZE));
      }
    }
  }
  const last = path.events[path.events.length - 1]!.after;
  if (path.events.some((e) => e.after.config.anonVmaName !== last.config.anonVmaName || e.after.config.softDirty !== last.config.softDirty))
    throw new Refusal('the settings (anon_vma_name, soft_dirty) change during the history; a live kernel has one build');
  if (lo === Infinity) lo = hi = window.start;
  const plan: Plan = { lo, hi };

  // Each process's lines, in order; a fork starts the child's function.
  const processCount = last.processes.length;
  const body: string[][] = Array.from({ length: processCount }, () => []);
  const tables: string[] = [];
  const emit = (pid: number, s: string) => body[pid]!.push(s);
  const fileIdent = new Map(files.map((f) => [f.name, `fd_${cIdent(f.name)}`]));
  const checkAfter = (e: PathEvent, pid: number, label: string) => {
    const name = `after_${e.seq}${pid === e.before.current ? '' : `_p${pid}`}`;
    const t = wantTable(name, e.after, pid, plan);
    if (t) tables.push(t);
    emit(pid, `\tcheck_vmas(${e.seq}, ${cString(label)}, ${t ? `${name}, ARRAY_SIZE(${name})` : 'NULL, 0'});`);
  };
  for (const e of path.events) {
    const c = e.command;
    const pid = e.before.current;
    const label = e.text;
    if (c.kind === 'file' || c.kind === 'config') continue;
    if (c.kind === 'process') {
      if (e.result.errno) emit(pid, `\t/* event ${e.seq}: ${cCommentText(e.text)} (${e.result.errno}: no such process; nothing to do) */`);
      continue;
    }
    emit(pid, '');
    emit(pid, `\t/* event ${e.seq}: ${cCommentText(e.text)} */`);
    if (c.kind === 'fork') {
      const child = Number(e.result.ret);
      emit(pid, `\tif (start_process(${e.seq}, process_${child}))`);
      emit(pid, '\t\treturn failures;');
      continue;
    }
    const sc = c as SyscallCommand;
    const want = e.result;
    let call: string;
    let wantValue = '0';
    switch (sc.kind) {
      case 'mmap': {
        if (want.errno === null && (sc.addr === null || BigInt(String(want.ret)) !== sc.addr))
          throw new Refusal(`event ${e.seq} ('${e.text}'): the kernel chooses this address, so the live result cannot be compared`);
        const fd = sc.file === null ? '-1' : fileIdent.get(sc.file);
        if (fd === undefined) throw new Refusal(`event ${e.seq} maps ${sc.file}, which no file line declared`);
        const addr = sc.addr === null ? 'NULL' : `(void *)${addrExpr(plan, sc.addr, e)}`;
        call = `(long)mmap(${addr}, ${u64(sc.len)}, ${protText(sc.prot)}, ${mmapFlagsText(sc.flags, sc.file === null)}, ${fd}, (off_t)${u64(sc.off)})`;
        if (want.errno === null) wantValue = `(long)${addrExpr(plan, BigInt(String(want.ret)), e)}`;
        break;
      }
      case 'munmap':
        call = `munmap((void *)${addrExpr(plan, sc.addr, e)}, ${u64(sc.len)})`;
        break;
      case 'mprotect':
        call = `mprotect((void *)${addrExpr(plan, sc.addr, e)}, ${u64(sc.len)}, ${protText(sc.prot)})`;
        break;
      case 'madvise':
        call = `madvise((void *)${addrExpr(plan, sc.addr, e)}, ${u64(sc.len)}, ${MADVICE[sc.advice]} /* ${ADVICE_NAMES[sc.advice]} */)`;
        break;
      case 'mlock':
        call = sc.onfault
          ? `syscall(__NR_mlock2, ${addrExpr(plan, sc.addr, e)}, ${u64(sc.len)}, MLOCK_ONFAULT)`
          : `mlock((void *)${addrExpr(plan, sc.addr, e)}, ${u64(sc.len)})`;
        break;
      case 'munlock':
        call = `munlock((void *)${addrExpr(plan, sc.addr, e)}, ${u64(sc.len)})`;
        break;
      case 'mseal':
        call = `syscall(__NR_mseal, ${addrExpr(plan, sc.addr, e)}, ${u64(sc.len)}, 0UL)`;
        break;
      case 'name':
        call = `prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ${addrExpr(plan, sc.addr, e)}, ${u64(sc.len)}, ${sc.name === null ? 'NULL' : cString(sc.name)})`;
        break;
      case 'mremap': {
        const moved = want.errno === null && BigInt(String(want.ret)) !== sc.addr;
        if (moved && sc.newAddr === null)
          throw new Refusal(`event ${e.seq} ('${e.text}'): the kernel chooses where this mremap moves to, so the live result cannot be compared`);
        const flags = [sc.maymove ? 'MREMAP_MAYMOVE' : '', sc.newAddr !== null ? 'MREMAP_FIXED' : '', sc.dontunmap ? 'MREMAP_DONTUNMAP' : ''].filter(Boolean);
        const newAddr = sc.newAddr === null ? '0' : addrExpr(plan, sc.newAddr, e);
        call = `(long)syscall(__NR_mremap, ${addrExpr(plan, sc.addr, e)}, ${u64(sc.oldLen)}, ${u64(sc.newLen)}, ${flags.length ? flags.join(' | ') : '0'}, ${newAddr})`;
        if (want.errno === null) wantValue = `(long)${addrExpr(plan, BigInt(String(want.ret)), e)}`;
        break;
      }
      case 'touch': {
        const len = sc.len === null ? '1UL' : u64(sc.len);
        emit(pid, `\texpect_signal(${e.seq}, ${cString(label)}, touch(${addrExpr(plan, sc.addr, e)}, ${len}, ${sc.write}), ${want.errno ?? '0'});`);
        checkAfter(e, pid, label);
        continue;
      }
    }
    emit(pid, '\terrno = 0;');
    emit(pid, `\tr = ${call};`);
    emit(pid, `\texpect(${e.seq}, ${cString(label)}, r, errno, ${want.errno === null ? wantValue : '-1'}, ${want.errno ?? '0'});`);
    checkAfter(e, pid, label);
  }

  // A child's function starts with a check of what the fork gave it.
  const childStart = new Map<number, string>();
  for (const e of path.events) {
    if (e.command.kind !== 'fork') continue;
    const child = Number(e.result.ret);
    const name = `forked_${e.seq}`;
    const t = wantTable(name, e.after, child, plan);
    if (t) tables.push(t);
    childStart.set(child, `\tcheck_vmas(${e.seq}, "fork (in the child)", ${t ? `${name}, ARRAY_SIZE(${name})` : 'NULL, 0'});`);
  }

  const testName = testNameFromPath(opts.path, 'vmasim_scenario');
  const cfg = last.config;
  const out: string[] = [];
  out.push(`// SPDX-License-Identifier: GPL-2.0
/*
 * ${testName}: events 1 to ${path.position} of a vmasim session, on the live kernel,
 * in the style of tools/testing/selftests/mm/merge.c.
 *
 * A PROT_NONE carveout is reserved; the part the scenario uses is unmapped
 * again, so that it starts empty as the simulator's window does, and the rest
 * of the carveout fences it off. Scenario addresses in
 * [${hex(lo)}, ${hex(hi)}) are rebased into that part:
 * ${hex(lo)} is \`base\`, which keeps its offset in a 2 MiB page.
 * After each system call the test checks the result, then every VMA of that
 * part in /proc/self/smaps (range, permissions, offset, VmFlags) against the
 * simulator's state after the same event.
 *
 * Expects a kernel built with CONFIG_ANON_VMA_NAME=${cfg.anonVmaName ? 'y' : 'n'} and
 * CONFIG_MEM_SOFT_DIRTY=${cfg.softDirty ? 'y' : 'n'}, and to run as root.
 *
 * Build and run: cc -O2 -Wall -o ${testName} ${testName}.c && ./${testName}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef __NR_mlock2
#define __NR_mlock2 325
#endif
#ifndef __NR_mseal
#define __NR_mseal 462
#endif
#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE 4096UL

/* The scenario's addresses: [SCENARIO_LO, SCENARIO_HI) is [base, base + span) here. */
#define SCENARIO_LO ${hex(lo)}UL
#define SCENARIO_SPAN ${hex(hi - lo)}UL
#define MARGIN ${hex(MARGIN)}UL
#define HUGE_ALIGN ${hex(ALIGN)}UL
#define AT(off) (base + (off))

struct vma_want {
	unsigned long start, end;	/* from SCENARIO_LO */
	const char *perms;
	unsigned long offset;
	const char *vmflags;
};

struct vma_seen {
	unsigned long start, end, offset;
	char perms[5];
	char vmflags[160];
};

static uintptr_t base;
static int failures;
static pid_t children[64];
static int nchildren;
${files.map((f) => `static int ${fileIdent.get(f.name)!};`).join('\n')}

static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0 && write(STDOUT_FILENO, buf, n) < 0)
		_exit(2);
}

/* Addresses in messages are the scenario's, so they can be compared with vmasim's. */
static unsigned long scenario(unsigned long addr)
{
	return addr - base + SCENARIO_LO;
}

static void expect(int event, const char *what, long got, int got_errno, long want, int want_errno)
{
	if (want_errno ? (got == -1 && got_errno == want_errno) : got == want)
		return;
	failures++;
	if (want_errno)
		say("# event %d (%s): expected -1 %s, got %ld (errno %d %s)\\n", event, what, strerror(want_errno), got, got_errno, strerror(got_errno));
	else
		say("# event %d (%s): expected %#lx, got %#lx (errno %d %s)\\n", event, what, want, got, got_errno, strerror(got_errno));
}

static sigjmp_buf touch_env;
static volatile sig_atomic_t touch_signal;

static void on_touch_fault(int sig)
{
	touch_signal = sig;
	siglongjmp(touch_env, 1);
}

/* One byte in each page that meets [addr, addr + len): 0, or the signal that stopped it. */
static int touch(uintptr_t addr, unsigned long len, bool write)
{
	volatile uintptr_t page = addr & ~(PAGE_SIZE - 1);

	if (sigsetjmp(touch_env, 1))
		return touch_signal;
	for (; len && page < addr + len; page += PAGE_SIZE) {
		if (write)
			*(volatile char *)page = 1;
		else
			(void)*(volatile char *)page;
	}
	return 0;
}

static void expect_signal(int event, const char *what, int got, int want)
{
	if (got == want)
		return;
	failures++;
	say("# event %d (%s): expected %s, got %s\\n", event, what, want ? strsignal(want) : "no fault", got ? strsignal(got) : "no fault");
}

static char smaps[1 << 24];
static struct vma_seen seen[1 << 14];

/* The VMAs of /proc/self/smaps that meet the scenario's part of the carveout. */
static int read_vmas(void)
{
	unsigned long lo = base - MARGIN / 2, hi = base + SCENARIO_SPAN + MARGIN / 2;
	int fd = open("/proc/self/smaps", O_RDONLY), n = 0;
	size_t len = 0;
	ssize_t k;
	char *line, *next;
	bool in = false;

	if (fd < 0) {
		say("# cannot open /proc/self/smaps: %s\\n", strerror(errno));
		_exit(2);
	}
	while ((k = read(fd, smaps + len, sizeof(smaps) - 1 - len)) > 0)
		len += k;
	close(fd);
	smaps[len] = '\\0';
	for (line = smaps; *line; line = next) {
		unsigned long s, e, off;
		char perms[5];

		next = strchr(line, '\\n');
		if (next)
			*next++ = '\\0';
		else
			next = line + strlen(line);
		if (sscanf(line, "%lx-%lx %4s %lx", &s, &e, perms, &off) == 4) {
			in = s < hi && e > lo && n < (int)ARRAY_SIZE(seen);
			if (in) {
				seen[n].start = s;
				seen[n].end = e;
				seen[n].offset = off;
				memcpy(seen[n].perms, perms, sizeof(perms));
				seen[n].vmflags[0] = '\\0';
				n++;
			}
		} else if (in && !strncmp(line, "VmFlags:", 8)) {
			char *f = line + 8;
			size_t l;

			while (*f == ' ')
				f++;
			l = strlen(f);
			while (l && f[l - 1] == ' ')
				l--;
			if (l >= sizeof(seen[n - 1].vmflags))
				l = sizeof(seen[n - 1].vmflags) - 1;
			memcpy(seen[n - 1].vmflags, f, l);
			seen[n - 1].vmflags[l] = '\\0';
		}
	}
	return n;
}

/* Every VMA of the scenario's part, as vmasim has it after the event. */
static void check_vmas(int event, const char *what, const struct vma_want *want, int nwant)
{
	int n = read_vmas(), i;
	bool same = n == nwant;

	for (i = 0; same && i < n; i++)
		same = seen[i].start == AT(want[i].start) && seen[i].end == AT(want[i].end) &&
		       !strcmp(seen[i].perms, want[i].perms) && seen[i].offset == want[i].offset &&
		       !strcmp(seen[i].vmflags, want[i].vmflags);
	if (same)
		return;
	failures++;
	say("# after event %d (%s), in process %d:\\n", event, what, (int)getpid());
	for (i = 0; i < nwant; i++)
		say("#   vmasim: %lx-%lx %s %08lx %s\\n", SCENARIO_LO + want[i].start, SCENARIO_LO + want[i].end, want[i].perms, want[i].offset, want[i].vmflags);
	for (i = 0; i < n; i++)
		say("#   kernel: %lx-%lx %s %08lx %s\\n", scenario(seen[i].start), scenario(seen[i].end), seen[i].perms, seen[i].offset, seen[i].vmflags);
}

${processCount > 1 ? START_PROCESS : ''}static int wait_children(void)
{
	int i, status;

	for (i = 0; i < nchildren; i++)
		if (waitpid(children[i], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failures++;
	nchildren = 0;
	return failures;
}
`);
  for (const t of tables) out.push(t.trimEnd());
  if (processCount > 1) out.push(Array.from({ length: processCount - 1 }, (_, i) => `static int process_${processCount - 1 - i}(void);`).join('\n'));
  for (let p = 0; p < processCount; p++) {
    const uses = body[p]!.some((l) => l.includes('\tr = '));
    const fn = [`static int process_${p}(void)`, '{'];
    if (uses) fn.push('\tlong r;', '');
    if (childStart.has(p)) fn.push(childStart.get(p)!);
    fn.push(...body[p]!, '', '\treturn wait_children();', '}');
    out.push(fn.join('\n'));
  }
  out.push(`/* Files, the carveout, the fault handler. */
static void setup(void)
{
	struct sigaction sa = { .sa_handler = on_touch_fault };
	size_t size = SCENARIO_SPAN + 2 * MARGIN + HUGE_ALIGN;
	char *carveout;
${files
  .map(
    (f) => `	char path_${cIdent(f.name)}[] = "/tmp/vmasim-selftest-XXXXXX";

	${fileIdent.get(f.name)!} = mkstemp(path_${cIdent(f.name)});
	if (${fileIdent.get(f.name)!} < 0 || unlink(path_${cIdent(f.name)}) || ftruncate(${fileIdent.get(f.name)!}, ${u64(f.size)})) {
		say("# cannot make the file ${f.name}: %s\\n", strerror(errno));
		_exit(2);
	}`,
  )
  .join('\n')}

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL))
		_exit(2);
	carveout = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (carveout == MAP_FAILED) {
		say("# cannot reserve the carveout: %s\\n", strerror(errno));
		_exit(2);
	}
	base = (((uintptr_t)carveout + MARGIN + HUGE_ALIGN - 1) & ~(HUGE_ALIGN - 1)) + (SCENARIO_LO & (HUGE_ALIGN - 1));
	if (munmap((void *)(base - MARGIN / 2), SCENARIO_SPAN + MARGIN)) {
		say("# cannot empty the scenario's part of the carveout: %s\\n", strerror(errno));
		_exit(2);
	}
	say("# scenario address %#lx is %#lx here\\n", SCENARIO_LO, (unsigned long)base);
}

int main(void)
{
	int failed;

	say("TAP version 13\\n1..1\\n");
	setup();
	failed = process_0();
	say("%sok 1 ${testName}\\n", failed ? "not " : "");
	return failed ? 1 : 0;
}
`);
  const text = `${out.map((b) => b.trimEnd()).join('\n\n').replace(/\{\n\n/g, '{\n').replace(/\n{3,}/g, '\n\n')}\n`;
  return exported(text, [`build and run it with: cc -O2 -Wall -o ${testName} FILE && ./${testName}`]);
}
