import fc from 'fast-check';
import stringWidth from 'string-width';
import { expect, it } from 'vitest';
import narrowStringWidth from './narrow-string-width.js';

// The REPL's own symbols, the characters next to them that are wide, emoji or
// combining, and the escapes Ink's styled text carries.
const PIECES = [
  'a', 'Z', ' ', '~', '0x1000', '…', '·', '§', '─', '▼', '▲', '▓', '░', '█', '→', '←', '’',
  '\u0301', '\ufe0f', '\u200d', '😀', '↔', '▶', '中', '９', '\t', '\u001b[31m', '\u001b[39m', '\u001b[1m', '\u009b31m', 'é', '\u0000',
];

it('gives what string-width gives, for any mix of the REPL’s symbols and characters that are not narrow', () => {
  let fast = 0;
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((p) => p.join('')),
      fc.option(fc.record({ ambiguousIsNarrow: fc.option(fc.boolean(), { nil: undefined }), countAnsiEscapeCodes: fc.option(fc.boolean(), { nil: undefined }) }), { nil: undefined }),
      (text, options) => {
        expect(narrowStringWidth(text, options)).toBe(stringWidth(text, options));
        if (/^[^\u0301\ufe0f\u200d😀↔▶中９\t\u0000é]*$/u.test(text)) fast++;
      },
    ),
    { numRuns: 3000 },
  );
  expect(fast).toBeGreaterThan(100);
});
