/**
 * `export kernel-c`: the current event as a test for the kernel's userland
 * VMA harness, tools/testing/vma of Linux v6.18 (docs/kernel-c.md).
 *
 * The current event must be one `vma` line (the internal API). The test is
 * one `static bool test_NAME(void)` in the harness's style: it links the
 * VMAs of the current process as they were before the event (range, pgoff,
 * flags, file, anon_vma and chain, close hook), draws them on a page ruler,
 * performs the operation through mm/vma.c, then checks what the simulator
 * said: the result, then every VMA (range, pgoff, flags, anon_vma) in order
 * and map_count. It asserts the simulator's answer, not a known-good one: a
 * failing test is a place where vmasim and the kernel's code disagree.
 *
 * Refused: histories whose last event is not a `vma` line; a line vmasim
 * refused with its own precondition check (the kernel function has no such
 * check, so calling it would be undefined); VMAs with an anonymous name
 * (not modelled by the harness); and the flags `gu` and `sd`, which v6.18's
 * harness lacks as sticky flags (they came with later stable releases).
 */
import type { VmaCommand } from '../commands/ast.js';
import { hasAny, mnemonicsToFlags, VM_MAYBE_GUARD, VM_MAYSHARE, VM_SOFTDIRTY, type VmFlags } from '../kernel-sim/flags.js';
import type { SimState } from '../kernel-sim/state.js';
import { PAGE_SIZE, type Vma } from '../kernel-sim/vma.js';
import { cAddr, cComment, cCommentText, cFlags, cIdent, cPgoff, rangeMarker, rulerLines, testNameFromPath, type RulerRow } from './c-text.js';
import { exported, refused, type ExportResult, type Exporter } from './export-types.js';
import { historyPath, type PathEvent } from './history-path.js';

/** The widest layout drawn on a ruler, in pages. */
const RULER_MAX_PAGES = 96;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function flagsOfWords(words: readonly string[]): VmFlags {
  const r = mnemonicsToFlags(words);
  if ('unknown' in r) throw new Error(`unknown mnemonic ${r.unknown}`);
  return r.flags;
}

function big(n: bigint): number {
  return Number(n);
}

/** The range an operation names, for the marker over the ruler. */
function opRange(cmd: VmaCommand, before: readonly Vma[]): [number, number] | null {
  switch (cmd.kind) {
    case 'vma-add':
    case 'vma-merge-new':
      return [big(cmd.vma.start), big(cmd.vma.end)];
    case 'vma-split':
      return [big(cmd.addr), big(cmd.addr) + PAGE_SIZE];
    case 'vma-copy': {
      const src = before.find((v) => v.start === big(cmd.start));
      return src ? [big(cmd.newAddr), big(cmd.newAddr) + (src.end - src.start)] : null;
    }
    default:
      return [big(cmd.start), big(cmd.end)];
  }
}

interface Names {
  /** `vma_a` for the VMA that starts at an address, for the VMAs linked before the operation. */
  readonly vmaVar: Map<number, string>;
  readonly letter: Map<number, string>;
  readonly anonVar: Map<string, string>;
  readonly fileVar: Map<string, string>;
}

function uniqueIdent(base: string, used: Set<string>): string {
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
  used.add(name);
  return name;
}

function fileVarOf(names: Names, id: string | null): string {
  return id === null ? 'NULL' : `&${names.fileVar.get(id)!}`;
}

function anonVarOf(names: Names, id: string | null): string {
  return id === null ? 'NULL' : `&${names.anonVar.get(id)!}`;
}

/**
 * The VMAs after the operation, labelled as the kernel keeps its structs: a
 * VMA that starts where one of before started is that one (a merge expands
 * prev; a split keeps the lower part), else one that ends where one of
 * before ended (a merge into next moves next's start), else the first one it
 * overlaps; a VMA that overlaps none, or a second piece of one VMA, gets a
 * new letter.
 */
