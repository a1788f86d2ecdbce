/**
 * The transcript above the live area, each line printed once by Ink's
 * <Static>. <Static> counts the items it has printed by position, while the
 * controller keeps only the latest lines and drops old ones from the front;
 * so it is handed just the lines not printed yet, and a fresh <Static> for
 * each new batch of them.
 */
import { Static } from 'ink';
import { useLayoutEffect, useRef } from 'react';
import type { TranscriptItem } from './repl-controller.js';
import { TranscriptLine } from './TranscriptLine.js';

export function Transcript({ items }: { items: readonly TranscriptItem[] }) {
  const printedUpTo = useRef(-1);
  const fresh = itemsAfter(items, printedUpTo.current);
  const last = fresh[fresh.length - 1]?.id;
  useLayoutEffect(() => {
    if (last !== undefined) printedUpTo.current = last;
  }, [last]);
  return (
    <Static key={fresh[0]?.id ?? 'printed'} items={fresh}>
      {(item) => <TranscriptLine key={item.id} item={item} />}
    </Static>
  );
}

/** The items whose id is above `id`: the newest, at the end. */
function itemsAfter(items: readonly TranscriptItem[], id: number): TranscriptItem[] {
  let from = items.length;
  while (from > 0 && items[from - 1]!.id > id) from--;
  return items.slice(from);
}
