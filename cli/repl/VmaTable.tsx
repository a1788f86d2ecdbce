/** The VMA table: one row per VMA, coloured by kind, the last command's changes marked. */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { SimState } from '../../kernel-sim/state.js';
import { cellsOf, fitColumns, headerText, rowText, type TableEntry } from './vma-columns.js';
import { KIND_COLOR, KIND_LABEL, type VmaKind } from './vma-kind.js';

export interface VmaTableProps {
  readonly state: SimState;
  readonly entries: readonly TableEntry[];
  readonly scroll: number;
  readonly rows: number;
  readonly width: number;
}

const MARK_COLOR = { '+': 'green', '~': 'cyan', '-': 'red', ' ': undefined } as const;

export function VmaTable({ state, entries, scroll, rows, width }: VmaTableProps) {
  // Widths come from every row, so that they do not change while scrolling;
  // worked out once per state, not once per key (a process may have 60,000 VMAs).
  const all = useMemo(() => entries.map((e) => cellsOf(state, e.vma)), [state, entries]);
  const cols = useMemo(() => fitColumns(all, width), [all, width]);
  const shown = entries.slice(scroll, scroll + rows);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {'  ' + headerText(cols)}
      </Text>
      {entries.length === 0 ? (
        <Text dimColor>  no VMAs: try mmap - 16K rw-</Text>
      ) : (
        shown.map((e, i) => {
          const color = e.removed ? 'red' : KIND_COLOR[e.kind];
          return (
            <Text key={scroll + i} wrap="truncate-end">
              <Text color={MARK_COLOR[e.mark]} bold>
                {e.mark}
              </Text>{' '}
              <Text color={color} bold={e.mark === '+' || e.mark === '~'} strikethrough={e.removed} dimColor={e.removed}>
                {rowText(all[scroll + i]!, cols)}
              </Text>
            </Text>
          );
        })
      )}
      <TableFooter entries={entries.length} scroll={scroll} rows={rows} width={width} process={state.processes.length > 1 ? `process ${state.current} of ${state.processes.length}  ` : ''} />
    </Box>
  );
}

const LEGEND: readonly VmaKind[] = ['code', 'data', 'rodata', 'stack', 'none'];

/** Where the view is in the table, and what the colours and marks mean. */
function TableFooter({ entries, scroll, rows, width, process }: { entries: number; scroll: number; rows: number; width: number; process: string }) {
  const above = scroll;
  const below = Math.max(0, entries - scroll - rows);
  const position = process + (above || below ? `${above ? `▲${above}` : ''}${above && below ? ' ' : ''}${below ? `▼${below}` : ''} PgUp/PgDn  ` : '');
  const legend = LEGEND.map((k) => KIND_LABEL[k]).join(' ') + '  +new ~changed -removed';
  const fits = position.length + legend.length <= width;
  return (
    <Text wrap="truncate-end">
      <Text color="cyan">{position}</Text>
      {fits || position === '' ? (
        <>
          {LEGEND.map((k) => (
            <Text key={k} color={KIND_COLOR[k]} dimColor={k === 'rodata'}>
              {KIND_LABEL[k] + ' '}
            </Text>
          ))}
          <Text> </Text>
          <Text color="green">+new </Text>
          <Text color="cyan">~changed </Text>
          <Text color="red">-removed</Text>
        </>
      ) : null}
    </Text>
  );
}
