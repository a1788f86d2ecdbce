import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStateCommand } from '../../commands/engine.js';
import { parseLine } from '../../commands/parse.js';
import { newParseContext } from '../../commands/parse-context.js';
import { SysError } from '../errno.js';
import { GuardMarkers } from '../guard-markers.js';
import { MmWork } from '../mm-work.js';
import { initialState, type SimState } from '../state.js';
import { CommandError, step } from '../step.js';
import { ARENA_PAGES, HIGH, PAGE, scenario } from '../testing/random-lines.js';
import { completeMunmap, doVmiAlignMunmap, gatherMunmapVmas } from './munmap-range.js';

function run(lines: readonly string[]): SimState {
  const ctx = newParseContext();
  let state = initialState();
  lines.forEach((text, i) => {
    const parsed = parseLine(text, ctx, { file: '<random>', line: i + 1 });
    if (parsed.kind !== 'command' || !isStateCommand(parsed.cmd)) throw new Error(`not a state command: ${text}`);
    try {
      state = step(state, parsed.cmd).state;
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
    }
  });
  return state;
}

/** What an unmap did: its error, the VMAs and guard markers it left, and its trace. */
function outcome(state: SimState, unmap: (w: MmWork) => void) {
  const w = new MmWork(state, state.current, true);
  let errno: string | null = null;
  try {
    unmap(w);
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    errno = e.errno;
  }
  const mm = w.finish().processes[state.current]!.mm;
  return {
    errno,
    vmas: mm.vmas.toArray(),
    guards: mm.guards.toArray(),
    trace: w.trace.map((t) => ({ kind: t.kind, text: t.text, reasons: t.reasons })),
  };
}

describe('doVmiAlignMunmap', () => {
  it('does what gathering then completing does, a range inside one VMA included (done there in one update)', () => {
    const base = Number(HIGH.base);
    let inside = 0;
    fc.assert(
      fc.property(
        scenario(HIGH, { syscalls: 3, vma: 2, processes: 0 }, 25),
        fc.integer({ min: 0, max: ARENA_PAGES }),
        fc.integer({ min: 1, max: 8 }),
        // Or a range inside a VMA: which one, and where in it.
        fc.option(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { freq: 2 }),
        fc.boolean(),
        fc.boolean(),
        (lines, page, pages, inVma, atMapCount, guarded) => {
          let state = run(lines);
          // Guard markers over the whole arena, for the unmap to clear.
          if (guarded) {
            const processes = state.processes.slice();
            const p = processes[state.current]!;
            processes[state.current] = { ...p, mm: { ...p.mm, guards: GuardMarkers.of([{ start: base, end: base + ARENA_PAGES * PAGE }]) } };
            state = { ...state, processes };
          }
          // Sometimes with no room for one more VMA: cutting a VMA in three must then fail as before.
          if (atMapCount) state = { ...state, config: { ...state.config, maxMapCount: state.processes[state.current]!.mm.vmas.size } };
          let start = base + page * PAGE;
          let end = start + pages * PAGE;
          const all = state.processes[state.current]!.mm.vmas.toArray();
          if (inVma !== null && all.length > 0) {
            const [which, from, length] = inVma;
            const target = all[which % all.length]!;
            const span = (target.end - target.start) / PAGE;
            start = target.start + (from % span) * PAGE;
            end = start + (1 + (length % (span - (start - target.start) / PAGE))) * PAGE;
          }
          const v = state.processes[state.current]!.mm.vmas.findFrom(start);
          if (v !== undefined && v.start <= start && end <= v.end) inside++;
          expect(outcome(state, (w) => doVmiAlignMunmap(w, start, end))).toEqual(
            outcome(state, (w) => completeMunmap(w, gatherMunmapVmas(w, start, end), start, end)),
          );
        },
      ),
      { numRuns: 300 },
    );
    expect(inside).toBeGreaterThan(100);
  });
});
