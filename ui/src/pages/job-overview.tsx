/**
 * A job's overview tab (Nomad UI's job page body): facts, placement failures,
 * task groups with their allocation summary, the allocations (live), and for a
 * periodic or parameterized parent its children with "Force launch" or a
 * Dispatch form.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiAllocationListStub, ApiAllocationMetric, ApiEvaluation, ApiJob, ApiJobListStub, ApiJobSummary } from '../../../src/model/nomad-api/index';
import { api, seg } from '../api';
import { ActionButton } from '../components/action';
import { ErrorMessage, Loading, Status, Time, shortId } from '../components/common';
import { useApi, type StreamEvent } from '../live';
import { AllocCounts } from './jobs';
import { concernsJob, isTemplateJob, jobStatus } from './job-common';

const STATES = ['Queued', 'Starting', 'Running', 'Failed', 'Complete', 'Lost'] as const;

export function JobOverview(props: { job: ApiJob }): JSX.Element {
  const j = props.job;
  const id = String(j.ID ?? '');
  const parent = isTemplateJob(j);
  return (
    <>
      <JobFacts job={j} />
      {!parent ? <PlacementFailures jobId={id} /> : null}
      {parent && j.Periodic ? <PeriodicActions job={j} /> : null}
      {parent && j.ParameterizedJob && !j.Stop ? <DispatchForm job={j} /> : null}
      <TaskGroups job={j} />
      {parent ? <Children jobId={id} /> : <Allocations jobId={id} />}
    </>
  );
}

function JobFacts(props: { job: ApiJob }): JSX.Element {
  const j = props.job;
  return (
    <dl class="facts job-facts" aria-label="Job facts">
      <dt>Status</dt>
      <dd>
        <Status value={jobStatus(j)} />
      </dd>
      <dt>Type</dt>
      <dd>{j.Type}</dd>
      <dt>Priority</dt>
      <dd>{j.Priority}</dd>
      <dt>Datacenters</dt>
      <dd>{(j.Datacenters ?? []).join(', ') || '–'}</dd>
      <dt>Namespace</dt>
      <dd>{j.Namespace || 'default'}</dd>
      <dt>Version</dt>
      <dd>{j.Version ?? 0}</dd>
      <dt>Submitted</dt>
      <dd>
        <Time ns={j.SubmitTime ?? undefined} />
      </dd>
      {j.Periodic ? (
        <>
          <dt>Cron</dt>
          <dd class="mono">
            {(j.Periodic.Specs?.length ? j.Periodic.Specs : [j.Periodic.Spec ?? '']).join(', ')}
            {j.Periodic.TimeZone ? ` (${j.Periodic.TimeZone})` : ''}
            {j.Periodic.ProhibitOverlap ? ', no overlap' : ''}
          </dd>
        </>
      ) : null}
      {j.ParameterizedJob && !j.Dispatched ? (
        <>
          <dt>Payload</dt>
          <dd>{j.ParameterizedJob.Payload || 'optional'}</dd>
          <dt>Meta</dt>
          <dd>
            required: {(j.ParameterizedJob.MetaRequired ?? []).join(', ') || 'none'}; optional: {(j.ParameterizedJob.MetaOptional ?? []).join(', ') || 'none'}
          </dd>
        </>
      ) : null}
      {j.Meta && Object.keys(j.Meta).length > 0 ? (
        <>
          <dt>Meta</dt>
          <dd class="mono">
            {Object.entries(j.Meta)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** Task groups with their count and allocation summary (GET /v1/job/:id/summary, live). */
