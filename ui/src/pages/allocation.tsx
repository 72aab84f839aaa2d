/**
 * An allocation (Nomad UI's /ui/allocations/<id> and its task pages): the header,
 * resource charts, every task with its events, and per task the logs, the file
 * browser and an exec terminal. Sub-views live in the URL after the id, as in
 * Nomad's UI: "<task>", "<task>/logs", "<task>/fs/<path>", "fs/<path>", and
 * drover's "<task>/exec" (Nomad opens exec in its own window).
 */
import type { JSX } from 'preact';
import type { ApiAllocation } from '../../../src/model/nomad-api/index';
import { useRef } from 'preact/hooks';
import { seg } from '../api';
import { ErrorMessage, Loading, PageHeader, Status, Tabs, Time, shortId } from '../components/common';
import { AllocActions, TaskActions } from '../components/alloc-actions';
import { AllocFiles } from '../components/alloc-files';
import { AllocExec } from '../components/alloc-exec';
import { AllocLogs } from '../components/alloc-logs';
import { StatsPanel, useAllocStats } from '../components/alloc-stats';
import { TaskPanel, orderedTasks } from '../components/alloc-tasks';
import { useApi } from '../live';

/** Which part of the allocation the URL's rest names. */
export type AllocView =
  | { kind: 'overview' }
  | { kind: 'files'; path: string }
  | { kind: 'task'; task: string }
  | { kind: 'logs'; task: string }
  | { kind: 'task-files'; task: string; path: string }
  | { kind: 'exec'; task: string };

export function parseRest(rest: string): AllocView {
  const parts = rest.split('/').filter((p) => p !== '');
  const [first, second] = parts;
  if (first === undefined) return { kind: 'overview' };
  if (first === 'fs') return { kind: 'files', path: parts.slice(1).join('/') };
  if (second === 'logs') return { kind: 'logs', task: first };
  if (second === 'exec') return { kind: 'exec', task: first };
  if (second === 'fs') return { kind: 'task-files', task: first, path: parts.slice(2).join('/') };
  return { kind: 'task', task: first };
}

export function AllocationPage(props: { id: string; rest: string }): JSX.Element {
  const fullId = useRef(props.id);
  const alloc = useApi<ApiAllocation>(`/v1/allocation/${seg(props.id)}`, {
    live: ['Allocation'],
    when: (e) => e.Key === props.id || e.Key === fullId.current,
  });
  if (alloc.data) fullId.current = alloc.data.ID;
  const a = alloc.data;
  const running = a?.ClientStatus === 'running';
  const stats = useAllocStats(a?.ID, running);
  const view = parseRest(props.rest);

  if (!a) {
    return (
      <section>
        <PageHeader title={`Allocation ${shortId(props.id)}`} />
        {alloc.error ? <ErrorMessage error={alloc.error} what="reading the allocation" /> : <Loading what="the allocation" />}
      </section>
    );
  }
  const base = `/ui/allocations/${seg(a.ID)}`;
  const taskName = 'task' in view ? view.task : undefined;
  const tasks = orderedTasks(a);
  const task = taskName !== undefined ? tasks.find((t) => t.name === taskName) : undefined;

  return (
    <section class="alloc-page">
      {alloc.error ? <ErrorMessage error={alloc.error} what="refreshing the allocation" /> : null}
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={`/ui/jobs/${seg(a.JobID)}`}>{a.JobID}</a> <span aria-hidden="true">/</span> <span>{a.TaskGroup}</span> <span aria-hidden="true">/</span>{' '}
        {taskName !== undefined ? (
          <>
            <a href={base}>{a.Name}</a> <span aria-hidden="true">/</span> <span aria-current="page">{taskName}</span>
          </>
        ) : (
          <span aria-current="page">{a.Name}</span>
        )}
      </nav>
      <PageHeader
        title={
          <>
            {taskName !== undefined ? `Task ${taskName}` : `Allocation ${a.Name}`} <Status value={taskName !== undefined ? (a.TaskStates[taskName]?.State ?? 'pending') : a.ClientStatus} />
          </>
        }
      >
        {taskName !== undefined ? <TaskActions alloc={a} task={taskName} onDone={() => alloc.reload()} /> : <AllocActions alloc={a} onDone={() => alloc.reload()} />}
      </PageHeader>
      <AllocFacts alloc={a} />
      {taskName !== undefined ? (
        <Tabs
          tabs={[
            { href: `${base}/${seg(taskName)}`, label: 'Overview', current: view.kind === 'task' },
            { href: `${base}/${seg(taskName)}/logs`, label: 'Logs', current: view.kind === 'logs' },
            { href: `${base}/${seg(taskName)}/fs`, label: 'Files', current: view.kind === 'task-files' },
            { href: `${base}/${seg(taskName)}/exec`, label: 'Exec', current: view.kind === 'exec' },
          ]}
        />
      ) : (
        <Tabs
          tabs={[
            { href: base, label: 'Overview', current: view.kind === 'overview' },
            { href: `${base}/fs`, label: 'Files', current: view.kind === 'files' },
          ]}
        />
      )}
      {taskName !== undefined && !task ? (
        <div class="message error" role="alert">
          <strong>Not found.</strong> This allocation has no task named “{taskName}”. <a href={base}>Back to the allocation</a>
        </div>
      ) : null}
      {view.kind === 'overview' ? (
        <>
          <StatsPanel alloc={a} stats={stats} />
          <h2>Tasks</h2>
          {tasks.length === 0 ? <p class="empty">No tasks: allocations have tasks once they are placed.</p> : null}
          {tasks.map((t) => (
            <TaskPanel alloc={a} task={t} link={`${base}/${seg(t.name)}`} maxEvents={8} />
          ))}
        </>
      ) : null}
      {view.kind === 'files' ? <AllocFiles alloc={a} base={`${base}/fs`} path={view.path} /> : null}
      {task && view.kind === 'task' ? (
        <>
          <StatsPanel alloc={a} stats={stats} task={task.name} />
          <TaskPanel alloc={a} task={task} />
        </>
      ) : null}
      {task && view.kind === 'logs' ? <AllocLogs allocId={a.ID} task={task.name} key={task.name} /> : null}
      {task && view.kind === 'task-files' ? <AllocFiles alloc={a} task={task.name} base={`${base}/${seg(task.name)}/fs`} path={view.path} /> : null}
      {task && view.kind === 'exec' ? <AllocExec alloc={a} task={task.name} running={a.TaskStates[task.name]?.State === 'running'} key={task.name} /> : null}
    </section>
  );
}

