/**
 * `vmasim [--empty | SCENARIO] [--session JOURNAL]`: the REPL (repl-main.ts).
 *
 * `npm run build` bundles the REPL with its libraries (cli/repl/bundle.ts):
 * Node resolving and reading a few hundred modules one by one costs more
 * than the REPL's whole start-up budget. The bundle is used when it exists;
 * otherwise (tsx, or a build without esbuild) the modules load as they are.
 */
type ReplMain = typeof import('./repl-main.js');

export async function startRepl(argv: string[]): Promise<number> {
  const { replMain } = await loadReplMain();
  return replMain(argv);
}

async function loadReplMain(): Promise<ReplMain> {
  // A variable, so that TypeScript does not look for the bundle's types.
  const bundle = './bundle/repl-main.js';
  try {
    return (await import(bundle)) as ReplMain;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND' || !String((e as Error).message).includes('/bundle/repl-main.js')) throw e;
    return import('./repl-main.js');
  }
}
