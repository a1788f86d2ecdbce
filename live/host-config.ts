/**
 * The host kernel's build options that change scenario results
 * (scenario-language.md, `config`): CONFIG_ANON_VMA_NAME and CONFIG_MEM_SOFT_DIRTY.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface HostKernelConfig {
  /** CONFIG_ANON_VMA_NAME, or null when it cannot be told. */
  readonly anonVmaName: boolean | null;
  /** CONFIG_MEM_SOFT_DIRTY, or null when it cannot be told. */
  readonly softDirty: boolean | null;
  /** Where the answers come from (for messages). */
  readonly source: string;
}

/** `CONFIG_X=value` and `# CONFIG_X is not set` lines of a kernel .config. */
export function parseKernelConfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    let m = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(l);
    if (m) {
      out.set(m[1]!, m[2]!);
      continue;
    }
    m = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/.exec(l);
    if (m) out.set(m[1]!, 'n');
  }
  return out;
}

function enabled(cfg: Map<string, string>, name: string): boolean {
  const v = cfg.get(name);
  return v === 'y' || v === 'm';
}

let cached: HostKernelConfig | null = null;

/**
 * Reads /proc/config.gz where readable. Otherwise CONFIG_MEM_SOFT_DIRTY is told from
 * this process's own VMAs (a soft-dirty kernel marks new VMAs `sd`), and
 * CONFIG_ANON_VMA_NAME stays unknown.
 */
export function readHostKernelConfig(path = '/proc/config.gz'): HostKernelConfig {
  if (path === '/proc/config.gz' && cached) return cached;
  let result: HostKernelConfig;
  try {
    const cfg = parseKernelConfig(gunzipSync(readFileSync(path)).toString('utf8'));
    result = {
      anonVmaName: enabled(cfg, 'CONFIG_ANON_VMA_NAME'),
      softDirty: enabled(cfg, 'CONFIG_MEM_SOFT_DIRTY'),
      source: path,
    };
  } catch {
    let softDirty: boolean | null = null;
    try {
      const smaps = readFileSync('/proc/self/smaps', 'utf8');
      softDirty = /^VmFlags:.*\bsd\b/m.test(smaps);
    } catch {
      softDirty = null;
    }
    result = { anonVmaName: null, softDirty, source: `${path} is not readable` };
  }
  if (path === '/proc/config.gz') cached = result;
  return result;
}
