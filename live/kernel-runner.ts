/**
 * `vmasim kernel`: runs a scenario's system calls on the host kernel through the
 * native helper (live/helper.c) and builds the same JSON report as `vmasim run`
 * (scenario-language.md, "Output of vmasim run FILE --json"), with the fields the
 * live kernel cannot show (pgoff, anon_vma, anon_vma_chain, close) set to null.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Advice, Command, MmapFlags } from '../commands/ast.js';
import type { ProcessReport, ResultReport, RunReport, VmaReport } from '../snapshots/run-report.js';
import { readHostKernelConfig, type HostKernelConfig } from './host-config.js';
import { helperBinaryPath } from './paths.js';
import { parseSmaps, SmapsParseError, type ParsedSmapsVma } from './smaps.js';

export interface ScenarioLine {
  /** 1-based line number in the scenario file. */
  readonly line: number;
  /** The command without its comment and surrounding blanks. */
  readonly text: string;
  readonly cmd: Command;
}

export interface KernelRunOptions {
  /** The helper binary (default live/bin/vmasim-helper under the package root). */
  readonly helperPath?: string;
  /** The host's build options (default: read from /proc/config.gz). */
  readonly hostConfig?: HostKernelConfig;
  /** Kill the helper after this many milliseconds (default: no limit). */
  readonly timeoutMs?: number;
  /** Folder for the scenario's files (default: TMPDIR, else /tmp). */
  readonly tmpDir?: string;
}

/** The scenario cannot be run on the live kernel as written; the message names the line. */
export class LiveRefusal extends Error {
  constructor(
    message: string,
    /** The scenario line refused, or null when the refusal is about the whole scenario. */
    readonly line: number | null,
  ) {
    super(message);
    this.name = 'LiveRefusal';
  }
}

/** The helper is missing, could not be started, or failed. */
export class LiveHelperError extends Error {
  constructor(
    message: string,
    readonly stderr: string = '',
  ) {
    super(message);
    this.name = 'LiveHelperError';
  }
}

export const DEFAULT_WINDOW: { readonly start: bigint; readonly end: bigint } = {
  start: 0x100000000000n,
  end: 0x200000000000n,
};

// mmap(2) flags (x86-64 values).
const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_GROWSDOWN = 0x100;
const MAP_LOCKED = 0x2000;
const MAP_NORESERVE = 0x4000;
const MAP_POPULATE = 0x8000;
const MAP_FIXED_NOREPLACE = 0x100000;
// mremap(2) flags.
const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;
const MREMAP_DONTUNMAP = 4;

/** MADV_* values for the scenario's advice names. */
export const MADVICE: Readonly<Record<Advice, number>> = {
  normal: 0,
  random: 1,
  sequential: 2,
  willneed: 3,
  dontneed: 4,
  free: 8,
  remove: 9,
  dontfork: 10,
  dofork: 11,
  mergeable: 12,
  unmergeable: 13,
  hugepage: 14,
  nohugepage: 15,
  dontdump: 16,
  dodump: 17,
  wipeonfork: 18,
  keeponfork: 19,
  cold: 20,
  pageout: 21,
  populate_read: 22,
  populate_write: 23,
  guard_install: 102,
  guard_remove: 103,
};

export function mmapFlagBits(flags: MmapFlags, anonymous: boolean): number {
  let f = flags.shared ? MAP_SHARED : MAP_PRIVATE;
  if (anonymous) f |= MAP_ANONYMOUS;
  if (flags.fixed) f |= MAP_FIXED;
  if (flags.noreplace) f |= MAP_FIXED_NOREPLACE;
  if (flags.growsdown) f |= MAP_GROWSDOWN;
  if (flags.locked) f |= MAP_LOCKED;
  if (flags.populate) f |= MAP_POPULATE;
  if (flags.noreserve) f |= MAP_NORESERVE;
  return f;
}

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

/** What a helper input line stands for. */
export interface HelperEntry {
  /** The scenario line it comes from (null for the window line the runner adds). */
  readonly source: ScenarioLine | null;
  /** Whether the line has an entry in `results`. */
  readonly reported: boolean;
}

