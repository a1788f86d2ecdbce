import fc from 'fast-check';
import { it } from 'vitest';
import { runScenario } from '../commands/run-scenario.js';
import { HIGH, LOW, scenario } from './testing/random-lines.js';
it('stats', () => {
  for (const [name, a, mix] of [['mixed', HIGH, { syscalls: 5, vma: 5, processes: 1 }], ['vma', LOW, { syscalls: 0, vma: 1, processes: 0 }], ['sys', HIGH, { syscalls: 8, vma: 0, processes: 1 }]] as const) {
    const ok = new Map<string, [number, number]>(); const kinds = new Map<string, number>(); const reasons = new Map<string, number>();
    for (const lines of fc.sample(scenario(a, mix, 60), { numRuns: 200, seed: 1 })) {
      const r = runScenario(lines.join('\n'), '<x>');
      if (!r.ok) { console.log(r.message); continue; }
      for (const l of r.lines) {
        const k = l.command.split(' ').slice(0, l.command.startsWith('vma') ? 2 : 1).join(' ');
        const e = ok.get(k) ?? [0, 0]; e[l.result?.errno ? 1 : 0]++; ok.set(k, e);
        for (const t of l.trace) { kinds.set(t.kind, (kinds.get(t.kind) ?? 0) + 1); for (const re of t.reasons ?? []) { const w = re.split(/[(:]/)[0]!; reasons.set(w, (reasons.get(w) ?? 0) + 1); } }
      }
    }
    console.log(name, [...ok].map(([k, [s, f]]) => `${k}: ${s}ok/${f}err`).join(', '));
    console.log(name, JSON.stringify(Object.fromEntries(kinds)), JSON.stringify(Object.fromEntries(reasons)));
  }
});
