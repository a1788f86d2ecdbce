import type { VmaReport } from './run-report.js';

/**
 * /proc/PID/maps' header line for a reported VMA (show_map_vma): hex range
 * of at least 8 digits, perms, offset, device, inode, then the name padded
 * to column 73. The simulator has no devices or inodes: files show 00:00 0.
 */
export function mapsLine(v: VmaReport): string {
  const start = BigInt(v.start).toString(16).padStart(8, '0');
  const end = BigInt(v.end).toString(16).padStart(8, '0');
  const head = `${start}-${end} ${v.perms} ${v.offset.toString(16).padStart(8, '0')} 00:00 0 `;
  const name = v.file ?? (v.name ? `[anon:${v.name}]` : '');
  return name ? head.padEnd(73) + name : head;
}

/** maps lines each followed by the VmFlags line, as `vmasim run` prints the final state. */
export function mapsTable(vmas: readonly VmaReport[]): string {
  const out: string[] = [];
  for (const v of vmas) {
    out.push(mapsLine(v).trimEnd() + (v.anon_vma ? `  anon_vma=${v.anon_vma}` : ''));
    out.push(`    VmFlags: ${v.vmflags.join(' ')}`);
  }
  return out.join('\n');
}
