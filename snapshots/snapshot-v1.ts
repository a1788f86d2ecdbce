/**
 * The JSON snapshot format's version 1, which listed guard markers page by
 * page (`guard_pages`). It is read and upgraded to the current version, never
 * written: everything else is as in version 2 (snapshot-schema.ts).
 */
import type { z as Z } from 'zod';
import { hex, PAGE_SIZE } from '../kernel-sim/vma.js';
import { SNAPSHOT_VERSION, snapshotSchemas, zodLibrary, type Snapshot, type SnapshotGuardRange } from './snapshot-schema.js';

export const SNAPSHOT_VERSION_1 = 1;

/** Made on first use, like version 2's (snapshot-schema.ts). */
function buildV1Schemas() {
  const z = zodLibrary();
  const { hexAddress, processSchema, snapshotSchema } = snapshotSchemas();
  const processV1Schema = processSchema.omit({ guard_ranges: true }).extend({
    guard_pages: z.array(hexAddress, { error: 'expected an array of page addresses' }),
  });
  const snapshotV1Schema = snapshotSchema.extend({
    version: z.literal(SNAPSHOT_VERSION_1, { error: `expected ${SNAPSHOT_VERSION_1}` }),
    processes: z.array(processV1Schema, { error: 'expected an array of processes' }).min(1, { error: 'expected at least one process' }),
  });
  return { processV1Schema, snapshotV1Schema };
}

type SnapshotV1Schemas = ReturnType<typeof buildV1Schemas>;

let built: SnapshotV1Schemas | undefined;

export function snapshotV1Schemas(): SnapshotV1Schemas {
  return (built ??= buildV1Schemas());
}

export type SnapshotV1 = Z.infer<SnapshotV1Schemas['snapshotV1Schema']>;
export type SnapshotV1Process = Z.infer<SnapshotV1Schemas['processV1Schema']>;

/** The first broken rule of a process's guard_pages (`at` names the process), or null. */
export function checkGuardPages(pages: readonly string[], at: string, addressOf: (h: string) => number | null): string | null {
  let prev = -1;
  for (const [i, g] of pages.entries()) {
    const page = addressOf(g);
    if (page === null || page % PAGE_SIZE !== 0) return `${at}.guard_pages[${i}]: expected a page-aligned address, got "${g}"`;
    if (page <= prev) return `${at}.guard_pages[${i}]: expected addresses in ascending order without repeats`;
    prev = page;
  }
  return null;
}

/** Pages in ascending order, as the ranges version 2 writes: runs of consecutive pages. */
function pagesToRanges(pages: readonly string[]): SnapshotGuardRange[] {
  const out: SnapshotGuardRange[] = [];
  let start = -1;
  let end = -1;
  for (const g of pages) {
    const page = Number(g);
    if (page !== end) {
      if (start >= 0) out.push({ start: hex(start), end: hex(end) });
      start = page;
    }
    end = page + PAGE_SIZE;
  }
  if (start >= 0) out.push({ start: hex(start), end: hex(end) });
  return out;
}

/** A valid version 1 snapshot as the version 2 snapshot of the same state. */
export function upgradeV1(s: SnapshotV1): Snapshot {
  return {
    ...s,
    version: SNAPSHOT_VERSION,
    processes: s.processes.map(({ guard_pages, ...p }) => ({ ...p, guard_ranges: pagesToRanges(guard_pages) })),
  };
}
