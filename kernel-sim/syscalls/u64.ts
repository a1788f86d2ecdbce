/**
 * System-call arguments arrive as unsigned 64-bit values; the kernel's
 * overflow checks depend on that width, so they are done in bigint and only
 * values known to be small become numbers.
 */
export const U64 = 1n << 64n;
export const U64_MAX = U64 - 1n;
export const PAGE = 4096n;
export const PAGE_MASK_BIG = ~(PAGE - 1n) & U64_MAX;
/** x86-64 user address limit (47 bits, 4-level paging). */
export const TASK_SIZE = 0x7ffffffff000;
export const TASK_SIZE_BIG = BigInt(TASK_SIZE);
/** Number.MAX_SAFE_INTEGER as a bigint: made once, since every system call compares with it. */
export const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Below this, a u64 argument is exact as a number, and so is the sum of
 * two: arguments under it (nearly all) can be checked in number arithmetic,
 * which gives the same answers as bigint's at a fraction of the cost.
 */
export const EXACT_SUM_BIG = 1n << 51n;

/** PAGE_ALIGN of a length below 2^51, in number arithmetic (no wrap is possible). */
export function pageAlignSmall(len: number): number {
  return Math.ceil(len / 4096) * 4096;
}

/** PAGE_ALIGN in 64-bit arithmetic: wraps to 0 near 2^64. */
export function pageAlign(len: bigint): bigint {
  return ((len + PAGE - 1n) % U64) & PAGE_MASK_BIG;
}

export function offsetInPage(v: bigint): boolean {
  return (v & (PAGE - 1n)) !== 0n;
}

export function toNum(v: bigint): number {
  return Number(v);
}
