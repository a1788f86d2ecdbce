/**
 * What every message a user can cause must be: present, one line, free of
 * stack traces and of values that leaked from the code (`undefined`, `NaN`,
 * `[object Object]`). `messageProblems` lists what is wrong with one.
 *
 * Two further qualities are checked separately (limits.test.ts and the
 * corpus), because the sources do not have them yet: a bounded length, and
 * no raw control characters copied from the input.
 */

/** A line of a V8 stack trace, or a source position. */
const STACK = /(^|\n)\s+at \S|\.(?:ts|js|mjs|cjs):\d+:\d+/;
const LEAKS = /\bundefined\b|\bNaN\b|\[object \w+\]/;

export function messageProblems(message: unknown, input = ''): string[] {
  if (typeof message !== 'string') return [`not a string: ${typeof message}`];
  const out: string[] = [];
  if (message.trim() === '') out.push('empty');
  // What the input itself holds may be echoed back.
  const own = (m: RegExpExecArray | null) => m !== null && !input.includes(m[0].trim());
  if (own(STACK.exec(message))) out.push('holds a stack trace');
  if (own(LEAKS.exec(message))) out.push(`shows ${LEAKS.exec(message)![0]}`);
  return out;
}

/** A stderr text: any stack trace or internal-error marker in it. */
export function stderrProblems(stderr: string): string[] {
  const out: string[] = [];
  if (STACK.test(stderr)) out.push('holds a stack trace');
  if (/internal error/.test(stderr)) out.push('reports an internal error');
  return out;
}

/** Short, printable form of an input for reports. */
export function show(input: unknown, max = 160): string {
  const s = typeof input === 'string' ? input : input instanceof Uint8Array ? Buffer.from(input).toString('latin1') : JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  const escaped = JSON.stringify(s ?? String(input));
  return escaped.length > max ? `${escaped.slice(0, max)}… (${s.length} chars)` : escaped;
}
