/**
 * PROT words (scenario-language.md, "Lexical rules"): three characters in the
 * order /proc/PID/maps prints them (`rw-`, `r-x`, `---`), or `none`;
 * case-insensitive.
 */

import { PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE, type Prot } from './ast.js';

const POSITIONS: readonly { readonly letter: string; readonly bit: Prot }[] = [
  { letter: 'r', bit: PROT_READ },
  { letter: 'w', bit: PROT_WRITE },
  { letter: 'x', bit: PROT_EXEC },
];

/** The PROT bits, or null when the word is not a PROT. */
export function parseProt(text: string): Prot | null {
  const word = text.toLowerCase();
  if (word === 'none') return PROT_NONE;
  if (word.length !== 3) return null;
  let prot = PROT_NONE;
  for (let i = 0; i < 3; i++) {
    const ch = word[i];
    const pos = POSITIONS[i]!;
    if (ch === pos.letter) prot |= pos.bit;
    else if (ch !== '-') return null;
  }
  return prot;
}

/** `rw-` style, as /proc/PID/maps prints the first three columns. */
export function protToString(prot: Prot): string {
  return POSITIONS.map((p) => ((prot & p.bit) !== 0 ? p.letter : '-')).join('');
}

/** Every PROT in maps form, the most common first: completion candidates. */
export const PROT_WORDS: readonly string[] = ['rw-', 'r--', 'r-x', '---', 'rwx', '-w-', '--x', '-wx', 'none'];
