/** `vmasim fuzz`: differential fuzzing against the live kernel. */
export async function cmdFuzz(values: { seed?: string; count?: string; ops?: string; out?: string; forks?: boolean }): Promise<number> {
  const { runFuzzCli } = await import('../live/fuzz-cli.js');
  return runFuzzCli(values);
}