export interface HelperInput {
  /** The text for the helper's standard input. */
  readonly text: string;
  /** One entry per line of `text` (before `end`). */
  readonly entries: readonly HelperEntry[];
  readonly window: { readonly start: bigint; readonly end: bigint };
  /** The line of the window in force, or null for the default window. */
  readonly windowLine: number | null;
  /** The scenario's file NAMEs by index. */
  readonly files: readonly string[];
}

/** REPL commands that move through history. */
const NAVIGATION: ReadonlySet<string> = new Set(['back', 'forward']);
/** Commands that only show something. */
const DISPLAY_ONLY: ReadonlySet<string> = new Set(['help', 'show', 'history', 'branches', 'diff', 'explain', 'vmas', 'quit']);

function refuse(sl: ScenarioLine, why: string): never {
  throw new LiveRefusal(`line ${sl.line}: \`${sl.text}\`: ${why}`, sl.line);
}

function checkConfig(sl: ScenarioLine, option: 'anon_vma_name' | 'soft_dirty', value: boolean, host: HostKernelConfig): void {
  const [have, symbol] =
    option === 'anon_vma_name' ? [host.anonVmaName, 'CONFIG_ANON_VMA_NAME'] : [host.softDirty, 'CONFIG_MEM_SOFT_DIRTY'];
  if (have === null) {
    refuse(sl, `cannot tell whether the host kernel was built with ${symbol} (${host.source}), so this setting cannot be honoured`);
  }
  if (have !== value) {
    refuse(
      sl,
      `the host kernel is built ${have ? 'with' : 'without'} ${symbol} (${host.source}); vmasim kernel runs the host as it is and cannot switch it ${value ? 'on' : 'off'}`,
    );
  }
}

