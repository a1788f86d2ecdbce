/**
 * What parsing remembers from one line to the next. The language is not
 * context-free in one respect: `file=NAME` must name a file that an earlier
 * `file` line declared (scenario-language.md, mmap), so a scenario file, or a
 * REPL session, shares one context across its lines.
 *
 * A name stays declared even if its `file` line later fails or is undone:
 * the rule is about the text, and the executor reports EBADF for a name that
 * is declared but absent from the current state.
 */
export interface ParseContext {
  readonly files: Set<string>;
}

export function newParseContext(files: Iterable<string> = []): ParseContext {
  return { files: new Set(files) };
}