function TaskGroups(props: { job: ApiJob }): JSX.Element {
  const id = String(props.job.ID ?? '');
  const summary = useApi<ApiJobSummary>(`/v1/job/${seg(id)}/summary`, { live: ['Job', 'Allocation'], when: concernsJob(id) });
  const groups = props.job.TaskGroups ?? [];
  return (
    <>
      <h2 id="groups-h">Task groups</h2>
      {summary.error ? <ErrorMessage error={summary.error} what="reading the job summary" /> : null}
      <div class="table-wrap">
        <table aria-labelledby="groups-h" class="groups">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Count</th>
              <th scope="col">Tasks</th>
              {STATES.map((s) => (
                <th scope="col">{s}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => {
              const s = summary.data?.Summary[g.Name ?? ''];
              return (
                <tr data-group={g.Name}>
                  <th scope="row">{g.Name}</th>
                  <td>{g.Count ?? 1}</td>
                  <td>{(g.Tasks ?? []).map((t) => t.Name).join(', ')}</td>
                  {STATES.map((st) => (
                    <td class={s && s[st] > 0 ? `count count-${st.toLowerCase()}` : 'muted'}>{s ? s[st] : '–'}</td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The job's allocations, newest first, following the event stream. */
function Allocations(props: { jobId: string }): JSX.Element {
  const allocs = useApi<ApiAllocationListStub[]>(`/v1/job/${seg(props.jobId)}/allocations`, { live: ['Allocation', 'Job'], when: concernsJob(props.jobId) });
  const list = [...(allocs.data ?? [])].sort((a, b) => b.CreateIndex - a.CreateIndex || a.Name.localeCompare(b.Name));
  return (
    <>
      <h2 id="allocs-h">Allocations</h2>
      {allocs.error ? <ErrorMessage error={allocs.error} what="listing the allocations" /> : null}
      {allocs.data === undefined && !allocs.error ? <Loading what="allocations" /> : null}
      {allocs.data !== undefined && list.length === 0 ? <p class="empty">No allocations.</p> : null}
      {list.length > 0 ? (
        <div class="table-wrap">
          <table aria-labelledby="allocs-h" class="allocs">
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">Task group</th>
                <th scope="col">Status</th>
                <th scope="col">Version</th>
                <th scope="col">Created</th>
                <th scope="col">Modified</th>
              </tr>
            </thead>
            <tbody>
              {list.map((a) => (
                <tr key={a.ID} data-alloc={a.ID}>
                  <td>
                    <a class="mono" href={`/ui/allocations/${a.ID}`} aria-label={`allocation ${shortId(a.ID)} (${a.Name})`}>
                      {shortId(a.ID)}
                    </a>
                  </td>
                  <td>{a.TaskGroup}</td>
                  <td>
                    <Status value={a.ClientStatus} />
                    {a.DesiredStatus !== 'run' && a.ClientStatus !== 'complete' && a.ClientStatus !== 'failed' ? <span class="tag">{a.DesiredStatus}</span> : null}
                  </td>
                  <td>{a.JobVersion}</td>
                  <td>
                    <Time ns={a.CreateTime} />
                  </td>
                  <td>
                    <Time ns={a.ModifyTime} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** A periodic or parameterized job's children (GET /v1/jobs?prefix=ID/, ParentID = ID), newest first. */
function Children(props: { jobId: string }): JSX.Element {
  const id = props.jobId;
  const isChild = (e: StreamEvent) => e.Key === id || e.Key.startsWith(`${id}/`) || (e.FilterKeys ?? []).some((k) => k.startsWith(`${id}/`));
  const jobs = useApi<ApiJobListStub[]>(`/v1/jobs?prefix=${encodeURIComponent(`${id}/`)}`, { live: ['Job', 'Allocation'], when: isChild });
  const children = (jobs.data ?? []).filter((c) => c.ParentID === id).sort((a, b) => b.SubmitTime - a.SubmitTime || b.ID.localeCompare(a.ID));
  return (
    <>
      <h2 id="children-h">Children</h2>
      {jobs.error ? <ErrorMessage error={jobs.error} what="listing the children" /> : null}
      {jobs.data === undefined && !jobs.error ? <Loading what="children" /> : null}
      {jobs.data !== undefined && children.length === 0 ? <p class="empty">No children yet.</p> : null}
      {children.length > 0 ? (
        <div class="table-wrap">
          <table aria-labelledby="children-h" class="children">
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">Status</th>
                <th scope="col">Allocations</th>
                <th scope="col">Submitted</th>
              </tr>
            </thead>
            <tbody>
              {children.map((c) => (
                <tr key={c.ID} data-job={c.ID}>
                  <td>
                    <a href={`/ui/jobs/${seg(c.ID)}`}>{c.ID}</a>
                  </td>
                  <td>
                    <Status value={jobStatus(c)} />
                  </td>
                  <td>
                    <AllocCounts summary={c.JobSummary?.Summary} />
                  </td>
                  <td>
                    <Time ns={c.SubmitTime} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

function PeriodicActions(props: { job: ApiJob }): JSX.Element {
  const id = String(props.job.ID ?? '');
  const [launched, setLaunched] = useState(false);
  return (
    <div class="job-action-row">
      <ActionButton run={() => api(`/v1/job/${seg(id)}/periodic/force`, { method: 'POST' })} onDone={() => setLaunched(true)}>
        Force launch
      </ActionButton>
      {launched ? (
        <span class="message ok" role="status">
          Launched: the new child is listed below.
        </span>
      ) : null}
    </div>
  );
}

/** Nomad UI's dispatch form, small: payload text and meta (one key=value a line), required keys filled in. */
function DispatchForm(props: { job: ApiJob }): JSX.Element {
  const id = String(props.job.ID ?? '');
  const pj = props.job.ParameterizedJob ?? {};
  const [meta, setMeta] = useState(() => (pj.MetaRequired ?? []).map((k) => `${k}=`).join('\n'));
  const [payload, setPayload] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [child, setChild] = useState<string | undefined>(undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setChild(undefined);
    const m: Record<string, string> = {};
    for (const [i, line] of meta.split('\n').entries()) {
      if (line.trim() === '') continue;
      const eq = line.indexOf('=');
      if (eq <= 0) {
        setError(new Error(`Meta line ${i + 1}: expected key=value, got ${JSON.stringify(line)}`));
        return;
      }
      m[line.slice(0, eq).trim()] = line.slice(eq + 1);
    }
    setBusy(true);
    try {
      const bytes = new TextEncoder().encode(payload);
      const b64 = btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
      const r = await api<{ DispatchedJobID: string }>(`/v1/job/${seg(id)}/dispatch`, { method: 'POST', body: { JobID: id, Meta: m, Payload: b64 || null } });
      setChild(r.DispatchedJobID);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="dispatch" onSubmit={(e) => void submit(e)} aria-labelledby="dispatch-h">
      <h2 id="dispatch-h">Dispatch</h2>
      <div class="dispatch-fields">
        <label>
          Meta (one key=value a line)
          <textarea class="mono" rows={3} value={meta} onInput={(e) => setMeta((e.target as HTMLTextAreaElement).value)} />
        </label>
        <label>
          Payload{pj.Payload === 'required' ? ' (required)' : pj.Payload === 'forbidden' ? ' (forbidden)' : ''}
          <textarea class="mono" rows={3} value={payload} disabled={pj.Payload === 'forbidden'} onInput={(e) => setPayload((e.target as HTMLTextAreaElement).value)} />
        </label>
      </div>
      <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
        Dispatch
      </button>
      {error !== undefined ? <ErrorMessage error={error} what="dispatching" /> : null}
      {child ? (
        <p class="message ok" role="status">
          Dispatched <a href={`/ui/jobs/${seg(child)}`}>{child}</a>.
        </p>
      ) : null}
    </form>
  );
}

/**
 * Nomad UI's "Placement Failures": while the job has a blocked evaluation, the
 * latest evaluation that failed to place, per task group.
 */
function PlacementFailures(props: { jobId: string }): JSX.Element | null {
  const evals = useApi<ApiEvaluation[]>(`/v1/job/${seg(props.jobId)}/evaluations`, { live: ['Evaluation', 'Allocation', 'Job'], when: concernsJob(props.jobId) });
  const list = evals.data ?? [];
  if (evals.error) return <ErrorMessage error={evals.error} what="reading the evaluations" />;
  const blocked = list.some((e) => e.Status === 'blocked');
  const failing = list.filter((e) => e.FailedTGAllocs && Object.keys(e.FailedTGAllocs).length > 0).sort((a, b) => a.ModifyIndex - b.ModifyIndex);
  const latest = failing[failing.length - 1];
  if (!blocked || !latest?.FailedTGAllocs) return null;
  return (
    <div class="message error placement-failures" role="alert">
      <h2>Placement failures</h2>
      {Object.entries(latest.FailedTGAllocs).map(([group, m]) => (
        <PlacementFailure group={group} m={m} />
      ))}
    </div>
  );
}

function PlacementFailure(props: { group: string; m: ApiAllocationMetric }): JSX.Element {
  const { m } = props;
  const nodes = (n: number) => `${n} ${n === 1 ? 'node' : 'nodes'}`;
  const items: string[] = [];
  if (m.NodesEvaluated === 0) items.push('No nodes were eligible for evaluation');
  for (const [dc, n] of Object.entries(m.NodesAvailable ?? {})) if (n === 0) items.push(`No nodes are available in datacenter ${dc}`);
  for (const [c, n] of Object.entries(m.ClassFiltered ?? {})) items.push(`Class ${c} filtered ${nodes(n)}`);
  for (const [c, n] of Object.entries(m.ConstraintFiltered ?? {})) items.push(`Constraint ${c} filtered ${nodes(n)}`);
  if (m.NodesExhausted) items.push(`Resources exhausted on ${nodes(m.NodesExhausted)}`);
  for (const [c, n] of Object.entries(m.ClassExhausted ?? {})) items.push(`Class ${c} exhausted on ${nodes(n)}`);
  for (const [d, n] of Object.entries(m.DimensionExhausted ?? {})) items.push(`Dimension ${d} exhausted on ${nodes(n)}`);
  for (const q of m.QuotaExhausted ?? []) items.push(`Quota limit hit ${q}`);
  return (
    <div class="placement-failure">
      <h3>
        {props.group} <span class="status status-failed">{m.CoalescedFailures + 1} unplaced</span>
      </h3>
      <ul>
        {items.map((i) => (
          <li>{i}</li>
        ))}
      </ul>
    </div>
  );
}