/** Allocation details: ids, job, group, client, status with descriptions, times, version, deployment health. */
function AllocFacts(props: { alloc: ApiAllocation }): JSX.Element {
  const a = props.alloc;
  const health = a.DeploymentStatus ? (a.DeploymentStatus.Healthy === true ? 'healthy' : a.DeploymentStatus.Healthy === false ? 'unhealthy' : 'pending') : undefined;
  return (
    <dl class="facts alloc-facts">
      <dt>ID</dt>
      <dd class="mono">{a.ID}</dd>
      <dt>Name</dt>
      <dd>{a.Name}</dd>
      <dt>Job</dt>
      <dd>
        <a href={`/ui/jobs/${seg(a.JobID)}`}>{a.JobID}</a> <span class="muted">version {a.JobVersion ?? a.Job?.Version ?? 0}</span>
      </dd>
      <dt>Group</dt>
      <dd>{a.TaskGroup}</dd>
      <dt>Client</dt>
      <dd>
        <a href={`/ui/clients/${seg(a.NodeID)}`}>{a.NodeName || shortId(a.NodeID)}</a> <span class="muted mono">{shortId(a.NodeID)}</span>
      </dd>
      <dt>Status</dt>
      <dd>
        <Status value={a.ClientStatus} /> {a.ClientDescription ? <span>{a.ClientDescription}</span> : null}
      </dd>
      <dt>Desired</dt>
      <dd>
        {a.DesiredStatus}
        {a.DesiredDescription ? <span class="muted"> — {a.DesiredDescription}</span> : null}
      </dd>
      <dt>Created</dt>
      <dd>
        <Time ns={a.CreateTime} />
      </dd>
      <dt>Modified</dt>
      <dd>
        <Time ns={a.ModifyTime} />
      </dd>
      {health ? (
        <>
          <dt>Deployment</dt>
          <dd>
            <Status value={health} />
            {a.DeploymentStatus?.Canary ? <span class="tag">canary</span> : null}
            {a.DeploymentID ? <span class="muted mono"> {shortId(a.DeploymentID)}</span> : null}
          </dd>
        </>
      ) : null}
      {a.PreviousAllocation ? (
        <>
          <dt>Previous</dt>
          <dd>
            <a href={`/ui/allocations/${seg(a.PreviousAllocation)}`}>{shortId(a.PreviousAllocation)}</a>
          </dd>
        </>
      ) : null}
      {a.NextAllocation ? (
        <>
          <dt>Replaced by</dt>
          <dd>
            <a href={`/ui/allocations/${seg(a.NextAllocation)}`}>{shortId(a.NextAllocation)}</a>
          </dd>
        </>
      ) : null}
    </dl>
  );
}
