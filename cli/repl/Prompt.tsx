/** The prompt and the line being edited, or the reverse search; the completion candidates under it. */
import { Box, Text } from 'ink';
import type { Line } from './line-editor.js';
import { PROMPT } from './repl-controller.js';
import type { Search } from './reverse-search.js';

export interface PromptProps {
  readonly line: Line;
  readonly search: Search | null;
  readonly match: string;
  readonly candidates: readonly string[];
  readonly width: number;
}

export function Prompt({ line, search, match, candidates, width }: PromptProps) {
  return (
    <Box flexDirection="column">
      {search === null ? (
        <EditedLine prefix={PROMPT} line={line} width={width} />
      ) : (
        <Text wrap="truncate-end">
          <Text color="yellow">{`(${search.failing ? 'failing ' : ''}reverse-i-search)'${search.query}': `}</Text>
          <Text>{match}</Text>
        </Text>
      )}
      {candidates.length > 0 ? <Candidates words={candidates} width={width} /> : null}
    </Box>
  );
}

/** The line with the cursor drawn as an inverse cell; a long line scrolls to keep the cursor in view. */
function EditedLine({ prefix, line, width }: { prefix: string; line: Line; width: number }) {
  const room = Math.max(4, width - prefix.length - 1);
  const from = line.cursor < room ? 0 : line.cursor - room + 1;
  const text = line.text.slice(from, from + room);
  const at = line.cursor - from;
  return (
    <Text wrap="truncate-end">
      <Text bold color="cyan">
        {prefix}
      </Text>
      {text.slice(0, at)}
      <Text inverse>{text[at] ?? ' '}</Text>
      {text.slice(at + 1)}
    </Text>
  );
}

function Candidates({ words, width }: { words: readonly string[]; width: number }) {
  let text = '';
  let shown = 0;
  for (const w of words) {
    const next = text === '' ? w : `${text}  ${w}`;
    const rest = words.length - shown - 1;
    if (next.length + (rest > 0 ? ` … ${rest} more`.length : 0) > width) break;
    text = next;
    shown++;
  }
  const more = words.length - shown;
  return (
    <Text color="gray" wrap="truncate-end">
      {text + (more > 0 ? ` … ${more} more` : '')}
    </Text>
  );
}
