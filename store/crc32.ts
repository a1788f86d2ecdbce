/**
 * CRC-32 (IEEE 802.3, as zlib computes it), continuing from `value`.
 *
 * Written out in JavaScript, eight bytes a step ("slicing by 8"): journal
 * lines are short, and for them Node's zlib.crc32 costs more in its call
 * and in the view it needs over each line than the checksum itself. Over a
 * range of a larger buffer, no view is made at all.
 */

const TABLES = buildTables();

/** Table k holds the CRC of a byte followed by k zero bytes. */
function buildTables(): Int32Array {
  const t = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n]!;
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

/** The CRC-32 of `data[start, end)`, continuing from `value`. */
export function crc32Range(data: Uint8Array, start: number, end: number, value = 0): number {
  const t = TABLES;
  let c = ~value;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const a = c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    c =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
  }
  for (; i < end; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export function crc32(data: Uint8Array, value = 0): number {
  return crc32Range(data, 0, data.length, value);
}
