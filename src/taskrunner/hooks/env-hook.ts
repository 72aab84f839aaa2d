/**
 * Contributes the task's environment: NOMAD_* variables, meta and the task's
 * env {} block (interpolated). Directories are given as the task will see
 * them: host paths for drivers without filesystem isolation, /alloc, /local
 * and /secrets inside a chroot or image.
 */
import type { Job, TaskGroup } from '../../model/job.js';
import type { AllocatedNetwork } from '../../model/network.js';
import type { FSIsolation } from '../../drivers/types.js';
import { buildTaskEnv, type NodeFacts } from '../task-env.js';
import type { PrestartHook, PrestartRequest, PrestartResponse } from './types.js';

export interface EnvHookConfig {
  readonly job: Job;
  readonly group: TaskGroup;
  readonly allocId: string;
  readonly allocIndex: number;
  readonly allocDir: string;
  readonly node: NodeFacts;
  readonly fsIsolation: FSIsolation;
  /** The agent's filtered environment; given to tasks unless the driver isolates with an image (as Nomad). */
  readonly hostEnv?: Readonly<Record<string, string>>;
  /** The allocation's ports and network (NOMAD_PORT_<label> and the rest), read at each start: bridge mode fills in its address in prerun. */
  readonly network?: () => AllocatedNetwork | undefined;
}

export class EnvHook implements PrestartHook {
  readonly name = 'env';

  constructor(private readonly config: EnvHookConfig) {}

  async prestart(req: PrestartRequest): Promise<PrestartResponse> {
    const c = this.config;
    const isolated = c.fsIsolation !== 'none';
    const dirs = isolated
      ? { alloc: '/alloc', local: '/local', secrets: '/secrets' }
      : { alloc: req.taskDir.sharedAllocDir, local: req.taskDir.localDir, secrets: req.taskDir.secretsDir };
    const env = buildTaskEnv({
      job: c.job,
      group: c.group,
      task: req.task,
      allocId: c.allocId,
      allocIndex: c.allocIndex,
      dirs,
      node: c.node,
      hookEnv: req.env,
      hostEnv: c.fsIsolation === 'image' ? undefined : c.hostEnv,
      network: c.network?.(),
    });
    // Not done: the task's env may change with an in-place update, so rebuild each start.
    return { env };
  }
}
