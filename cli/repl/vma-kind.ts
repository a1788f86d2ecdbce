/**
 * What kind of memory a VMA is, for colouring, after the conventions of
 * pwndbg's and gef's `vmmap`: code, data, read-only, stack, no access.
 */
import { hasAny, VM_EXEC, VM_GROWSDOWN, VM_READ, VM_WRITE, type VmFlags } from '../../kernel-sim/flags.js';

export type VmaKind = 'code' | 'rwx' | 'data' | 'rodata' | 'stack' | 'none';

export function vmaKind(flags: VmFlags): VmaKind {
  if (hasAny(flags, VM_GROWSDOWN)) return 'stack';
  const x = hasAny(flags, VM_EXEC);
  const w = hasAny(flags, VM_WRITE);
  if (x && w) return 'rwx';
  if (x) return 'code';
  if (w) return 'data';
  if (hasAny(flags, VM_READ)) return 'rodata';
  return 'none';
}

/** Ink colour names; read-only memory keeps the terminal's own colour. */
export const KIND_COLOR: Readonly<Record<VmaKind, string | undefined>> = {
  code: 'red',
  rwx: 'redBright',
  data: 'magenta',
  rodata: undefined,
  stack: 'yellow',
  none: 'gray',
};

export const KIND_LABEL: Readonly<Record<VmaKind, string>> = {
  code: 'code',
  rwx: 'rwx',
  data: 'data',
  rodata: 'read-only',
  stack: 'stack',
  none: 'no access',
};
