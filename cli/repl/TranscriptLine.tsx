/** One finished line of the transcript above the live area. */
import { Text } from 'ink';
import type { TranscriptItem } from './repl-controller.js';
import { TONE_COLOR } from './LastResult.js';

export function TranscriptLine({ item }: { item: TranscriptItem }) {
  return (
    <Text color={TONE_COLOR[item.tone]} dimColor={item.tone === 'dim'}>
      {item.text}
    </Text>
  );
}
