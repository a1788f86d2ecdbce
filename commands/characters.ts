/**
 * Strings measured in characters (code points), as columns are counted,
 * without spreading a string of a megabyte into an array to do it.
 */

export function characterCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function firstCharacters(s: string, n: number): string {
  let out = '';
  let taken = 0;
  for (const ch of s) {
    if (taken++ === n) break;
    out += ch;
  }
  return out;
}

export function lastCharacters(s: string, n: number): string {
  // Twice as many UTF-16 units always hold n characters; the surplus is cut in whole characters.
  return [...s.slice(-2 * n)].slice(-n).join('');
}
