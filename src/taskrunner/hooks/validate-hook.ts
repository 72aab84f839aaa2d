/**
 * Rejects a task the node must not run (Nomad's validate hook): a user on the
 * client's deny list for a driver that checks users, or an env variable name
 * no process can hold. Failures are not recoverable.
 */
import type { Task } from '../../model/job.js';
import { DroverError } from '../../model/errors.js';
import type { PrestartHook, PrestartRequest, PrestartResponse } from './types.js';

export interface ValidateHookConfig {
  /** Users tasks may not run as (Nomad's client user.denylist). */
  readonly userDenylist: readonly string[];
  /** Drivers whose tasks are checked against the deny list (Nomad's user.checked_drivers). */
  readonly checkedDrivers: readonly string[];
}

export class ValidateHook implements PrestartHook {
  readonly name = 'validate';

  constructor(private readonly config: ValidateHookConfig) {}

  async prestart(req: PrestartRequest): Promise<PrestartResponse> {
    const problems = validateTask(req.task, this.config);
    if (problems.length > 0) throw new DroverError('validation', problems.join('; '));
    return { done: true };
  }
}

function validateTask(task: Task, config: ValidateHookConfig): string[] {
  const problems: string[] = [];
  if (task.user !== '' && config.checkedDrivers.includes(task.driver) && config.userDenylist.includes(task.user)) {
    problems.push(`running as user "${task.user}" is disallowed for driver "${task.driver}"`);
  }
  for (const key of Object.keys(task.env)) {
    if (key === '' || key.includes('=') || key.includes('\0')) problems.push(`invalid environment variable name ${JSON.stringify(key)}`);
  }
  return problems;
}
