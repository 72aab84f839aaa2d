/**
 * A script check: the command runs inside the task through the driver's exec
 * (Nomad's script_check_hook and DriverHandle.Exec). Exit 0 is passing, 1 is
 * warning, anything else critical; the output is the command's stdout. An
 * exec error, an exit error or the timeout make it critical with that text.
 */
import type { DriverPlugin } from '../../drivers/types.js';
import { errorMessage } from '../../model/errors.js';
import { unlessAborted } from '../abort.js';
import { abortText, type CheckExecutor, type CheckOutcome, type CheckHealth } from './types.js';

/** The slice of the driver a script check needs, bound to the running task. */
export interface ScriptExec {
  readonly taskId: string;
  readonly driver: Pick<DriverPlugin, 'execTask'>;
}

export class ScriptCheck implements CheckExecutor {
  constructor(
    private readonly exec: ScriptExec,
    private readonly command: readonly string[],
    private readonly timeoutMs: number,
  ) {}

  async execute(signal: AbortSignal): Promise<CheckOutcome> {
    // The driver enforces the timeout too; racing the signal answers on time even if it does not.
    const run = this.exec.driver.execTask(this.exec.taskId, this.command, this.timeoutMs);
    run.catch(() => undefined);
    let res;
    try {
      res = await unlessAborted(run, signal);
    } catch (err) {
      return critical(errorMessage(err));
    }
    if (res === undefined) return critical(abortText(signal));
    if (res.exitResult.err) return critical(res.exitResult.err);
    return { health: healthOf(res.exitResult.exitCode), statusCode: 0, output: Buffer.from(res.stdout).toString('utf8') };
  }
}

/** Nomad's script check mapping of exit codes. */
export function healthOf(exitCode: number): CheckHealth {
  if (exitCode === 0) return 'passing';
  if (exitCode === 1) return 'warning';
  return 'critical';
}

function critical(output: string): CheckOutcome {
  return { health: 'critical', statusCode: 0, output };
}