function labelsAfter(before: readonly Vma[], after: readonly Vma[], names: Names): RulerRow[] {
  let fresh = before.length;
  const used = new Set<string>();
  return after.map((v) => {
    const src =
      before.find((b) => b.start === v.start) ?? before.find((b) => b.end === v.end) ?? before.find((b) => b.start < v.end && v.start < b.end);
    let ch = src ? names.letter.get(src.start)! : null;
    // Pieces of one VMA get letters of their own, so that every boundary shows.
    if (ch === null || used.has(ch)) ch = LETTERS[fresh++] ?? '#';
    used.add(ch);
    return { start: v.start, end: v.end, ch };
  });
}

function picture(base: number, pages: number, rows: readonly RulerRow[], marker: string | null, note: string | null): string[] {
  if (pages > RULER_MAX_PAGES) return [`(${pages} pages from ${cAddr(base)}: too wide to draw)`];
  const lines = rulerLines(base, pages, [rows]);
  const out = marker === null ? lines : [marker, ...lines];
  return note ? [...out, '', note] : out;
}

function checkSupported(e: PathEvent, vmas: readonly Vma[], extraFlags: readonly VmFlags[]): string | null {
  for (const v of vmas) {
    if (v.anonName !== null) return `the VMA at ${cAddr(v.start)} has an anonymous name, which the harness does not model`;
    if (hasAny(v.flags, VM_MAYBE_GUARD | VM_SOFTDIRTY)) return `the VMA at ${cAddr(v.start)} has 'gu' or 'sd', sticky flags the v6.18 harness does not have`;
  }
  for (const f of extraFlags) if (hasAny(f, VM_MAYBE_GUARD | VM_SOFTDIRTY)) return `'${e.text}' sets 'gu' or 'sd', sticky flags the v6.18 harness does not have`;
  return null;
}

