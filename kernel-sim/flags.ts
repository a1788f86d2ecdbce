/**
 * vm_flags as the kernel numbers them on x86-64 (6.18.44), with the mnemonics
 * /proc/PID/smaps prints. Flags are kept in a plain number (bits up to 42 fit
 * exactly in a double); bit operations go through the helpers below because
 * JavaScript's own bitwise operators stop at 32 bits.
 */

export type VmFlags = number;

interface FlagDef {
  readonly bit: number;
  readonly mnemonic: string;
}

/** Ascending bit order: the order smaps prints them in. */
const FLAG_DEFS: readonly FlagDef[] = [
  { bit: 0, mnemonic: 'rd' },
  { bit: 1, mnemonic: 'wr' },
  { bit: 2, mnemonic: 'ex' },
  { bit: 3, mnemonic: 'sh' },
  { bit: 4, mnemonic: 'mr' },
  { bit: 5, mnemonic: 'mw' },
  { bit: 6, mnemonic: 'me' },
  { bit: 7, mnemonic: 'ms' },
  { bit: 8, mnemonic: 'gd' },
  { bit: 9, mnemonic: 'um' },
  { bit: 10, mnemonic: 'pf' },
  { bit: 11, mnemonic: 'gu' },
  { bit: 12, mnemonic: 'uw' },
  { bit: 13, mnemonic: 'lo' },
  { bit: 14, mnemonic: 'io' },
  { bit: 15, mnemonic: 'sr' },
  { bit: 16, mnemonic: 'rr' },
  { bit: 17, mnemonic: 'dc' },
  { bit: 18, mnemonic: 'de' },
  { bit: 19, mnemonic: 'lf' },
  { bit: 20, mnemonic: 'ac' },
  { bit: 21, mnemonic: 'nr' },
  { bit: 22, mnemonic: 'ht' },
  { bit: 23, mnemonic: 'sf' },
  { bit: 24, mnemonic: 'ar' },
  { bit: 25, mnemonic: 'wf' },
  { bit: 26, mnemonic: 'dd' },
  { bit: 27, mnemonic: 'sd' },
  { bit: 28, mnemonic: 'mm' },
  { bit: 29, mnemonic: 'hg' },
  { bit: 30, mnemonic: 'nh' },
  { bit: 31, mnemonic: 'mg' },
  { bit: 37, mnemonic: 'ss' },
  { bit: 40, mnemonic: 'dp' },
  { bit: 41, mnemonic: 'ui' },
  { bit: 42, mnemonic: 'sl' },
];

const bit = (n: number): VmFlags => 2 ** n;

export const VM_NONE = 0;
export const VM_READ = bit(0);
export const VM_WRITE = bit(1);
export const VM_EXEC = bit(2);
export const VM_SHARED = bit(3);
export const VM_MAYREAD = bit(4);
export const VM_MAYWRITE = bit(5);
export const VM_MAYEXEC = bit(6);
export const VM_MAYSHARE = bit(7);
export const VM_GROWSDOWN = bit(8);
export const VM_UFFD_MISSING = bit(9);
export const VM_PFNMAP = bit(10);
export const VM_MAYBE_GUARD = bit(11);
export const VM_UFFD_WP = bit(12);
export const VM_LOCKED = bit(13);
export const VM_IO = bit(14);
export const VM_SEQ_READ = bit(15);
export const VM_RAND_READ = bit(16);
export const VM_DONTCOPY = bit(17);
export const VM_DONTEXPAND = bit(18);
export const VM_LOCKONFAULT = bit(19);
export const VM_ACCOUNT = bit(20);
export const VM_NORESERVE = bit(21);
export const VM_HUGETLB = bit(22);
export const VM_SYNC = bit(23);
export const VM_ARCH_1 = bit(24);
export const VM_WIPEONFORK = bit(25);
export const VM_DONTDUMP = bit(26);
export const VM_SOFTDIRTY = bit(27);
export const VM_MIXEDMAP = bit(28);
export const VM_HUGEPAGE = bit(29);
export const VM_NOHUGEPAGE = bit(30);
export const VM_MERGEABLE = bit(31);
export const VM_SHADOW_STACK = bit(37);
export const VM_DROPPABLE = bit(40);
export const VM_UFFD_MINOR = bit(41);
export const VM_SEALED = bit(42);

export const VM_SPECIAL = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;
export const VM_LOCKED_MASK = VM_LOCKED | VM_LOCKONFAULT;
export const VM_ACCESS_FLAGS = VM_READ | VM_WRITE | VM_EXEC;

const TWO32 = 4294967296;

function hi(f: VmFlags): number {
  return Math.floor(f / TWO32);
}
function lo(f: VmFlags): number {
  return f % TWO32;
}
function join(h: number, l: number): VmFlags {
  return (h >>> 0) * TWO32 + (l >>> 0);
}

export function flagsOr(a: VmFlags, b: VmFlags): VmFlags {
  if (a < TWO32 && b < TWO32) return (a | b) >>> 0;
  return join(hi(a) | hi(b), lo(a) | lo(b));
}
export function flagsAnd(a: VmFlags, b: VmFlags): VmFlags {
  if (a < TWO32 && b < TWO32) return (a & b) >>> 0;
  return join(hi(a) & hi(b), lo(a) & lo(b));
}
export function flagsAndNot(a: VmFlags, b: VmFlags): VmFlags {
  if (a < TWO32 && b < TWO32) return (a & ~b) >>> 0;
  return join(hi(a) & ~hi(b), lo(a) & ~lo(b));
}
export function flagsXor(a: VmFlags, b: VmFlags): VmFlags {
  if (a < TWO32 && b < TWO32) return (a ^ b) >>> 0;
  return join(hi(a) ^ hi(b), lo(a) ^ lo(b));
}
export function hasAny(f: VmFlags, mask: VmFlags): boolean {
  return flagsAnd(f, mask) !== 0;
}
export function hasAll(f: VmFlags, mask: VmFlags): boolean {
  return flagsAnd(f, mask) === mask;
}

const BY_MNEMONIC = new Map(FLAG_DEFS.map((d) => [d.mnemonic, bit(d.bit)]));

export function flagFromMnemonic(m: string): VmFlags | undefined {
  return BY_MNEMONIC.get(m);
}

export function knownMnemonics(): string[] {
  return FLAG_DEFS.map((d) => d.mnemonic);
}

/** The VmFlags line's words, in smaps order. */
export function flagsToMnemonics(f: VmFlags): string[] {
  const out: string[] = [];
  for (const d of FLAG_DEFS) if (hasAny(f, bit(d.bit))) out.push(d.mnemonic);
  return out;
}

/** Parse mnemonics; returns the first unknown word instead of flags when there is one. */
export function mnemonicsToFlags(words: readonly string[]): { flags: VmFlags } | { unknown: string } {
  let f = VM_NONE;
  for (const w of words) {
    const b = BY_MNEMONIC.get(w);
    if (b === undefined) return { unknown: w };
    f = flagsOr(f, b);
  }
  return { flags: f };
}

/** /proc/PID/maps' permission column. */
export function permsString(f: VmFlags): string {
  return (
    (hasAny(f, VM_READ) ? 'r' : '-') +
    (hasAny(f, VM_WRITE) ? 'w' : '-') +
    (hasAny(f, VM_EXEC) ? 'x' : '-') +
    (hasAny(f, VM_MAYSHARE) ? 's' : 'p')
  );
}
