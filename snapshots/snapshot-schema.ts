/**
 * The JSON snapshot format, version 2 (docs/snapshot-format.md): the shape,
 * checked with zod, and the types it gives. What the shape cannot say
 * (ranges in order, references that resolve, counters above the ids in use)
 * is checked by json-snapshot.ts. Version 1 is still read: snapshot-v1.ts.
 */
import { createRequire } from 'node:module';
import type { z as Z } from 'zod';
import { knownMnemonics } from '../kernel-sim/flags.js';
import { shortJson, shortText } from '../kernel-sim/short-text.js';

export const SNAPSHOT_FORMAT = 'vmasim-snapshot';
export const SNAPSHOT_VERSION = 2;

/**
 * zod is loaded when a snapshot is first read, not with the program: it is
 * the largest library vmasim uses (about 40% of the REPL's bundle, some 40 ms
 * of every start-up), and most sessions never read a snapshot. Its CommonJS
 * build is loaded with require so that loading stays synchronous.
 */
let zod: typeof Z | undefined;

/** zod's `z`, loaded on first use. */
export function zodLibrary(): typeof Z {
  return (zod ??= (createRequire(import.meta.url)('zod') as typeof import('zod')).z);
}

function buildSchemas(z: typeof Z) {
  const HEX = /^0x(0|[1-9a-f][0-9a-f]*)$/;
  const MNEMONICS: ReadonlySet<string> = new Set(knownMnemonics());

  const hexAddress = z.string({ error: 'expected a lower-case hex string such as "0x1000"' }).regex(HEX, {
    error: 'expected a lower-case hex string such as "0x1000" (0x, no leading zeros)',
  });
  const count = z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).nonnegative({ error: 'expected a number ≥ 0' });
  const safeCount = count.max(Number.MAX_SAFE_INTEGER, { error: 'expected a number below 2^53' });
  const id = z.string({ error: 'expected a non-empty string without blanks' }).regex(/^\S+$/, { error: 'expected a non-empty string without blanks' });
  /** File ids are NAMEs, or paths read from maps, which may hold blanks. */
  const fileId = z.string({ error: 'expected a non-empty string' }).min(1, { error: 'expected a non-empty string' });

  const mnemonic = z.string({ error: 'expected a VmFlags mnemonic such as "rd"' }).refine((m) => MNEMONICS.has(m), {
    error: (iss) => `expected a VmFlags mnemonic vmasim knows (${[...MNEMONICS].join(' ')}), got ${shortJson(iss.input)}`,
  });

  const configSchema = z.strictObject({
    anon_vma_name: z.boolean({ error: 'expected true or false' }),
    soft_dirty: z.boolean({ error: 'expected true or false' }),
    max_map_count: count.max(2147483647, { error: 'expected a number up to 2147483647' }),
    mmap_base: hexAddress,
    total_ram_pages: safeCount,
  });

  const windowSchema = z.strictObject({ start: hexAddress, end: hexAddress });

  const fileSchema = z.discriminatedUnion(
    'kind',
    [
      z.strictObject({ id: fileId, kind: z.literal('regular'), name: fileId, size: safeCount }),
      z.strictObject({
        id: z.string({ error: 'expected "shmem:N"' }).regex(/^shmem:[1-9][0-9]*$/, { error: 'expected "shmem:N" with N ≥ 1' }),
        kind: z.literal('shmem'),
        name: z.null({ error: 'expected null (shmem objects have no name)' }),
        size: safeCount,
      }),
    ],
    { error: 'expected kind "regular" or "shmem"' },
  );

  const vmaSchema = z.strictObject({
    start: hexAddress,
    end: hexAddress,
    /** In pages. */
    pgoff: safeCount,
    vmflags: z.array(mnemonic, { error: 'expected an array of VmFlags mnemonics' }),
    /** The id of a file in `files`, or null for private anonymous memory. */
    file: fileId.nullable(),
    anon_vma: id.nullable(),
    /** Oldest first; empty when anon_vma is null; longer than one for a fork-child VMA. */
    anon_vma_chain: z.array(id, { error: 'expected an array of anon_vma ids' }),
    /** The anonymous VMA name (PR_SET_VMA_ANON_NAME), or null. */
    name: z.string({ error: 'expected a string or null' }).nullable(),
    close: z.boolean({ error: 'expected true or false' }),
  });

  /** Pages [start, end) holding guard markers (MADV_GUARD_INSTALL). */
  const guardRangeSchema = z.strictObject({ start: hexAddress, end: hexAddress });

  const processSchema = z.strictObject({
    process: count,
    parent: count.nullable(),
    vmas: z.array(vmaSchema, { error: 'expected an array of VMAs' }),
    /** In address order, apart: ranges that touch are written as one. */
    guard_ranges: z.array(guardRangeSchema, { error: 'expected an array of page ranges' }),
  });

  const anonVmaSchema = z.strictObject({
    id,
    /** Named by `av=` in a `vma` line: generated ids skip it. */
    named: z.boolean({ error: 'expected true or false' }),
  });

  const historyEventSchema = z.strictObject({
    seq: count,
    command: z.string({ error: 'expected the command text' }),
    result: z.string({ error: 'expected the result summary' }),
  });

  const snapshotSchema = z.strictObject({
    format: z.literal(SNAPSHOT_FORMAT, { error: `expected "${SNAPSHOT_FORMAT}"` }),
    version: z.literal(SNAPSHOT_VERSION, { error: `expected ${SNAPSHOT_VERSION}` }),
    config: configSchema,
    window: windowSchema.optional(),
    files: z.array(fileSchema, { error: 'expected an array of files' }),
    anon_vmas: z.array(anonVmaSchema, { error: 'expected an array of anon_vmas' }),
    counters: z.strictObject({ next_anon_vma: safeCount.min(1, { error: 'expected a number ≥ 1' }), next_shmem: safeCount.min(1, { error: 'expected a number ≥ 1' }) }),
    current: count,
    processes: z.array(processSchema, { error: 'expected an array of processes' }).min(1, { error: 'expected at least one process' }),
    history: z
      .strictObject({
        position: count,
        events: z.array(historyEventSchema, { error: 'expected an array of events' }),
      })
      .optional(),
  });

  return { hexAddress, configSchema, windowSchema, fileSchema, vmaSchema, guardRangeSchema, processSchema, anonVmaSchema, historyEventSchema, snapshotSchema };
}

