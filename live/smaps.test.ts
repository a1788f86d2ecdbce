import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSmaps, SmapsParseError } from './smaps.js';

const FIELDS = `Size:                  8 kB
KernelPageSize:        4 kB
MMUPageSize:           4 kB
Rss:                   4 kB
Pss:                   4 kB
Pss_Dirty:             4 kB
Shared_Clean:          0 kB
Shared_Dirty:          0 kB
Private_Clean:         0 kB
Private_Dirty:         4 kB
Referenced:            4 kB
Anonymous:             4 kB
KSM:                   0 kB
LazyFree:              0 kB
AnonHugePages:         0 kB
ShmemPmdMapped:        0 kB
FilePmdMapped:         0 kB
Shared_Hugetlb:        0 kB
Private_Hugetlb:       0 kB
Swap:                  0 kB
SwapPss:               0 kB
Locked:                0 kB
THPeligible:           0
`;

// Header lines as §14.1 describes them: no name → a single space after the inode;
// a name → padded so that it starts at column 73.
const SAMPLE =
  `100000000000-100000002000 rw-p 00000000 00:00 0 \n${FIELDS}VmFlags: rd wr mr mw me ac \n` +
  `100000002000-100000003000 r--s 00001000 fe:00 1234                       /tmp/some file (deleted)\n${FIELDS}VmFlags: rd mr me ms \n` +
  `7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n${FIELDS}VmFlags: rd wr mr mw me gd ac \n`;

describe('parseSmaps', () => {
  it('parses headers, numeric fields and VmFlags', () => {
    const v = parseSmaps(SAMPLE);
    expect(v).toHaveLength(3);
    expect(v[0]).toMatchObject({
      start: 0x100000000000n, end: 0x100000002000n, perms: 'rw-p', offset: 0n, dev: '00:00', inode: 0n,
      pathname: null, vmflags: ['rd', 'wr', 'mr', 'mw', 'me', 'ac'], line: 1,
    });
    expect(v[0]!.fields.Size).toBe(8);
    expect(v[0]!.fields.Rss).toBe(4);
    expect(v[0]!.fields.THPeligible).toBe(0);
    expect(Object.keys(v[0]!.fields)).toHaveLength(23);
    expect(v[1]).toMatchObject({ offset: 0x1000n, dev: 'fe:00', inode: 1234n, pathname: '/tmp/some file (deleted)', perms: 'r--s', line: 26 });
    expect(v[2]).toMatchObject({ pathname: '[stack]', vmflags: ['rd', 'wr', 'mr', 'mw', 'me', 'gd', 'ac'] });
  });

  it('accepts CRLF line ends, a missing final newline, a trimmed header and trailing blank lines', () => {
    const crlf = SAMPLE.replace(/\n/g, '\r\n');
    expect(parseSmaps(crlf)).toEqual(parseSmaps(SAMPLE));
    expect(parseSmaps(SAMPLE.slice(0, -1))).toEqual(parseSmaps(SAMPLE));
    expect(parseSmaps(`${SAMPLE}\n\n`)).toEqual(parseSmaps(SAMPLE));
    expect(parseSmaps(SAMPLE.replace('00:00 0 \n', '00:00 0\n'))).toEqual(parseSmaps(SAMPLE));
    expect(parseSmaps('')).toEqual([]);
  });

  it('parses this process\u2019s own /proc/self/smaps', () => {
    const text = readFileSync('/proc/self/smaps', 'utf8');
    const v = parseSmaps(text, { source: '/proc/self/smaps' });
    expect(v.length).toBeGreaterThan(5);
    for (const x of v) {
      expect(x.start < x.end).toBe(true);
      expect(x.fields.Size).toBe(Number((x.end - x.start) / 1024n));
    }
    expect(v.some((x) => x.pathname === '[stack]')).toBe(true);
  });

  const bad: [string, string, number, RegExp][] = [
    ['a field before any header', `Size: 4 kB\n`, 1, /before the first VMA header/],
    ['a malformed header', `100000000000-10000000200 rw-p 00000000 00:00\n`, 1, /malformed VMA header/],
    ['bad perms', `100000000000-100000001000 rwzp 00000000 00:00 0 \nVmFlags: rd \n`, 1, /malformed VMA header/],
    ['start not below end', `100000002000-100000001000 rw-p 00000000 00:00 0 \nVmFlags: rd \n`, 1, /not below its end/],
    ['an unaligned VMA', `100000000800-100000001000 rw-p 00000000 00:00 0 \nVmFlags: rd \n`, 1, /not page aligned/],
    [
      'VMAs out of order',
      `100000001000-100000002000 rw-p 00000000 00:00 0 \nVmFlags: rd \n100000000000-100000001000 rw-p 00000000 00:00 0 \nVmFlags: rd \n`,
      3,
      /overlaps or comes before/,
    ],
    ['a non-numeric value', `100000000000-100000001000 rw-p 00000000 00:00 0 \nRss: many kB\nVmFlags: rd \n`, 2, /'Rss' is not a number/],
    ['a duplicated field', `100000000000-100000001000 rw-p 00000000 00:00 0 \nRss: 0 kB\nRss: 0 kB\nVmFlags: rd \n`, 3, /appears twice/],
    ['a bad mnemonic', `100000000000-100000001000 rw-p 00000000 00:00 0 \nVmFlags: rd write \n`, 2, /'write' is not a VmFlags mnemonic/],
    ['a missing VmFlags line', `100000000000-100000001000 rw-p 00000000 00:00 0 \nRss: 0 kB\n`, 1, /no VmFlags line/],
    ['a field after VmFlags', `100000000000-100000001000 rw-p 00000000 00:00 0 \nVmFlags: rd \nRss: 0 kB\n`, 3, /after the VmFlags line/],
    ['a stray line', `100000000000-100000001000 rw-p 00000000 00:00 0 \nhello\nVmFlags: rd \n`, 2, /neither a VMA header/],
    ['a blank line inside', `100000000000-100000001000 rw-p 00000000 00:00 0 \n\nVmFlags: rd \n`, 2, /blank line/],
  ];

  it.each(bad)('rejects %s, naming the line', (_what, text, line, message) => {
    let err: unknown;
    try {
      parseSmaps(text, { source: 'x.smaps' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SmapsParseError);
    expect((err as SmapsParseError).lineNumber).toBe(line);
    expect((err as Error).message).toMatch(new RegExp(`^x\\.smaps: line ${line}: `));
    expect((err as Error).message).toMatch(message);
  });

  it('offsets line numbers by firstLine', () => {
    expect(() => parseSmaps('Size: 4 kB\n', { firstLine: 10 })).toThrow(/^line 10: /);
    expect(parseSmaps(SAMPLE, { firstLine: 5 })[1]!.line).toBe(30);
  });
});
