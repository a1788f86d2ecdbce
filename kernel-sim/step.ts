import type { StateCommand } from '../commands/ast.js';
import { SysError, type Errno } from './errno.js';
import { CommandError } from './command-error.js';
import { forkProcess } from './fork.js';
import { runVmaCommand } from './internal-commands.js';
import { MmWork } from './mm-work.js';
import { describeAboveCeiling, fileNameProblem, forkProblem, MAX_VMAS, newFileProblem } from './sim-limits.js';
import type { SimState } from './state.js';
import { sysMadvise, sysSetAnonName } from './syscalls/madvise.js';
import { sysMlock, sysMunlock } from './syscalls/mlock.js';
import { sysMmap } from './syscalls/mmap.js';
import { sysMprotect } from './syscalls/mprotect.js';
import { sysMremap } from './syscalls/mremap.js';
import { sysMseal } from './syscalls/mseal.js';
import { sysMunmap } from './syscalls/munmap.js';
import { sysTouch } from './syscalls/touch.js';
import { TASK_SIZE_BIG } from './syscalls/u64.js';
import { NO_TRACE, type Trace } from './trace.js';
import { hex, PAGE_SIZE } from './vma.js';

/** What one command did: the new state, the value the kernel returned, and why. */
export interface StepOutcome {
  readonly state: SimState;
  /**
   * Whether the line produces a `results` entry (system calls, touch, vma,
   * fork, process). `file` and `config` lines change the state but report nothing.
   */
  readonly reported: boolean;
  /** As the JSON output wants it: an address as hex string, 0, -1, a range string, or "none". */
  readonly ret: string | number;
  readonly errno: Errno | null;
  readonly trace: Trace;
  /** The process the line acted on. */
  readonly process: number;
}

export { CommandError };

function addrRet(a: number): string {
  return hex(a);
}

export interface StepOptions {
  /**
   * Record what the operation did and why (default true). Without it the
   * trace is empty; since step is pure, running it again with the trace on
   * gives the trace the first run would have given.
   */
  readonly trace?: boolean;
}

/**
 * Apply one state-changing command to the simulated machine. Pure: the
 * input state is never modified.
 */
export function step(state: SimState, cmd: StateCommand, opts: StepOptions = {}): StepOutcome {
  const tracing = opts.trace ?? true;
  const pid = state.current;
  switch (cmd.kind) {
    case 'file': {
      const badName = fileNameProblem(cmd.name);
      if (badName) throw new CommandError(`file NAME ${badName}`);
      if (state.files[cmd.name]) throw new CommandError(`file ${cmd.name} already exists`);
      const full = newFileProblem(state);
      if (full) throw new CommandError(`file ${cmd.name}: ${full}`);
      if (cmd.size > BigInt(Number.MAX_SAFE_INTEGER)) throw new CommandError(`file size ${cmd.size} is too large`);
      const next: SimState = { ...state, files: { ...state.files, [cmd.name]: { id: cmd.name, kind: 'regular', name: cmd.name, size: Number(cmd.size) } } };
      return { state: next, reported: false, ret: 0, errno: null, trace: NO_TRACE, process: pid };
    }
    case 'config': {
      let config = state.config;
      switch (cmd.option) {
        case 'anon_vma_name': config = { ...config, anonVmaName: cmd.value }; break;
        case 'soft_dirty': config = { ...config, softDirty: cmd.value }; break;
        case 'max_map_count': {
          if (cmd.value > 2147483647n) throw new CommandError(`max_map_count ${cmd.value} is above the kernel's limit of 2147483647`);
          // As the sysctl, it may drop below what a process holds: only new VMAs are refused.
          config = { ...config, maxMapCount: Number(cmd.value) };
          break;
        }
        case 'mmap_base':
          if (cmd.value % BigInt(PAGE_SIZE) !== 0n || cmd.value > TASK_SIZE_BIG || cmd.value < 0x10000n)
            throw new CommandError(`mmap_base ${hex(Number(cmd.value))} must be page aligned and between 0x10000 and 0x7ffffffff000`);
          config = { ...config, mmapBase: Number(cmd.value) };
          break;
      }
      return { state: { ...state, config }, reported: false, ret: 0, errno: null, trace: NO_TRACE, process: pid };
    }
    case 'process': {
      const n = cmd.n;
      if (n >= BigInt(state.processes.length)) return { state, reported: true, ret: -1, errno: 'ESRCH', trace: NO_TRACE, process: pid };
      return { state: { ...state, current: Number(n) }, reported: true, ret: 0, errno: null, trace: NO_TRACE, process: Number(n) };
    }
    case 'fork': {
      const full = forkProblem(state);
      if (full) throw new CommandError(`fork: ${full}`);
      const w = new MmWork(state, pid, tracing);
      const { state: next, child } = forkProcess(state, w);
      return { state: next, reported: true, ret: child, errno: null, trace: tracing ? [{ kind: 'note', text: `process ${pid} forked process ${child}` }] : NO_TRACE, process: pid };
    }
    default:
      return runInMm(state, cmd, tracing);
  }
}

