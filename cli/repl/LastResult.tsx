/** What the last command returned, and the steps the simulator took (its trace). */
import { Box, Text } from 'ink';
import type { ResultView, Tone } from './repl-controller.js';

export const TONE_COLOR: Readonly<Record<Tone, string | undefined>> = { normal: undefined, ok: 'green', error: 'red', dim: 'gray' };

export function LastResult({ result, traceRows }: { result: ResultView; traceRows: number }) {
  const shown = result.details.slice(0, traceRows);
  const more = result.details.length - shown.length;
  if (more > 0 && shown.length > 0) shown[shown.length - 1] = `… ${more + 1} more steps: explain shows them all`;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {result.input ? <Text bold>{result.input + '  '}</Text> : null}
        <Text color={TONE_COLOR[result.tone]}>{result.headline}</Text>
      </Text>
      {shown.map((d, i) => (
        <Text key={i} dimColor wrap="truncate-end">
          {'  ' + d}
        </Text>
      ))}
    </Box>
  );
}
