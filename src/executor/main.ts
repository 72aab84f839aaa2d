/**
 * `drover executor -data-dir DIR`: the executor daemon entry point.
 * Placeholder until the daemon lands; keeps main.ts's import resolvable.
 */
export async function executorMain(_argv: readonly string[]): Promise<number> {
  process.stderr.write('drover executor: not available in this build\n');
  return 1;
}
