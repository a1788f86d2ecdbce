/**
 * The terminal REPL: the transcript of finished commands above (Ink's
 * <Static>, never redrawn), and the live area below it: the VMA table (or a
 * page of text), the address strip, the last result, the timeline, the
 * prompt and a line of keys.
 */
import { Box } from 'ink';
import { useMemo } from 'react';
import { AddressStrip } from './AddressStrip.js';
import { KeyHint } from './KeyHint.js';
import { LastResult } from './LastResult.js';
import { Prompt } from './Prompt.js';
import type { ReplController } from './repl-controller.js';
import { searchLine } from './reverse-search.js';
import { stripView } from './strip-model.js';
import { TextPage } from './TextPage.js';
import { timelineSegments } from './timeline-model.js';
import { Timeline } from './Timeline.js';
import { Transcript } from './Transcript.js';
import { useRepl } from './use-repl.js';
import { useTerminalSize } from './use-terminal-size.js';
import { VmaTable } from './VmaTable.js';

export function App({ controller: c }: { controller: ReplController }) {
  useRepl(c);
  useTerminalSize((size) => c.resize(size));
  const layout = c.layout;
  const width = layout.width;
  const engine = c.session.engine;
  const history = engine.history;
  const state = history.current.state;
  // findBranches walks every event: once per history, not once per key.
  const branchCount = useMemo(() => history.branches().length, [history]);
  const segments = useMemo(() => timelineSegments(history, width, branchCount), [history, width, branchCount]);
  const strip = useMemo(
    () => (layout.strip ? stripView(state, engine.window, c.changes, c.focus, c.zoom, width - 2) : null),
    [layout.strip, state, engine.window, c.changes, c.focus, c.zoom, width],
  );
  return (
    <>
      <Transcript items={c.transcript} />
      {c.quitting ? null : (
        <Box flexDirection="column" width={width}>
          {c.page !== null ? (
            <TextPage page={c.page} lines={c.pageLines} scroll={c.pageScroll} rows={layout.pageRows} />
          ) : (
            <>
              <VmaTable state={state} entries={c.entries} scroll={c.tableScroll} rows={layout.tableRows} width={width} />
              {strip !== null ? <AddressStrip view={strip} zoom={c.zoom} width={width} /> : null}
            </>
          )}
          <LastResult result={c.result} traceRows={layout.traceRows} />
          <Timeline segments={segments} />
          <Prompt line={c.line} search={c.search} match={c.search ? searchLine(c.search, c.history.entries) : ''} candidates={c.candidates} width={width} />
          {layout.hint ? <KeyHint width={width} /> : null}
        </Box>
      )}
    </>
  );
}