/** Translates the scenario into the helper's input; throws LiveRefusal for lines the live kernel cannot run. */
export function buildHelperInput(lines: readonly ScenarioLine[], host: HostKernelConfig): HelperInput {
  const out: string[] = [];
  const entries: HelperEntry[] = [];
  const files = new Map<string, number>();
  let window: { start: bigint; end: bigint } = DEFAULT_WINDOW;
  let windowLine: number | null = null;
  const emit = (text: string, source: ScenarioLine | null, reported: boolean) => {
    out.push(text);
    entries.push({ source, reported });
  };
  // The window goes first; the last `window` line applies wherever it stands.
  emit('', null, false);

  for (const sl of lines) {
    const c = sl.cmd;
    switch (c.kind) {
      case 'window':
        if (c.start >= c.end) refuse(sl, 'the window START must be below END');
        window = { start: c.start, end: c.end };
        windowLine = sl.line;
        break;
      case 'file':
        if (files.has(c.name)) refuse(sl, `the file ${c.name} is already defined`);
        files.set(c.name, files.size);
        emit(`file ${files.size - 1} ${hex(c.size)}`, sl, false);
        break;
      case 'config':
        if (c.option === 'max_map_count' || c.option === 'mmap_base') {
          refuse(sl, `vmasim kernel does not change the host's ${c.option === 'max_map_count' ? 'vm.max_map_count' : 'mmap_base'}; remove this line to run the scenario on the live kernel`);
        }
        checkConfig(sl, c.option, c.value === true, host);
        break;
      case 'mmap': {
        let fileIdx = '-';
        if (c.file !== null) {
          const idx = files.get(c.file);
          if (idx === undefined) refuse(sl, `no earlier \`file\` line declares ${c.file}`);
          fileIdx = String(idx);
        }
        const flags = mmapFlagBits(c.flags, c.file === null);
        emit(`mmap ${hex(c.addr ?? 0n)} ${hex(c.len)} ${hex(c.prot)} ${hex(flags)} ${fileIdx} ${hex(c.off)}`, sl, true);
        break;
      }
      case 'munmap':
        emit(`munmap ${hex(c.addr)} ${hex(c.len)}`, sl, true);
        break;
      case 'mprotect':
        emit(`mprotect ${hex(c.addr)} ${hex(c.len)} ${hex(c.prot)}`, sl, true);
        break;
      case 'madvise':
        emit(`madvise ${hex(c.addr)} ${hex(c.len)} ${MADVICE[c.advice]}`, sl, true);
        break;
      case 'mlock':
        emit(`mlock ${hex(c.addr)} ${hex(c.len)} ${c.onfault ? 1 : 0}`, sl, true);
        break;
      case 'munlock':
        emit(`munlock ${hex(c.addr)} ${hex(c.len)}`, sl, true);
        break;
      case 'mremap': {
        let flags = 0;
        if (c.maymove) flags |= MREMAP_MAYMOVE;
        if (c.dontunmap) flags |= MREMAP_DONTUNMAP;
        if (c.newAddr !== null) flags |= MREMAP_FIXED;
        emit(`mremap ${hex(c.addr)} ${hex(c.oldLen)} ${hex(c.newLen)} ${hex(flags)} ${hex(c.newAddr ?? 0n)}`, sl, true);
        break;
      }
      case 'mseal':
        emit(`mseal ${hex(c.addr)} ${hex(c.len)}`, sl, true);
        break;
      case 'name':
        if (c.name !== null && (c.name === '' || /\s/.test(c.name))) refuse(sl, 'an anonymous VMA name cannot be empty or hold blanks');
        emit(`name ${hex(c.addr)} ${hex(c.len)}${c.name === null ? '' : ` ${c.name}`}`, sl, true);
        break;
      case 'touch':
        // Without LEN only the page that holds ADDR: [ADDR, ADDR+1) meets exactly that page.
        emit(`touch ${hex(c.addr)} ${hex(c.len ?? 1n)} ${c.write ? 'w' : 'r'}`, sl, true);
        break;
      case 'fork':
        emit('fork', sl, true);
        break;
      case 'process':
        emit(`process ${hex(c.n)}`, sl, true);
        break;
      case 'vma-add':
      case 'vma-merge-new':
      case 'vma-merge-existing':
      case 'vma-modify':
      case 'vma-expand':
      case 'vma-shrink':
      case 'vma-split':
      case 'vma-unmap':
      case 'vma-copy':
        refuse(sl, 'the internal VMA API (`vma ...`) is simulator-only: the live kernel can only be driven through system calls');
        break;
      case 'undo':
      case 'redo':
      case 'goto':
        refuse(sl, 'history commands cannot be run on the live kernel (it cannot step back)');
        break;
      case 'export':
      case 'import':
        refuse(sl, 'snapshot commands are simulator-only');
        break;
      default: {
        const kind: string = c.kind;
        if (NAVIGATION.has(kind)) refuse(sl, 'history commands cannot be run on the live kernel (it cannot step back)');
        // Commands that only show something have no result and no effect.
        if (!DISPLAY_ONLY.has(kind)) refuse(sl, `\`${kind}\` is not supported by vmasim kernel`);
        break;
      }
    }
  }
  out[0] = `window ${hex(window.start)} ${hex(window.end)}`;
  return {
    text: `${out.join('\n')}\nend\n`,
    entries,
    window,
    windowLine,
    files: [...files.keys()],
  };
}

/** One result line of the helper. */
export type HelperResult =
  | { readonly kind: 'ok'; readonly value: bigint }
  | { readonly kind: 'err'; readonly name: string }
  | { readonly kind: 'sig'; readonly name: string };

export interface HelperOutput {
  readonly results: readonly HelperResult[];
  readonly current: number;
  readonly processes: readonly { readonly process: number; readonly parent: number | null; readonly smaps: string; readonly firstLine: number }[];
}

function badOutput(lineNo: number, why: string): never {
  throw new LiveHelperError(`unexpected output from the kernel helper at line ${lineNo}: ${why}`);
}

