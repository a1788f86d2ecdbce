#!/usr/bin/env node
/**
 * The `vmasim` command: run scenarios on the simulator or the live kernel,
 * compare them, fuzz, or open the REPL.
 */
import { parseArgs } from 'node:util';

const USAGE = `usage:
  vmasim [--empty] [SCENARIO]    open the REPL on a typical small process (or blank, or a scenario)
  vmasim --session JOURNAL       open or resume a session journal
  vmasim --from-pid PID          open the REPL on a running process's address space
  vmasim run FILE [--json] [--check] [--explain]
                                 run a scenario on the simulator (FILE '-' reads standard input)
  vmasim kernel FILE [--json]    run the same scenario on this machine's kernel
  vmasim diff FILE               run both and show where they differ (exit 1 when they do)
  vmasim fuzz [--seed S] [--count N] [--ops K] [--out DIR] [--forks]
                                 random scenarios on both; divergences are shrunk and saved
  vmasim --help                  this text`;

async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'run': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { json: { type: 'boolean' }, check: { type: 'boolean' }, explain: { type: 'boolean' } },
        });
        if (positionals.length !== 1) return usage('run takes exactly one FILE');
        const { cmdRun } = await import('./cmd-run.js');
        return cmdRun(positionals[0]!, { json: !!values.json, check: !!values.check, explain: !!values.explain });
      }
      case 'kernel': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } });
        if (positionals.length !== 1) return usage('kernel takes exactly one FILE');
        const { cmdKernel } = await import('./cmd-kernel.js');
        return cmdKernel(positionals[0]!, { json: !!values.json });
      }
      case 'diff': {
        const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
        if (positionals.length !== 1) return usage('diff takes exactly one FILE');
        const { cmdDiff } = await import('./cmd-diff.js');
        return cmdDiff(positionals[0]!);
      }
      case 'fuzz': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { seed: { type: 'string' }, count: { type: 'string' }, ops: { type: 'string' }, out: { type: 'string' }, forks: { type: 'boolean' } },
        });
        if (positionals.length) return usage(`fuzz takes no FILE (got '${positionals[0]}')`);
        const { cmdFuzz } = await import('./cmd-fuzz.js');
        return cmdFuzz(values);
      }
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return 0;
      default: {
        const { cmdRepl } = await import('./cmd-repl.js');
        return cmdRepl(argv);
      }
    }
  } catch (e) {
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return usage(e.message);
    throw e;
  }
}

function usage(message: string): number {
  process.stderr.write(`vmasim: ${message}\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`vmasim: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 70;
  },
);
