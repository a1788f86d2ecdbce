/**
 * A strict parser for the text of /proc/PID/smaps (kernel-vma-semantics.md §14).
 *
 * Each VMA is a header line
 *   `START-END PERMS OFFSET MAJ:MIN INODE` [padding NAME]
 * followed by `Field: value` lines: numbers (with or without ` kB`) and a final
 * `VmFlags:` line of two-letter mnemonics. Anything else is an error that names
 * the line. CRLF line ends and a missing final newline are accepted.
 */

export interface ParsedSmapsVma {
  readonly start: bigint;
  readonly end: bigint;
  /** `rw-p`, as printed. */
  readonly perms: string;
  /** The byte offset as printed (pgoff * page size for VMAs with a file, else 0). */
  readonly offset: bigint;
  /** `MAJ:MIN` as printed, e.g. `fe:00`. */
  readonly dev: string;
  readonly inode: bigint;
  /** The name after the inode (a path, `[heap]`, `[anon:NAME]`, ...), or null when there is none. */
  readonly pathname: string | null;
  /** VmFlags mnemonics in the order printed. */
  readonly vmflags: readonly string[];
  /**
   * The numeric fields in the order printed, by name: the number as printed
   * (in kB for the fields printed with ` kB`, e.g. Size, Rss; plain for THPeligible).
   */
  readonly fields: Readonly<Record<string, number>>;
  /** The 1-based line number of the header line. */
  readonly line: number;
}

export class SmapsParseError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly reason: string,
    source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}line ${lineNumber}: ${reason}`);
    this.name = 'SmapsParseError';
  }
}

export interface ParseSmapsOptions {
  /** Named in error messages, e.g. a file path. */
  readonly source?: string;
  /** Added to line numbers in errors and in `line` (for text cut out of a larger file). */
  readonly firstLine?: number;
}

const PAGE = 4096n;
const HEADER =
  /^([0-9a-f]+)-([0-9a-f]+) ([r-][w-][x-][ps]) ([0-9a-f]+) ([0-9a-f]{2,}:[0-9a-f]{2,}) ([0-9]+)(?: (.*))?$/;
const FIELD = /^([A-Za-z_][A-Za-z0-9_]*):(.*)$/;
const NUMBER = /^([0-9]+)( kB)?$/;
const MNEMONIC = /^[a-z0-9]{2}$/;

interface Building {
  start: bigint;
  end: bigint;
  perms: string;
  offset: bigint;
  dev: string;
  inode: bigint;
  pathname: string | null;
  vmflags: string[] | null;
  fields: Record<string, number>;
  line: number;
}

export function parseSmaps(text: string, opts: ParseSmapsOptions = {}): ParsedSmapsVma[] {
  const base = (opts.firstLine ?? 1) - 1;
  const fail = (lineNo: number, reason: string): never => {
    throw new SmapsParseError(lineNo + base, reason, opts.source);
  };
  const lines = text.split('\n');
  // A final newline leaves one empty string; trailing blank lines are tolerated.
  let last = lines.length;
  while (last > 0 && lines[last - 1]!.replace(/\r$/, '') === '') last--;

  const out: ParsedSmapsVma[] = [];
  let cur: Building | null = null;
  let prevEnd = -1n;

  const finish = () => {
    if (cur === null) return;
    if (cur.vmflags === null) fail(cur.line, 'the VMA that starts here has no VmFlags line');
    out.push({
      start: cur.start,
      end: cur.end,
      perms: cur.perms,
      offset: cur.offset,
      dev: cur.dev,
      inode: cur.inode,
      pathname: cur.pathname,
      vmflags: cur.vmflags!,
      fields: cur.fields,
      line: cur.line + base,
    });
    cur = null;
  };

  for (let i = 0; i < last; i++) {
    const lineNo = i + 1;
    const l = lines[i]!.replace(/\r$/, '');
    if (l === '') fail(lineNo, 'blank line inside smaps text');
    if (/^[0-9a-f]/.test(l)) {
      finish();
      const m = HEADER.exec(l);
      if (!m) fail(lineNo, `malformed VMA header line: '${l}'`);
      const [, s, e, perms, off, dev, ino, rest] = m!;
      const start = BigInt(`0x${s}`);
      const end = BigInt(`0x${e}`);
      if (start >= end) fail(lineNo, `the VMA start ${s} is not below its end ${e}`);
      if (start % PAGE !== 0n || end % PAGE !== 0n) fail(lineNo, `the VMA ${s}-${e} is not page aligned`);
      if (start < prevEnd) fail(lineNo, `the VMA ${s}-${e} overlaps or comes before the previous one`);
      prevEnd = end;
      const name = rest === undefined ? '' : rest.replace(/^ +/, '');
      cur = {
        start,
        end,
        perms: perms!,
        offset: BigInt(`0x${off}`),
        dev: dev!,
        inode: BigInt(ino!),
        pathname: name === '' ? null : name,
        vmflags: null,
        fields: Object.create(null) as Record<string, number>,
        line: lineNo,
      };
      continue;
    }
    const f = FIELD.exec(l);
    if (!f) fail(lineNo, `neither a VMA header nor a 'Field: value' line: '${l}'`);
    if (cur === null) fail(lineNo, `field line before the first VMA header: '${l}'`);
    const c: Building = cur!;
    const key = f![1]!;
    const value = f![2]!.trim();
    if (c.vmflags !== null) fail(lineNo, `'${key}' after the VmFlags line of the VMA at line ${c.line + base}`);
    if (key === 'VmFlags') {
      const flags = value === '' ? [] : value.split(/ +/);
      for (const fl of flags) if (!MNEMONIC.test(fl)) fail(lineNo, `'${fl}' is not a VmFlags mnemonic`);
      if (new Set(flags).size !== flags.length) fail(lineNo, 'a VmFlags mnemonic appears twice');
      c.vmflags = flags;
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(c.fields, key)) fail(lineNo, `field '${key}' appears twice for one VMA`);
    const n = NUMBER.exec(value);
    if (!n) fail(lineNo, `the value of '${key}' is not a number: '${value}'`);
    const v = Number(n![1]);
    if (!Number.isSafeInteger(v)) fail(lineNo, `the value of '${key}' is too large: '${value}'`);
    c.fields[key] = v;
  }
  finish();
  return out;
}