export type SnapshotSchemas = ReturnType<typeof buildSchemas>;

let built: SnapshotSchemas | undefined;

/** The schemas, made on first use. */
export function snapshotSchemas(): SnapshotSchemas {
  return (built ??= buildSchemas(zodLibrary()));
}

export type Snapshot = Z.infer<SnapshotSchemas['snapshotSchema']>;
export type SnapshotConfig = Z.infer<SnapshotSchemas['configSchema']>;
export type SnapshotFile = Z.infer<SnapshotSchemas['fileSchema']>;
export type SnapshotVma = Z.infer<SnapshotSchemas['vmaSchema']>;
export type SnapshotProcess = Z.infer<SnapshotSchemas['processSchema']>;
export type SnapshotGuardRange = Z.infer<SnapshotSchemas['guardRangeSchema']>;
export type SnapshotAnonVma = Z.infer<SnapshotSchemas['anonVmaSchema']>;

/** `a.b[0].c` for a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? shortText(String(p)) : `.${shortText(String(p))}`;
  }
  return out === '' ? '(the top level)' : out;
}

/** One line for a zod issue: where, what was expected, what was there. */
export function describeIssue(issue: Z.core.$ZodIssue, version: number = SNAPSHOT_VERSION): string {
  const where = fieldPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type' && input === undefined) return `${where}: missing (expected ${issue.expected})`;
  if (issue.code === 'unrecognized_keys') return `${fieldPath([...issue.path, issue.keys[0]!])}: not a field of this format (version ${version})`;
  const message = issue.message.replace(/^Invalid input: /, '');
  const shown = input === undefined || (typeof input === 'object' && input !== null) || /\b(got|received)\b/.test(message) ? '' : `, got ${shortJson(input)}`;
  return `${where}: ${shortText(message, 300)}${shown}`;
}
