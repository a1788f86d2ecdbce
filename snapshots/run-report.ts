/**
 * The JSON that `vmasim run FILE --json` and `vmasim kernel FILE --json` print
 * (scenario-language.md, "Output of vmasim run FILE --json"). Both producers
 * build these types, so the two outputs can be compared field by field.
 */

export interface VmaReport {
  /** `0x...`, lower-case hex. */
  readonly start: string;
  readonly end: string;
  /** As /proc/PID/maps prints them: `rw-p`. */
  readonly perms: string;
  /** Byte offset as /proc/PID/maps prints it. */
  readonly offset: number;
  /** The `file` NAME, or null for anonymous memory (shared included). */
  readonly file: string | null;
  /** Anonymous VMA name, or null. */
  readonly name: string | null;
  /** In pages; null from the live kernel. */
  readonly pgoff: number | null;
  /** anon_vma id, or null (always null from the live kernel). */
  readonly anon_vma: string | null;
  /** Ids of the anon_vma chain, oldest first: only in multi-process output, null from the live kernel. */
  readonly anon_vma_chain?: readonly string[] | null;
  /** smaps VmFlags mnemonics, in smaps order. */
  readonly vmflags: readonly string[];
  /** vm_ops->close present; null from the live kernel. */
  readonly close: boolean | null;
}

/** A result as every report and journal shows it: `-1 ERRNO`, or the value returned. */
export function resultText(r: { readonly ret: string | number; readonly errno: string | null }): string {
  return r.errno ? `-1 ${r.errno}` : String(r.ret);
}

export interface ResultReport {
  readonly line: number;
  readonly command: string;
  /** Hex string for mmap/mremap (and vma ops returning a range), else a number. */
  readonly ret: string | number;
  readonly errno: string | null;
  /** Present when the output has more than one process. */
  readonly process?: number;
}

export interface ProcessReport {
  readonly process: number;
  readonly parent: number | null;
  readonly vmas: readonly VmaReport[];
}

export interface RunReport {
  readonly vmas: readonly VmaReport[];
  readonly results: readonly ResultReport[];
  readonly processes?: readonly ProcessReport[];
}
