export async function runFuzzCli(_values: { seed?: string; count?: string; ops?: string; out?: string; forks?: boolean }): Promise<number> {
  process.stderr.write('vmasim: fuzz is not built yet\n');
  return 2;
}
