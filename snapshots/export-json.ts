/** `export json`: the whole machine as a versioned snapshot (docs/snapshot-format.md). */
import { currentState } from '../commands/engine.js';
import { historyPath } from './history-path.js';
import { stateToSnapshot } from './json-snapshot.js';
import { exported, type Exporter } from './export-types.js';

/** Lines no longer than this are kept on one line. */
const LINE_WIDTH = 110;

const isPlain = (x: unknown): boolean => x === null || typeof x !== 'object';

/** An array of plain values, or an object whose values are plain or such arrays. */
function isFlat(value: object): boolean {
  const values = Array.isArray(value) ? value : Object.values(value);
  return values.every((v) => isPlain(v) || (Array.isArray(v) && v.every(isPlain)));
}

function inline(value: unknown): string {
  if (isPlain(value)) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  const entries = Object.entries(value as object).filter(([, v]) => v !== undefined);
  return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }` : '{}';
}

/**
 * JSON with two-space indentation, except that small flat values (flag
 * lists, chains, a result) stay on one line when they fit: a VMA then reads
 * in a dozen lines instead of thirty.
 */
export function formatJson(value: unknown, indent = ''): string {
  if (isPlain(value)) return JSON.stringify(value);
  const obj = value as object;
  if (isFlat(obj)) {
    const one = inline(obj);
    if (indent.length + one.length <= LINE_WIDTH) return one;
  }
  const inner = `${indent}  `;
  if (Array.isArray(obj)) {
    if (obj.length === 0) return '[]';
    return `[\n${obj.map((x) => inner + formatJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

export const exportJson: Exporter = (engine, opts) => {
  const path = historyPath(engine);
  const history =
    opts.history === false
      ? undefined
      : { position: path.position, events: path.events.map((e) => ({ seq: e.seq, command: e.text, result: e.summary })) };
  const snapshot = stateToSnapshot(currentState(engine), { window: engine.window, history });
  return exported(`${formatJson(snapshot)}\n`);
};
