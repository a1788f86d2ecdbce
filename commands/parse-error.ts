/** A line that does not parse: a value with a place, never an exception. */
export interface ParseError {
  readonly file: string;
  readonly line: number;
  /** 1-based, in characters. */
  readonly column: number;
  readonly message: string;
}

/** `scenario.vma:3:12: expected a PROT like rw- or none, got 'rwz'`, the shape compilers use and editors link. */
export function formatParseError(e: ParseError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}`;
}