/** Parses the helper's standard output (format described in live/helper.c). */
export function parseHelperOutput(text: string, expectedResults: number): HelperOutput {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let i = 0;
  if (lines[i] !== 'vmasim-helper 1') badOutput(1, `expected 'vmasim-helper 1', got '${lines[i] ?? ''}'`);
  i++;
  const results: HelperResult[] = [];
  for (let k = 0; k < expectedResults; k++, i++) {
    const l = lines[i];
    if (l === undefined) badOutput(i + 1, `expected ${expectedResults} result lines, got ${k}`);
    const m = /^(ok|err|sig) (\S+)$/.exec(l!);
    if (!m) badOutput(i + 1, `malformed result line '${l}'`);
    if (m![1] === 'ok') {
      if (!/^0x[0-9a-f]+$/.test(m![2]!)) badOutput(i + 1, `malformed value '${m![2]}'`);
      results.push({ kind: 'ok', value: BigInt(m![2]!) });
    } else {
      results.push({ kind: m![1] as 'err' | 'sig', name: m![2]! });
    }
  }
  const cm = /^@@current (\d+)$/.exec(lines[i] ?? '');
  if (!cm) badOutput(i + 1, `expected '@@current N', got '${lines[i] ?? ''}'`);
  const current = Number(cm![1]);
  i++;
  const processes: { process: number; parent: number | null; smaps: string; firstLine: number }[] = [];
  while (i < lines.length && lines[i] !== '@@done') {
    const pm = /^@@process (\d+) parent (\d+|-)$/.exec(lines[i]!);
    if (!pm) badOutput(i + 1, `expected '@@process N parent P', got '${lines[i]}'`);
    const n = Number(pm![1]);
    if (n !== processes.length) badOutput(i + 1, `expected process ${processes.length}, got ${n}`);
    const firstLine = i + 2;
    const body: string[] = [];
    i++;
    while (i < lines.length && lines[i] !== `@@end ${n}`) {
      if (lines[i]!.startsWith('@@')) badOutput(i + 1, `unexpected '${lines[i]}' inside the smaps of process ${n}`);
      body.push(lines[i]!);
      i++;
    }
    if (i >= lines.length) badOutput(i, `the smaps of process ${n} is not terminated`);
    i++;
    processes.push({ process: n, parent: pm![2] === '-' ? null : Number(pm![2]), smaps: body.join('\n'), firstLine });
  }
  if (lines[i] !== '@@done') badOutput(i + 1, "missing '@@done' (the helper's output was cut short)");
  if (i !== lines.length - 1) badOutput(i + 2, "text after '@@done'");
  if (processes.length === 0) badOutput(i + 1, 'no process was reported');
  if (current >= processes.length) badOutput(i + 1, `the current process ${current} was not reported`);
  return { results, current, processes };
}

const FILE_MARKER = /^vmasim-file:(\d+)$/;

function toVmaReport(v: ParsedSmapsVma, files: readonly string[], multi: boolean): VmaReport {
  let file: string | null = null;
  let name: string | null = null;
  const p = v.pathname;
  if (p !== null) {
    const fm = FILE_MARKER.exec(p);
    const anon = /^\[anon:(.*)\]$/.exec(p);
    const anonShmem = /^\[anon_shmem:(.*)\]$/.exec(p);
    if (fm) {
      const idx = Number(fm[1]);
      if (idx >= files.length) throw new LiveHelperError(`the kernel helper reported an unknown file ${p}`);
      file = files[idx]!;
    } else if (anon) {
      name = anon[1]!;
    } else if (anonShmem) {
      name = anonShmem[1]!;
    } else if (p === '/dev/zero (deleted)' || (p.startsWith('[') && p.endsWith(']'))) {
      // Shared anonymous memory, or a kernel-named VMA: no file.
    } else {
      file = p;
    }
  }
  const base = {
    start: hex(v.start),
    end: hex(v.end),
    perms: v.perms,
    offset: Number(v.offset),
    file,
    name,
    pgoff: null,
    anon_vma: null,
  };
  return multi
    ? { ...base, anon_vma_chain: null, vmflags: [...v.vmflags], close: null }
    : { ...base, vmflags: [...v.vmflags], close: null };
}

const ADDRESS_RESULTS = new Set(['mmap', 'mremap']);

/** Builds the report from the helper's output. */
export function buildReport(input: HelperInput, output: HelperOutput): RunReport {
  const multi = output.processes.length > 1;
  const results: ResultReport[] = [];
  let cur = 0;
  input.entries.forEach((entry, k) => {
    const r = output.results[k]!;
    const sl = entry.source;
    if (sl === null) return;
    if (!entry.reported) {
      if (r.kind !== 'ok') throw new LiveHelperError(`line ${sl.line}: the kernel helper could not carry out \`${sl.text}\` (${r.name})`);
      return;
    }
    let ret: string | number;
    let errno: string | null = null;
    if (r.kind === 'ok') {
      if (ADDRESS_RESULTS.has(sl.cmd.kind)) ret = hex(r.value);
      else ret = Number(r.value);
      if (sl.cmd.kind === 'process') cur = Number(sl.cmd.n);
    } else {
      ret = -1;
      errno = r.name;
    }
    const res: ResultReport = multi
      ? { line: sl.line, command: sl.text, ret, errno, process: cur }
      : { line: sl.line, command: sl.text, ret, errno };
    results.push(res);
  });
  if (cur !== output.current) {
    throw new LiveHelperError(`the kernel helper ended in process ${output.current}, not ${cur}`);
  }
  const { start, end } = input.window;
  const processes: ProcessReport[] = output.processes.map((p) => {
    const vmas = parseSmaps(p.smaps, { source: `smaps of process ${p.process}` })
      .filter((v) => v.start < end && v.end > start)
      .map((v) => toVmaReport(v, input.files, multi));
    return { process: p.process, parent: p.parent, vmas };
  });
  const vmas = processes[output.current]!.vmas;
  return multi ? { vmas, results, processes } : { vmas, results };
}

