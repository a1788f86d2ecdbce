/** The window's VMAs and holes in proportion, with the addresses at either end and the zoom. */
import { Box, Text } from 'ink';
import { hex } from '../../kernel-sim/vma.js';
import type { StripView } from './strip-model.js';
import { formatSize } from './vma-columns.js';
import { KIND_COLOR } from './vma-kind.js';

export function AddressStrip({ view, zoom, width }: { view: StripView; zoom: number; width: number }) {
  const runs: { text: string; color: string | undefined; dim: boolean }[] = [];
  for (const c of view.cells) {
    const text = c.kind === null ? (c.change === '-' ? '░' : '·') : c.shade ? '▓' : '█';
    const color = c.change === '+' ? 'green' : c.change === '~' ? 'cyan' : c.change === '-' ? 'red' : c.kind === null ? 'gray' : KIND_COLOR[c.kind];
    const dim = c.kind === null && c.change === null;
    const last = runs[runs.length - 1];
    if (last && last.color === color && last.dim === dim) last.text += text;
    else runs.push({ text, color, dim });
  }
  const left = hex(Math.floor(view.start));
  const right = hex(Math.ceil(view.end));
  const zoomText = zoom === 0 ? 'fit' : zoom > 0 ? `+${zoom}` : String(zoom);
  const middle = ` ${formatSize(Math.round(view.end - view.start))} shown · zoom ${zoomText} (+ - =) `;
  const gap = Math.max(0, width - 1 - left.length - right.length);
  const mid = middle.length <= gap ? middle : '';
  const pad = gap - mid.length;
  const scale = left + ' '.repeat(Math.floor(pad / 2)) + mid + ' '.repeat(Math.ceil(pad / 2)) + right;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {' '}
        {runs.map((r, i) => (
          <Text key={i} color={r.color} dimColor={r.dim}>
            {r.text}
          </Text>
        ))}
      </Text>
      <Text dimColor wrap="truncate-end">
        {' ' + scale}
      </Text>
    </Box>
  );
}
