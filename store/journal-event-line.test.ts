import fc from 'fast-check';
import { expect, it } from 'vitest';
import { encodeRecord } from './journal-format.js';
import { readPlainEventLine } from './journal-event-line.js';

const SUFFIX = ',"crc":"00000000"}'.length;

function textOf(rec: Parameters<typeof encodeRecord>[0]): string {
  return encodeRecord(rec).toString('utf8').slice(0, -1);
}

/** The plain reader over a line's bytes, placed inside a larger buffer as the journal scan passes it. */
function readText(text: string): ReturnType<typeof readPlainEventLine> {
  const line = Buffer.from(text, 'utf8');
  const padded = Buffer.concat([Buffer.from('{"kind":"event","seq":9}\n'), line, Buffer.from('\n{"kind":')]);
  const start = padded.indexOf(line);
  return readPlainEventLine(padded, start, start + line.length - SUFFIX);
}

it('reads an event line as JSON.parse does, or leaves it to JSON.parse', () => {
  let fast = 0;
  fc.assert(
    fc.property(
      fc.nat({ max: 2 ** 40 }),
      fc.nat({ max: 2 ** 40 }),
      fc.oneof(
        fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\u0001', '\u007f', 'é', '\u2028', 'x', ' ', '0'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 30 }),
        fc.string({ maxLength: 30 }),
      ),
      fc.string({ maxLength: 12 }),
      fc.oneof(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, 1700000000123, 1e21)),
      fc.option(fc.jsonValue(), { nil: undefined }),
      (seq, parent, command, result, time, data) => {
        const text = textOf({ kind: 'event', seq: seq + 1, parent, command, result, time, ...(data !== undefined ? { data } : {}) });
        const { crc: _crc, ...parsed } = JSON.parse(text) as Record<string, unknown>;
        const got = readText(text);
        if (got !== undefined) {
          fast++;
          expect(got).toEqual(parsed);
        }
      },
    ),
    { numRuns: 3000 },
  );
  // The common line takes the fast path.
  expect(fast).toBeGreaterThan(50);
});

it('leaves every other kind of line, and any line edited by hand, to JSON.parse', () => {
  const plain = textOf({ kind: 'event', seq: 3, parent: 2, command: 'mmap 0x100000000000 4K rw- fixed', result: '0x100000000000', time: 1700000000123 });
  expect(readText(plain)).toEqual({ kind: 'event', seq: 3, parent: 2, command: 'mmap 0x100000000000 4K rw- fixed', result: '0x100000000000', time: 1700000000123 });
  const others = [
    textOf({ kind: 'move', op: 'undo', arg: 1, from: 3, to: 2, time: 5 }),
    textOf({ kind: 'header', format: 'vmasim-journal', version: 2, time: 5 }),
    plain.replace('"seq":3', '"seq":03'),
    plain.replace('"seq":3', '"seq":3.0'),
    plain.replace('"seq":3', '"seq": 3'),
    plain.replace('"time":1700000000123', '"time":1700000000123,"data":{}'),
    plain.replace('"parent":2', '"parent":-2'),
  ];
  for (const t of others) expect(readText(t)).toBeUndefined();
});