interface HelperRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

function runHelper(path: string, input: string, timeoutMs: number | undefined, tmpDir?: string): Promise<HelperRun> {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(path, [], { stdio: ['pipe', 'pipe', 'pipe'], env: tmpDir ? { ...process.env, TMPDIR: tmpDir } : process.env });
    } catch (e) {
      reject(new LiveHelperError(`cannot start the kernel helper ${path}: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let settled = false;
    const timer =
      timeoutMs === undefined
        ? null
        : setTimeout(() => {
            timedOut = true;
            // SIGTERM lets the helper end its processes and remove its files.
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 2000).unref();
          }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => {
      // The helper exited before reading everything; its exit status says why.
    });
    child.on('error', (e) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      reject(new LiveHelperError(`cannot start the kernel helper ${path}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
      });
    });
    child.stdin.end(input);
  });
}

/** Maps `line K:` of a helper message (K = helper input line) to the scenario line. */
function scenarioLineOf(input: HelperInput, message: string): { line: number | null; rest: string } {
  const m = /^vmasim-helper: line (\d+): (.*)$/s.exec(message.trim());
  if (!m) return { line: null, rest: message.trim().replace(/^vmasim-helper: /, '') };
  const k = Number(m[1]) - 1;
  const entry = input.entries[k];
  const line = k === 0 ? input.windowLine : (entry?.source?.line ?? null);
  return { line, rest: m[2]! };
}

/**
 * Runs the scenario on the live kernel and returns the report `vmasim kernel --json` prints.
 * Throws LiveRefusal for a scenario that cannot run on the live kernel, and
 * LiveHelperError when the helper is missing or fails.
 */
export async function runOnKernel(lines: readonly ScenarioLine[], opts: KernelRunOptions = {}): Promise<RunReport> {
  const host = opts.hostConfig ?? readHostKernelConfig();
  const input = buildHelperInput(lines, host);
  const helper = opts.helperPath ?? helperBinaryPath();
  if (!existsSync(helper)) {
    throw new LiveHelperError(
      `the kernel helper ${helper} is missing: run \`npm run build\` to build it (that needs a C compiler, cc or gcc)`,
    );
  }
  const run = await runHelper(helper, input.text, opts.timeoutMs, opts.tmpDir);
  if (run.timedOut) {
    throw new LiveHelperError(`the kernel helper did not finish within ${opts.timeoutMs} ms and was stopped`, run.stderr);
  }
  if (run.code === 3) {
    const { line, rest } = scenarioLineOf(input, run.stderr);
    throw new LiveRefusal(line === null ? rest : `line ${line}: ${rest}`, line);
  }
  if (run.code !== 0) {
    const { line, rest } = scenarioLineOf(input, run.stderr);
    const how = run.signal ? `was killed by ${run.signal}` : `failed (exit status ${run.code})`;
    const detail = rest === '' ? '' : `: ${line === null ? '' : `line ${line}: `}${rest}`;
    throw new LiveHelperError(`the kernel helper ${how}${detail}`, run.stderr);
  }
  const output = parseHelperOutput(run.stdout, input.entries.length);
  try {
    return buildReport(input, output);
  } catch (e) {
    // What the helper printed is its own fault, not the user's scenario's.
    if (e instanceof SmapsParseError) throw new LiveHelperError(`the kernel helper printed smaps that do not parse: ${e.message}`, run.stderr);
    throw e;
  }
}
