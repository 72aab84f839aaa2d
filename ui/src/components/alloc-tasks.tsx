/** An allocation's tasks: state, times, restarts, lifecycle, and the events as a timeline (newest first), as Nomad's task pages show them. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiAllocation, ApiTask, ApiTaskEvent, ApiTaskState } from '../../../src/model/nomad-api/index';
import { Status, Time } from './common';

export interface TaskInfo {
  readonly name: string;
  readonly spec: ApiTask | undefined;
  readonly state: ApiTaskState | undefined;
}

/** Whether the allocation still runs (or is about to): its actions apply. */
export const isLive = (a: Pick<ApiAllocation, 'ClientStatus' | 'DesiredStatus'>): boolean => (a.ClientStatus === 'running' || a.ClientStatus === 'pending') && a.DesiredStatus === 'run';

/** Nomad's lifecycle order: prestart, main, poststart, poststop; by name within each. */
const PHASE: Record<string, number> = { prestart: 0, main: 1, poststart: 2, poststop: 3 };

export function lifecycleOf(spec: ApiTask | undefined): string {
  const hook = spec?.Lifecycle?.Hook;
  if (!hook) return 'main';
  return spec?.Lifecycle?.Sidecar ? `${hook} sidecar` : hook;
}

/** The group's tasks (from the job) and any task states, in lifecycle order. */
export function orderedTasks(a: ApiAllocation): TaskInfo[] {
  const group = a.Job?.TaskGroups?.find((g) => g.Name === a.TaskGroup);
  const names = new Set<string>([...(group?.Tasks ?? []).map((t) => t.Name), ...Object.keys(a.TaskStates ?? {})]);
  return [...names]
    .map((name) => ({ name, spec: group?.Tasks?.find((t) => t.Name === name), state: a.TaskStates?.[name] }))
    .sort((x, y) => (PHASE[lifecycleOf(x.spec).split(' ')[0] ?? 'main'] ?? 1) - (PHASE[lifecycleOf(y.spec).split(' ')[0] ?? 'main'] ?? 1) || x.name.localeCompare(y.name));
}

/** One task: facts and the event timeline; `link` makes the name a link to the task's page; `maxEvents` shows the newest few with a "show all". */
export function TaskPanel(props: { alloc: ApiAllocation; task: TaskInfo; link?: string; maxEvents?: number }): JSX.Element {
  const { task } = props;
  const s = task.state;
  const headingId = `task-${task.name}`;
  return (
    <section class="task-panel" aria-labelledby={headingId} data-task={task.name}>
      <header class="task-head">
        <h3 id={headingId}>{props.link ? <a href={props.link}>{task.name}</a> : task.name}</h3>
        <Status value={s?.State ?? 'pending'} />
        {s?.Failed ? <Status value="failed" /> : null}
        <span class="tag">{lifecycleOf(task.spec)}</span>
        {task.spec?.Leader ? <span class="tag">leader</span> : null}
        {task.spec?.Driver ? <span class="tag">{task.spec.Driver}</span> : null}
        {props.link ? (
          <span class="task-links">
            <a href={`${props.link}/logs`}>Logs</a> <a href={`${props.link}/fs`}>Files</a> <a href={`${props.link}/exec`}>Exec</a>
          </span>
        ) : null}
      </header>
      <dl class="facts task-facts">
        <dt>Started</dt>
        <dd>
          <Time iso={s?.StartedAt} />
        </dd>
        <dt>Finished</dt>
        <dd>
          <Time iso={s?.FinishedAt} />
        </dd>
        <dt>Restarts</dt>
        <dd data-restarts>{s?.Restarts ?? 0}</dd>
        <dt>Last restart</dt>
        <dd>
          <Time iso={s?.LastRestart} />
        </dd>
      </dl>
      <Timeline events={s?.Events ?? []} max={props.maxEvents} label={`Events of ${task.name}`} />
    </section>
  );
}

/** Events newest first, with Nomad's type and display message. */
export function Timeline(props: { events: readonly ApiTaskEvent[]; max?: number | undefined; label: string }): JSX.Element {
  const [all, setAll] = useState(false);
  const newest = [...props.events].reverse();
  const shown = props.max !== undefined && !all ? newest.slice(0, props.max) : newest;
  if (newest.length === 0) return <p class="empty">No events yet.</p>;
  return (
    <>
      <ol class="timeline" aria-label={props.label}>
        {shown.map((e) => (
          <li key={`${e.Time}-${e.Type}`} class={e.FailsTask || /fail|error|kill/i.test(e.Type) ? 'ev ev-bad' : 'ev'}>
            <span class="ev-time">
              <Time ns={e.Time} /> <span class="muted ev-abs">{new Date(e.Time / 1e6).toLocaleTimeString()}</span>
            </span>
            <strong class="ev-type">{e.Type}</strong>
            <span class="ev-msg">{e.DisplayMessage || e.Message || ''}</span>
          </li>
        ))}
      </ol>
      {shown.length < newest.length || all ? (
        <button type="button" class="link-button" onClick={() => setAll(!all)}>
          {all ? 'Show fewer events' : `Show all ${newest.length} events`}
        </button>
      ) : null}
    </>
  );
}
