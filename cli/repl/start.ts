export async function startRepl(_argv: string[]): Promise<number> {
  process.stderr.write('vmasim: the REPL is not built yet; use `vmasim run FILE`\n');
  return 2;
}
