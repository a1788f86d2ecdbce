/** One line: the keys that matter most, as many as fit. */
import { Text } from 'ink';

const HINTS: readonly (readonly [string, string])[] = [
  ['help', 'commands'],
  ['^Z/^Y', 'undo/redo'],
  ['^D', 'quit'],
  ['Alt-←/→', 'back/fwd'],
  ['^R', 'search'],
  ['Tab', 'complete'],
  ['PgUp/PgDn', 'scroll'],
  ['+/-', 'zoom'],
];

export function KeyHint({ width }: { width: number }) {
  const shown: (readonly [string, string])[] = [];
  let used = 0;
  for (const h of HINTS) {
    const len = h[0].length + 1 + h[1].length + (shown.length ? 3 : 0);
    if (used + len > width) break;
    shown.push(h);
    used += len;
  }
  return (
    <Text wrap="truncate-end">
      {shown.map(([key, what], i) => (
        <Text key={key}>
          {i > 0 ? <Text dimColor> · </Text> : null}
          <Text bold>{key}</Text>
          <Text dimColor>{' ' + what}</Text>
        </Text>
      ))}
    </Text>
  );
}
