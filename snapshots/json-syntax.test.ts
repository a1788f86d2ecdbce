import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from './json-syntax.js';

const SAMPLE = JSON.stringify({ format: 'x', n: [1, -2.5, 3e10, 0], s: 'a\\"b\u00e9\n', t: true, f: false, z: null, o: { a: [] } }, null, 1);

/** What JSON.parse says: null when it parses, else its position where its message has one. */
function v8(text: string): { readonly position: number | null; readonly message: string } | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const message = (e as Error).message;
    const m = / at position (\d+)/.exec(message);
    return { position: m ? Number(m[1]) : message.startsWith('Unexpected end') ? text.length : null, message };
  }
}

describe('findJsonSyntaxError', () => {
  it('names the line and column, counted in characters, of what V8 refuses without a position', () => {
    expect(findJsonSyntaxError('\ufeff{}')).toEqual({ offset: 0, line: 1, column: 1, reason: 'expected a value (an object, array, string, number, true, false or null), got a byte order mark (U+FEFF)' });
    expect(findJsonSyntaxError('{\n  "é😀": [1,\n ]}')).toMatchObject({ line: 3, column: 2, reason: expect.stringMatching(/got '\]'$/) });
    expect(findJsonSyntaxError('{"a":"é😀",\u0000}')).toMatchObject({ line: 1, column: 11, reason: expect.stringMatching(/got a NUL byte \(U\+0000\)$/) });
    expect(findJsonSyntaxError('[1,,2]')).toMatchObject({ column: 4 });
  });

  it('says why, for each kind of error', () => {
    const reason = (t: string) => findJsonSyntaxError(t)?.reason;
    expect(reason('')).toBe('the text ends where a value should follow');
    expect(reason('{"a" 1}')).toBe("expected ':', got '1'");
    expect(reason('[1 2]')).toBe("expected ',' or ']', got '2'");
    expect(reason('{"a":1,}')).toBe("expected a property name in double quotes, got '}'");
    expect(reason('01')).toBe('a number may not start with 0 followed by more digits');
    expect(reason('1.e5')).toBe("expected a digit after the number's '.', got 'e'");
    expect(reason('"abc')).toBe('this string is not closed');
    expect(reason('"\\x"')).toBe("a backslash before 'x': not an escape JSON knows");
    expect(reason('"\t"')).toBe('U+0009 inside a string: control characters must be escaped');
    expect(reason('{} x')).toBe("'x' after the end of the JSON value");
  });

  it('reads text nested 100,000 deep without running out of stack', () => {
    expect(findJsonSyntaxError('['.repeat(100_000) + ']'.repeat(100_000))).toBeNull();
    expect(findJsonSyntaxError('['.repeat(100_000) + ']'.repeat(99_999) + '}')).toMatchObject({ offset: 199_999 });
  });

  it('refuses exactly what JSON.parse refuses, at the position V8 gives where it gives one', () => {
    const alphabet = ['{', '}', '[', ']', ',', ':', '"', '\\', '0', '1', '-', '.', 'e', '+', ' ', '\n', 't', 'u', 'x', '\u0000', '\u001f', '\ufeff', '\ud800', '😀'];
    const mutated = fc
      .array(fc.record({ at: fc.nat(), op: fc.constantFrom('insert', 'delete', 'replace', 'cut'), ch: fc.constantFrom(...alphabet) }), { minLength: 0, maxLength: 3 })
      .map((edits) => {
        let t = SAMPLE;
        for (const e of edits) {
          const at = e.at % (t.length + 1);
          if (e.op === 'insert') t = t.slice(0, at) + e.ch + t.slice(at);
          else if (e.op === 'delete') t = t.slice(0, at) + t.slice(at + 1);
          else if (e.op === 'replace') t = t.slice(0, at) + e.ch + t.slice(at + 1);
          else t = t.slice(0, at);
        }
        return t;
      });
    let refused = 0;
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 12 })), (text) => {
        const ours = findJsonSyntaxError(text);
        const theirs = v8(text);
        expect(ours === null, `${JSON.stringify(text)}: V8 says ${theirs?.message ?? 'ok'}`).toBe(theirs === null);
        if (ours === null || theirs === null) return;
        refused++;
        // A string that is not closed is placed at its opening quote, V8 places it at the end of the text.
        if (theirs.position !== null && ours.reason !== 'this string is not closed')
          expect(ours.offset, `${JSON.stringify(text)}: V8 says ${theirs.message}`).toBe(theirs.position);
      }),
      { numRuns: 3000, seed: 20240808 },
    );
    expect(refused).toBeGreaterThan(1000);
  });
});
