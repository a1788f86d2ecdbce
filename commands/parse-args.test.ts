import { describe, expect, test } from 'vitest';
import { numberArg } from './arg-types.js';
import { command, keyword, valueOption } from './command-def.js';
import { findOption } from './parse-args.js';

const KEEP = keyword('keep', 'a keyword that starts with k');
const AT = valueOption('at', 'N', numberArg, 'a key=value option');
const def = command({ name: 'x', syntax: 'x [keep] [at=N]', summary: '', help: '', category: 'syscall', event: false, options: [KEEP, AT], build: () => ({ kind: 'fork' }) });

describe('findOption', () => {
  test('keywords and keys in any case', () => {
    expect(findOption(def, 'keep')).toBe(KEEP);
    expect(findOption(def, 'KeEp')).toBe(KEEP);
    expect(findOption(def, 'AT=4')).toBe(AT);
    expect(findOption(def, 'at=')).toBe(AT);
  });

  test('a word that lower-cases to a keyword names it, though its first character is not ASCII', () => {
    // U+212A KELVIN SIGN lower-cases to k.
    expect(findOption(def, '\u212aeep')).toBe(KEEP);
  });

  test('other words name none', () => {
    for (const w of ['0x1000', '4K', 'kept', 'at', 'keep=1', '-', '=4', 'é']) expect(findOption(def, w), w).toBeUndefined();
  });
});
