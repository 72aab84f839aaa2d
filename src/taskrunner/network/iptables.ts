/** The iptables commands the bridge network runs itself (the CNI plugins run their own). */
import { execFile } from 'node:child_process';
import { DroverError, ErrorCode } from '../../model/errors.js';

/** What an iptables command ended with. */
export interface IptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `iptables -w ARGS` (waiting for the xtables lock); resolves its exit status, rejects only if it cannot run. */
export function ipt(iptables: string, args: readonly string[]): Promise<IptResult> {
  return runTool(iptables, ['-w', ...args]);
}

/** Runs `iptables-save -t TABLE` (beside `iptables`); resolves the rules text. */
export async function iptablesSave(iptables: string, table: string): Promise<string> {
  const r = await runTool(`${iptables}-save`, ['-t', table]);
  if (r.code !== 0) throw new DroverError(ErrorCode.internal, `iptables-save -t ${table}: ${r.stderr.trim()}`);
  return r.stdout;
}

function runTool(bin: string, args: readonly string[]): Promise<IptResult> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) resolve({ code: 0, stdout, stderr });
      else if (typeof err.code === 'number') resolve({ code: err.code, stdout, stderr });
      else reject(new DroverError(ErrorCode.unavailable, `cannot run ${bin}: ${err.message}`, { cause: err }));
    });
  });
}