export const exportKernelC: Exporter = (engine, opts): ExportResult => {
  const path = historyPath(engine);
  const e = path.events[path.events.length - 1];
  if (!e) return refused('kernel-c exports the current event as one operation of the internal VMA API, and no event has happened yet');
  if (!e.command.kind.startsWith('vma-'))
    return refused(`kernel-c exports the current event as one operation of the internal VMA API (a 'vma' line); event ${e.seq} is '${e.text}'`);
  const cmd = e.command as VmaCommand;
  const failPrealloc = 'failPrealloc' in cmd && cmd.failPrealloc;
  const r = e.result;
  if (r.errno !== null && !(cmd.kind === 'vma-unmap' || (failPrealloc && r.errno === 'ENOMEM')))
    return refused(
      `event ${e.seq} ('${e.text}') was refused by vmasim's own check (${r.errno}): the kernel function has no such check, so there is nothing to call`,
    );

  const beforeState: SimState = e.before;
  const pid = beforeState.current;
  const before = beforeState.processes[pid]!.mm.vmas.toArray();
  const after = e.after.processes[pid]!.mm.vmas.toArray();
  if (before.length > LETTERS.length) return refused(`kernel-c draws at most ${LETTERS.length} VMAs; process ${pid} had ${before.length} before event ${e.seq}`);
  const opFlags: VmFlags[] = [];
  if (cmd.kind === 'vma-add' || cmd.kind === 'vma-merge-new') opFlags.push(flagsOfWords(cmd.vma.flags));
  if (cmd.kind === 'vma-merge-existing' || cmd.kind === 'vma-modify') opFlags.push(flagsOfWords(cmd.flags));
  const unsupported = checkSupported(e, [...before, ...after], opFlags);
  if (unsupported) return refused(`event ${e.seq}: ${unsupported}`);

  // Names: VMAs by letter, anon_vmas and files by their ids.
  const used = new Set<string>(['vma', 'vmg', 'vmi', 'mm', 'vm_ops', 'need_locks']);
  const names: Names = { vmaVar: new Map(), letter: new Map(), anonVar: new Map(), fileVar: new Map() };
  before.forEach((v, i) => {
    names.letter.set(v.start, LETTERS[i]!);
    names.vmaVar.set(v.start, uniqueIdent(`vma_${LETTERS[i]!.toLowerCase()}`, used));
  });
  const anonIds: string[] = [];
  const fileIds: string[] = [];
  const noteAnon = (id: string | null) => id !== null && !anonIds.includes(id) && anonIds.push(id);
  const noteFile = (id: string | null) => id !== null && !fileIds.includes(id) && fileIds.push(id);
  for (const v of [...before, ...after]) {
    v.anonVmaChain.forEach(noteAnon);
    noteFile(v.file);
  }
  if (cmd.kind === 'vma-add' || cmd.kind === 'vma-merge-new') {
    noteAnon(cmd.vma.av);
    noteFile(cmd.vma.file);
  }
  for (const id of anonIds) names.anonVar.set(id, uniqueIdent(`anon_vma_${cIdent(id)}`, used));
  for (const id of fileIds) names.fileVar.set(id, uniqueIdent(`file_${cIdent(id)}`, used));
  const mappingVar = new Map(fileIds.map((id) => [id, uniqueIdent(`mapping_${cIdent(id)}`, used)]));
  const avcVar = new Map(before.filter((v) => v.anonVma).map((v) => [v.start, uniqueIdent(`avc_${LETTERS[before.indexOf(v)]!.toLowerCase()}`, used)]));
  const newAvc = cmd.kind === 'vma-add' && cmd.vma.av !== null ? uniqueIdent('avc_new', used) : null;

  const varOf = (addr: number) => names.vmaVar.get(addr)!;
  const holding = (addr: number) => before.find((v) => v.start <= addr && addr < v.end);
  const usesVmg = cmd.kind === 'vma-merge-new' || cmd.kind === 'vma-merge-existing' || cmd.kind === 'vma-expand';
  const closeHook = before.some((v) => v.hasClose) || (cmd.kind === 'vma-add' && cmd.close);

  // The ruler covers everything drawn, from the lowest page.
  const range = opRange(cmd, before);
  const all = [...before, ...after].flatMap((v) => [v.start, v.end]).concat(range ?? []);
  const base = all.length ? Math.min(...all) : 0;
  const top = all.length ? Math.max(...all) : 0;
  const pages = Math.ceil((top - base) / PAGE_SIZE);
  const baseNote = base === 0 ? null : `Page 0 of the ruler is ${cAddr(base)}.`;
  const beforeRows: RulerRow[] = before.map((v) => ({ start: v.start, end: v.end, ch: names.letter.get(v.start)! }));
  let marker: string | null = null;
  if (range && (cmd.kind === 'vma-merge-new' || cmd.kind === 'vma-add')) beforeRows.push({ start: range[0], end: range[1], ch: '*' });
  else if (range) marker = rangeMarker(base, range[0], range[1]);

  const name = `test_${testNameFromPath(opts.path, `vmasim_event_${e.seq}`)}`;
  const L: string[] = [];
  const line = (s = '') => L.push(s === '' ? '' : `\t${s}`);
  L.push(
    cComment(
      [
        `${e.text}`,
        '',
        `Event ${e.seq} of a vmasim session (process ${pid}). The VMAs as they were`,
        'before it are linked, the operation runs through mm/vma.c, and every',
        'VMA is checked against what vmasim computed. For the tools/testing/vma',
        'harness of Linux v6.18.',
      ],
      '',
    ),
  );
  L.push(`static bool ${name}(void)`, '{');
  line('struct mm_struct mm = {};');
  line('VMA_ITERATOR(vmi, &mm, 0);');
  if (usesVmg) {
    line('struct vma_merge_struct vmg = {');
    line('\t.mm = &mm,');
    line('\t.vmi = &vmi,');
    line('};');
  }
  if (closeHook) {
    line('const struct vm_operations_struct vm_ops = {');
    line('\t.close = dummy_close,');
    line('};');
  }
  for (const id of anonIds) line(`struct anon_vma ${names.anonVar.get(id)!} = {};`);
  for (const v of before) {
    if (!v.anonVma) continue;
    const n = v.anonVmaChain.length;
    line(`struct anon_vma_chain ${avcVar.get(v.start)!}${n > 1 ? `[${n}]` : ''} = {};`);
  }
  if (newAvc) line(`struct anon_vma_chain ${newAvc} = {};`);
  for (const id of fileIds) {
    line(`struct address_space ${mappingVar.get(id)!} = {};`);
    line(`struct file ${names.fileVar.get(id)!} = { .f_mapping = &${mappingVar.get(id)!} };`);
  }
  line(`struct vm_area_struct ${['*vma', ...before.map((v) => `*${varOf(v.start)}`)].join(', ')};`);
  if (cmd.kind === 'vma-copy') line('bool need_locks = false;');
  L.push('');

  L.push(cComment(picture(base, pages, beforeRows, marker, baseNote)));
  for (const v of before) {
    const x = varOf(v.start);
    line(`${x} = alloc_and_link_vma(&mm, ${cAddr(v.start)}, ${cAddr(v.end)}, ${cPgoff(v.pgoff)}, ${cFlags(v.flags)});`);
    line(`ASSERT_NE(${x}, NULL);`);
    L.push(...vmaSetup(x, v, names, avcVar.get(v.start) ?? null, cmd.kind === 'vma-copy'));
  }
  line(`ASSERT_EQ(mm.map_count, ${before.length});`);
  L.push('');

  line(`/* ${cCommentText(e.text)} */`);
  const ok = r.errno === null;
  if (failPrealloc) line('fail_prealloc = true;');
  switch (cmd.kind) {
    case 'vma-add': {
      const [s, en] = [big(cmd.vma.start), big(cmd.vma.end)];
      const f = flagsOfWords(cmd.vma.flags);
      line(`vma = alloc_and_link_vma(&mm, ${cAddr(s)}, ${cAddr(en)}, ${cPgoff(big(cmd.vma.pgoff))}, ${cFlags(f)});`);
      line('ASSERT_NE(vma, NULL);');
      const v: Vma = { start: s, end: en, pgoff: big(cmd.vma.pgoff), flags: f, file: cmd.vma.file, anonVma: cmd.vma.av, anonVmaChain: cmd.vma.av ? [cmd.vma.av] : [], anonName: null, hasClose: cmd.close };
      L.push(...vmaSetup('vma', v, names, newAvc, false));
      break;
    }
    case 'vma-merge-new': {
      const f = flagsOfWords(cmd.vma.flags);
      line(`vmg_set_range_anon_vma(&vmg, ${cAddr(big(cmd.vma.start))}, ${cAddr(big(cmd.vma.end))}, ${cPgoff(big(cmd.vma.pgoff))}, ${cFlags(f)}, ${anonVarOf(names, cmd.vma.av)});`);
      line(`vmg.file = ${fileVarOf(names, cmd.vma.file)};`);
      if (cmd.expandOnly) line('vmg.just_expand = true;');
      line('vma = merge_new(&vmg);');
      L.push(...mergeOutcome(r.ret, ok));
      break;
    }
    case 'vma-merge-existing': {
      const [s, en] = [big(cmd.start), big(cmd.end)];
      const middle = holding(s)!;
      const prevIdx = before.indexOf(middle) - 1;
      const prev = s > middle.start ? varOf(middle.start) : prevIdx >= 0 ? varOf(before[prevIdx]!.start) : 'NULL';
      const m = varOf(middle.start);
      line(`vmg_set_range_anon_vma(&vmg, ${cAddr(s)}, ${cAddr(en)}, ${cPgoff(middle.pgoff + (s - middle.start) / PAGE_SIZE)}, ${cFlags(flagsOfWords(cmd.flags))}, ${m}->anon_vma);`);
      line(`vmg.file = ${m}->vm_file;`);
      line(`vmg.middle = ${m};`);
      line(`vmg.prev = ${prev};`);
      line('vma = merge_existing(&vmg);');
      L.push(...mergeOutcome(r.ret, ok));
      break;
    }
    case 'vma-modify': {
      const [s, en] = [big(cmd.start), big(cmd.end)];
      const middle = holding(s)!;
      const prevIdx = before.indexOf(middle) - 1;
      const prev = s > middle.start ? varOf(middle.start) : prevIdx >= 0 ? varOf(before[prevIdx]!.start) : 'NULL';
      const f = cFlags(flagsOfWords(cmd.flags));
      line(`vma_iter_set(&vmi, ${cAddr(s)});`);
      line(`vma = vma_modify_flags(&vmi, ${prev}, ${varOf(middle.start)}, ${cAddr(s)}, ${cAddr(en)}, ${f});`);
      if (ok) {
        const [rs, re] = rangeOf(r.ret);
        line('ASSERT_FALSE(IS_ERR(vma));');
        line(`ASSERT_EQ(vma->vm_start, ${cAddr(rs)});`);
        line(`ASSERT_EQ(vma->vm_end, ${cAddr(re)});`);
        line('/* The caller sets the new flags on the VMA it is given, as mprotect_fixup() does. */');
        line(`vm_flags_reset(vma, ${f});`);
      } else {
        line('ASSERT_TRUE(IS_ERR(vma));');
        line(`ASSERT_EQ(PTR_ERR(vma), -${r.errno});`);
      }
      break;
    }
    case 'vma-expand': {
      const [s, en] = [big(cmd.start), big(cmd.end)];
      const target = before.find((v) => v.start === s)!;
      const next = before[before.indexOf(target) + 1];
      line(`vmg_set_range(&vmg, ${cAddr(s)}, ${cAddr(en)}, ${cPgoff(target.pgoff)}, ${varOf(target.start)}->vm_flags);`);
      line(`vmg.target = ${varOf(target.start)};`);
      if (next && next.start < en) line(`vmg.next = ${varOf(next.start)};`);
      line(`ASSERT_EQ(expand_existing(&vmg), ${ok ? '0' : `-${r.errno}`});`);
      break;
    }
    case 'vma-shrink': {
      const [s, en] = [big(cmd.start), big(cmd.end)];
      const v = holding(s)!;
      line(`vma_iter_set(&vmi, ${cAddr(v.start)});`);
      line(`ASSERT_EQ(vma_shrink(&vmi, ${varOf(v.start)}, ${cAddr(s)}, ${cAddr(en)}, ${cPgoff(v.pgoff + (s - v.start) / PAGE_SIZE)}), 0);`);
      break;
    }
    case 'vma-split': {
      const a = big(cmd.addr);
      const v = holding(a)!;
      line(`vma_iter_set(&vmi, ${cAddr(a)});`);
      line(`ASSERT_EQ(split_vma(&vmi, ${varOf(v.start)}, ${cAddr(a)}, 0), ${ok ? '0' : `-${r.errno}`});`);
      break;
    }
    case 'vma-unmap': {
      const [s, en] = [big(cmd.start), big(cmd.end)];
      line(`vma_iter_set(&vmi, ${cAddr(s)});`);
      line(`ASSERT_EQ(do_vmi_munmap(&vmi, &mm, ${cAddr(s)}, ${cAddr(en - s)}, NULL, false), ${ok ? '0' : `-${r.errno}`});`);
      break;
    }
    case 'vma-copy': {
      const src = before.find((v) => v.start === big(cmd.start))!;
      line(`vma = copy_vma(&${varOf(src.start)}, ${cAddr(big(cmd.newAddr))}, ${cAddr(src.end - src.start)}, ${cPgoff(big(cmd.pgoff))}, &need_locks);`);
      if (ok) {
        const [rs, re] = rangeOf(r.ret);
        line('ASSERT_NE(vma, NULL);');
        line(`ASSERT_EQ(vma->vm_start, ${cAddr(rs)});`);
        line(`ASSERT_EQ(vma->vm_end, ${cAddr(re)});`);
      } else line('ASSERT_EQ(vma, NULL);');
      break;
    }
  }
  if (failPrealloc) line('fail_prealloc = false;');
  L.push('');

  L.push(cComment(picture(base, pages, labelsAfter(before, after, names), null, null)));
  line('vma_iter_set(&vmi, 0);');
  for (const v of after) {
    line('vma = vma_next(&vmi);');
    line('ASSERT_NE(vma, NULL);');
    line(`ASSERT_EQ(vma->vm_start, ${cAddr(v.start)});`);
    line(`ASSERT_EQ(vma->vm_end, ${cAddr(v.end)});`);
    line(`ASSERT_EQ(vma->vm_pgoff, ${cPgoff(v.pgoff)});`);
    line(`ASSERT_EQ(vma->vm_flags, ${cFlags(v.flags)});`);
    line(`ASSERT_EQ(vma->anon_vma, ${anonVarOf(names, v.anonVma)});`);
    line(`ASSERT_EQ(vma->vm_file, ${fileVarOf(names, v.file)});`);
  }
  line('ASSERT_EQ(vma_next(&vmi), NULL);');
  line(`ASSERT_EQ(mm.map_count, ${after.length});`);
  L.push('');
  line(`ASSERT_EQ(cleanup_mm(&mm, &vmi), ${after.length});`);
  line('return true;');
  L.push('}');
  const notes = [`add 'TEST(${name.replace(/^test_/, '')});' to main() in tools/testing/vma/vma.c (Linux v6.18) to run it`];
  return exported(`${L.join('\n')}\n`, notes);
};

