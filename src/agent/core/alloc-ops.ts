/**
 * Operations on a live allocation's tasks (Nomad's client alloc endpoint):
 * signal, restart, resource usage. They need the alloc's runner, so a
 * finished allocation answers "Task not running" / 404 like Nomad's client.
 */
import { newEvent } from '../../model/task-event.js';
import type { TaskResourceUsage } from '../../model/task-result.js';
import { DroverError } from '../../model/errors.js';
import type { TaskRunner } from '../../taskrunner/task-runner.js';
import type { Agent } from './agent.js';
import { NotFoundError } from './errors.js';

/** The task runners to act on: one by name, or all of the live alloc's. */
function runners(agent: Agent, allocId: string, task: string | undefined): TaskRunner[] {
  const alloc = agent.alloc(allocId);
  if (!alloc) throw new NotFoundError('alloc not found');
  const group = alloc.job.groups.find((g) => g.name === alloc.record.group);
  if (task !== undefined && task !== '' && !group?.tasks.some((t) => t.name === task)) throw new NotFoundError(`Task not found: ${JSON.stringify(task)}`);
  const sup = agent.supervisor(alloc.record.id);
  if (!sup) throw new DroverError('not_running', 'Allocation is not running');
  const all = (group?.tasks ?? []).map((t) => sup.runner.task(t.name)).filter((r): r is TaskRunner => r !== undefined);
  return task ? all.filter((r) => r.task.name === task) : all;
}

/** Sends `signal` to one task, or to every running task (Nomad's alloc signal). */
export async function signalAlloc(agent: Agent, allocId: string, task: string | undefined, signal: string): Promise<void> {
  const targets = runners(agent, allocId, task);
  const event = newEvent('Signaling', agent.now(), { taskSignal: signal, taskSignalReason: '' });
  if (task) return targets[0]?.signal(event, signal);
  const running = targets.filter((r) => r.state().state === 'running');
  const errors = await Promise.allSettled(running.map((r) => r.signal(event, signal)));
  const failed = errors.flatMap((e, i) => (e.status === 'rejected' ? [`Failed to signal task: ${running[i]?.task.name}, err: ${String(e.reason)}`] : []));
  if (failed.length > 0) throw new DroverError('internal', failed.join('; '));
}

/**
 * Restarts one task, the running tasks (default), or with `all` every task
 * including finished ones (Nomad's RestartTask / RestartRunning / RestartAll).
 */
export async function restartAlloc(agent: Agent, allocId: string, task: string | undefined, all: boolean): Promise<void> {
  const targets = runners(agent, allocId, task);
  const event = newEvent('Restart Signaled', agent.now(), { restartReason: 'User requested task to restart' });
  if (task) {
    await targets[0]?.restart(event, false);
    return;
  }
  const chosen = all ? targets.filter((r) => r.state().state !== 'pending') : targets.filter((r) => r.state().state === 'running');
  await Promise.all(chosen.map((r) => r.restart(event, false)));
}

/** Fresh usage per running task of a live alloc (tasks without a sample are left out). */
export async function allocUsage(agent: Agent, allocId: string, task?: string): Promise<Map<string, TaskResourceUsage>> {
  const running = runners(agent, allocId, task).filter((r) => r.state().state === 'running');
  const usage = await Promise.all(running.map((r) => r.resourceUsage()));
  const out = new Map<string, TaskResourceUsage>();
  running.forEach((r, i) => {
    const u = usage[i];
    if (u && r.state().state === 'running') out.set(r.task.name, u);
  });
  return out;
}
