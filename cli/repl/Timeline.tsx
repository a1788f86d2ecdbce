/** The events up to the current position, what redo would reach, and where branches leave. */
import { Text } from 'ink';
import type { TimelineSegment, TimelineStyle } from './timeline-model.js';

const STYLE: Readonly<Record<TimelineStyle, { color?: string; bold?: boolean; inverse?: boolean; dimColor?: boolean }>> = {
  label: { bold: true },
  past: {},
  current: { bold: true, color: 'cyan' },
  future: { dimColor: true },
  fork: { color: 'yellow' },
  dim: { dimColor: true },
};

export function Timeline({ segments }: { segments: readonly TimelineSegment[] }) {
  return (
    <Text wrap="truncate-end">
      {segments.map((s, i) => (
        <Text key={i} {...STYLE[s.style]}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
