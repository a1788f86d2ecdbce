/** The REPL entry point (the Ink UI, or plain lines when standard input is not a terminal). */
export async function cmdRepl(argv: string[]): Promise<number> {
  const { startRepl } = await import('./repl/start.js');
  return startRepl(argv);
}
