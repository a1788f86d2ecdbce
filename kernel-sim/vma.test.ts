import fc from 'fast-check';
import { expect, it } from 'vitest';
import { hex } from './vma.js';

it('hex prints every safe integer as toString(16) does', () => {
  fc.assert(fc.property(fc.maxSafeNat(), (n) => { expect(hex(n)).toBe('0x' + n.toString(16)); }), { numRuns: 2000 });
  for (const n of [0, 0xffffff, 0x1000000, 0x1000001, 0x7ffffffff000, 2 ** 53 - 1, 2 ** 53, -1, 0.5]) expect(hex(n)).toBe('0x' + n.toString(16));
});