/** `0x1000-0x3000` → [0x1000, 0x3000]. */
function rangeOf(ret: string | number): [number, number] {
  const m = /^0x([0-9a-f]+)-0x([0-9a-f]+)$/.exec(String(ret));
  if (!m) throw new Error(`not a range result: ${ret}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16)];
}

/** The checks after merge_new() / merge_existing(). */
function mergeOutcome(ret: string | number, ok: boolean): string[] {
  if (!ok) return ['\tASSERT_EQ(vma, NULL);', '\tASSERT_EQ(vmg.state, VMA_MERGE_ERROR_NOMEM);'];
  if (ret === 'none') return ['\tASSERT_EQ(vma, NULL);', '\tASSERT_EQ(vmg.state, VMA_MERGE_NOMERGE);'];
  const [s, e] = rangeOf(ret);
  return ['\tASSERT_NE(vma, NULL);', '\tASSERT_EQ(vmg.state, VMA_MERGE_SUCCESS);', `\tASSERT_EQ(vma->vm_start, ${cAddr(s)});`, `\tASSERT_EQ(vma->vm_end, ${cAddr(e)});`];
}

/** File, anon_vma chain and close hook of a linked VMA. */
function vmaSetup(x: string, v: Vma, names: Names, avc: string | null, anonymousOps: boolean): string[] {
  const out: string[] = [];
  if (v.file !== null) out.push(`\t${x}->vm_file = ${fileVarOf(names, v.file)};`);
  else if (anonymousOps && !hasAny(v.flags, VM_MAYSHARE)) out.push(`\t${x}->vm_ops = NULL; /* private anonymous memory: vma_is_anonymous() */`);
  if (v.anonVma !== null && avc !== null) {
    const chain = v.anonVmaChain;
    if (chain.length === 1) out.push(`\t__vma_set_dummy_anon_vma(${x}, &${avc}, ${anonVarOf(names, v.anonVma)});`);
    else {
      out.push(`\t/* A fork child: its own anon_vma, then those of its ancestors (anon_vma chain ${chain.join(' > ')}). */`);
      out.push(`\t__vma_set_dummy_anon_vma(${x}, &${avc}[0], ${anonVarOf(names, v.anonVma)});`);
      chain
        .slice(0, -1)
        .reverse()
        .forEach((id, i) => {
          out.push(`\t${avc}[${i + 1}].anon_vma = ${anonVarOf(names, id)};`);
          out.push(`\tlist_add_tail(&${avc}[${i + 1}].same_vma, &${x}->anon_vma_chain);`);
        });
    }
  }
  if (v.hasClose) out.push(`\t${x}->vm_ops = &vm_ops;`);
  return out;
}
