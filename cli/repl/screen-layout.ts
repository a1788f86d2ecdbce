/**
 * How the live area shares the terminal's rows. It stays below the screen's
 * height (Ink redraws the whole screen, transcript included, once its live
 * area reaches it), and the VMA table gets what the other parts leave.
 *
 *   table header, rows, scroll/legend line   (or a page: title and text)
 *   address strip and its scale              (from 16 rows)
 *   last result and its trace
 *   timeline
 *   prompt, candidates
 *   key hint                                 (from 12 rows)
 */
export interface ScreenSize {
  readonly columns: number;
  readonly rows: number;
}

export interface Layout {
  readonly width: number;
  /** Rows for VMAs below the table's header. */
  readonly tableRows: number;
  /** Rows for a page's text below its title. */
  readonly pageRows: number;
  readonly strip: boolean;
  /** Trace lines shown under the result. */
  readonly traceRows: number;
  readonly hint: boolean;
}

export function screenLayout(size: ScreenSize): Layout {
  const rows = Math.max(6, size.rows);
  const strip = rows >= 16;
  const hint = rows >= 12;
  const traceRows = rows >= 40 ? 8 : rows >= 30 ? 4 : rows >= 16 ? 2 : 0;
  // One row is left free: a live area as tall as the screen makes Ink repaint everything.
  const others = 1 /* header */ + 1 /* legend */ + (strip ? 2 : 0) + 1 + traceRows + 1 /* timeline */ + 1 /* prompt */ + 1 /* candidates */ + (hint ? 1 : 0);
  const tableRows = Math.max(1, rows - 1 - others);
  return {
    width: Math.max(20, size.columns),
    tableRows,
    pageRows: tableRows + 1 + (strip ? 2 : 0),
    strip,
    traceRows,
    hint,
  };
}