function runInMm(state: SimState, cmd: StateCommand, tracing: boolean): StepOutcome {
  const w = new MmWork(state, state.current, tracing);
  const pid = state.current;
  let ret: string | number;
  try {
    ret = dispatch(w, cmd);
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    // Internal-API lines are all-or-nothing; system calls keep partial work.
    const keep = !cmd.kind.startsWith('vma-');
    return { state: keep ? w.finish() : state, reported: true, ret: -1, errno: e.errno, trace: w.trace, process: pid };
  }
  const next = w.finish();
  const vmas = next.processes[pid]!.mm.vmas.size;
  if (vmas > MAX_VMAS) throw new CommandError(`the line would leave process ${pid} with ${describeAboveCeiling(vmas)}`);
  return { state: next, reported: true, ret, errno: null, trace: w.trace, process: pid };
}

function dispatch(w: MmWork, cmd: StateCommand): string | number {
  switch (cmd.kind) {
    case 'mmap': {
      const file = cmd.file;
      const open = file !== null && w.files[file] !== undefined;
      return addrRet(
        sysMmap(w, { addr: cmd.addr ?? 0n, len: cmd.len, prot: cmd.prot, flags: cmd.flags, file: open ? file : null, badFile: file !== null && !open, off: cmd.off }),
      );
    }
    case 'munmap': return sysMunmap(w, cmd.addr, cmd.len);
    case 'mprotect': return sysMprotect(w, cmd.addr, cmd.len, cmd.prot);
    case 'madvise': return sysMadvise(w, cmd.addr, cmd.len, cmd.advice);
    case 'mlock': return sysMlock(w, cmd.addr, cmd.len, cmd.onfault);
    case 'munlock': return sysMunlock(w, cmd.addr, cmd.len);
    case 'mremap':
      return addrRet(sysMremap(w, { addr: cmd.addr, oldLen: cmd.oldLen, newLen: cmd.newLen, maymove: cmd.maymove, dontunmap: cmd.dontunmap, newAddr: cmd.newAddr }));
    case 'mseal': return sysMseal(w, cmd.addr, cmd.len);
    case 'name': return sysSetAnonName(w, cmd.addr, cmd.len, cmd.name);
    case 'touch': return sysTouch(w, cmd.addr, cmd.len, cmd.write);
    case 'vma-add':
    case 'vma-merge-new':
    case 'vma-merge-existing':
    case 'vma-modify':
    case 'vma-expand':
    case 'vma-shrink':
    case 'vma-split':
    case 'vma-unmap':
    case 'vma-copy':
      return runVmaCommand(w, cmd);
    default:
      throw new CommandError(`not a state-changing command: ${(cmd as { kind: string }).kind}`);
  }
}
