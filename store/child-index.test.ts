import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ChildIndex } from './child-index.js';
import { PVec } from './pvec.js';

interface Ev {
  readonly parent: number | null;
}

/** The newest child of every event, by scanning the parents: what the index must answer. */
function modelNewest(events: readonly Ev[]): number[] {
  const newest = events.map(() => -1);
  events.forEach((e, seq) => {
    if (e.parent !== null) newest[e.parent] = seq;
  });
  return newest;
}

describe('ChildIndex', () => {
  test('gives the newest child of every event, along a line and across branches, in every version', () => {
    fc.assert(
      fc.property(
        // Each new event's parent: mostly the event before it (a line), sometimes any earlier one (a branch).
        // And now and then the next event is appended to an earlier version, as to a history kept from before.
        fc.array(
          fc.tuple(
            fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
            fc.oneof({ weight: 9, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
          ),
          { maxLength: 300 },
        ),
        (picks) => {
          let events = PVec.empty<Ev>().push({ parent: null });
          let index = ChildIndex.start();
          const versions: { events: PVec<Ev>; index: ChildIndex }[] = [{ events, index }];
          for (const [pick, back] of picks) {
            if (back >= 0) ({ events, index } = versions[Math.floor(back * versions.length)]!);
            const seq = events.size;
            const parent = pick < 0 ? seq - 1 : Math.floor(pick * seq);
            index = index.withChild(parent, seq);
            events = events.push({ parent });
            versions.push({ events, index });
          }
          // Later appends, on the line or beside it, left every earlier version's answers as they were.
          for (const v of versions) {
            const expected = modelNewest(v.events.toArray());
            expect(expected.map((_, seq) => v.index.newest(seq, v.events))).toEqual(expected);
            expect(v.index.newest(v.events.size, v.events)).toBe(-1);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
