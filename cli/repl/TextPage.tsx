/** A page of text (help, history, diff, ...) in place of the table, scrolled with PgUp/PgDn. */
import { Box, Text } from 'ink';
import type { Page } from './repl-controller.js';

export function TextPage({ page, lines, scroll, rows }: { page: Page; lines: readonly string[]; scroll: number; rows: number }) {
  const shown = lines.slice(scroll, scroll + rows);
  const where = lines.length > rows ? `  lines ${scroll + 1}-${scroll + shown.length} of ${lines.length}, PgUp/PgDn` : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold inverse>{` ${page.title} `}</Text>
        <Text color="cyan">{where}</Text>
        <Text dimColor>{'  · Esc: the VMA table'}</Text>
      </Text>
      {shown.map((l, i) => (
        <Text key={scroll + i} wrap="truncate-end">
          {l === '' ? ' ' : l}
        </Text>
      ))}
    </Box>
  );
}
