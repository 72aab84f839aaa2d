/**
 * A job's deployments (Nomad UI's job "deployments" tab): newest first, each
 * with its status and description and per task group the desired, placed,
 * healthy and unhealthy allocations, canaries and whether they were promoted.
 * A running deployment whose canaries wait for promotion offers Promote; a
 * running one offers Fail. Live on the Deployment and Allocation topics.
 */
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { ApiDeployment, ApiDeploymentState } from '../../../src/model/nomad-api/index';
import { api, seg } from '../api';
import { ActionButton } from '../components/action';
import { ErrorMessage, Loading, Status, Time, shortId } from '../components/common';
import { useApi, type StreamEvent } from '../live';

const ofJob = (jobId: string) => (e: StreamEvent) => {
  const p = (e.Payload['Deployment'] ?? e.Payload['Allocation']) as { JobID?: string } | undefined;
  return !p?.JobID || p.JobID === jobId;
};

/** Canaries that still wait for promotion (Nomad UI's requiresPromotion). */
export const awaitsPromotion = (d: ApiDeployment): boolean => d.Status === 'running' && Object.values(d.TaskGroups ?? {}).some((g) => g.DesiredCanaries > 0 && !g.Promoted);

/** Whether some group's placed canaries are not yet all healthy. */
const unhealthyCanaries = (d: ApiDeployment): boolean => Object.values(d.TaskGroups ?? {}).some((g) => g.DesiredCanaries > 0 && !g.Promoted && g.HealthyAllocs < g.DesiredCanaries);

export function JobDeployments(props: { jobId: string }): JSX.Element {
  const deps = useApi<ApiDeployment[]>(`/v1/job/${seg(props.jobId)}/deployments`, { live: ['Deployment', 'Allocation'], when: ofJob(props.jobId) });
  const sorted = useMemo(() => [...(deps.data ?? [])].sort((a, b) => b.CreateIndex - a.CreateIndex), [deps.data]);
  return (
    <section class="deployments" aria-label="Deployments">
      {deps.error ? <ErrorMessage error={deps.error} what="listing the deployments" /> : null}
      {deps.data === undefined && !deps.error ? <Loading what="deployments" /> : null}
      {deps.data !== undefined && sorted.length === 0 ? <p class="empty">No deployments: a service job with an update block deploys each new version.</p> : null}
      {sorted.length > 0 ? (
        <ol class="deployment-list">
          {sorted.map((d, i) => (
            <Deployment key={d.ID} d={d} latest={i === 0} onChange={() => deps.reload()} />
          ))}
        </ol>
      ) : null}
    </section>
  );
}

function Deployment(props: { d: ApiDeployment; latest: boolean; onChange: () => void }): JSX.Element {
  const d = props.d;
  const groups = Object.entries(d.TaskGroups ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const running = d.Status === 'running' || d.Status === 'paused' || d.Status === 'pending' || d.Status === 'blocked';
  const promote = awaitsPromotion(d);
  return (
    <li class={`deployment${props.latest ? ' latest' : ''}`} data-deployment={d.ID}>
      <div class="deployment-head">
        <h3>
          {props.latest ? 'Latest deployment' : 'Deployment'} <span class="mono">{shortId(d.ID)}</span>
        </h3>
        <Status value={d.Status} />
        <span class="muted">
          version {d.JobVersion} · created <Time ns={d.CreateTime} />
        </span>
        {running ? (
          <span class="deployment-actions">
            {promote ? (
              <ActionButton
                confirm={`Promote the canaries of deployment ${shortId(d.ID)} (version ${d.JobVersion})? The rest of the allocations are then replaced.`}
                run={() => api(`/v1/deployment/promote/${seg(d.ID)}`, { method: 'PUT', body: { DeploymentID: d.ID, All: true } })}
                onDone={props.onChange}
              >
                Promote
              </ActionButton>
            ) : null}
            <ActionButton danger confirm={`Fail deployment ${shortId(d.ID)}? ${'It stops, and an auto_revert job goes back to its last stable version.'}`} run={() => api(`/v1/deployment/fail/${seg(d.ID)}`, { method: 'PUT', body: { DeploymentID: d.ID } })} onDone={props.onChange}>
              Fail
            </ActionButton>
          </span>
        ) : null}
      </div>
      {d.StatusDescription ? <p class="deployment-desc">{d.StatusDescription}</p> : null}
      {promote && unhealthyCanaries(d) ? <p class="muted">The canaries are not all healthy yet; a promotion now is refused.</p> : null}
      {groups.length > 0 ? (
        <div class="table-wrap">
          <table class="deployment-groups" aria-label={`Task groups of deployment ${shortId(d.ID)}`}>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Desired</th>
                <th scope="col">Placed</th>
                <th scope="col">Healthy</th>
                <th scope="col">Unhealthy</th>
                <th scope="col">Canaries</th>
                <th scope="col">Promoted</th>
                <th scope="col">Progress deadline</th>
              </tr>
            </thead>
            <tbody>
              {groups.map(([name, g]) => (
                <GroupRow name={name} g={g} active={running} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </li>
  );
}

function GroupRow(props: { name: string; g: ApiDeploymentState; active: boolean }): JSX.Element {
  const g = props.g;
  const by = Date.parse(g.RequireProgressBy);
  return (
    <tr data-group={props.name}>
      <th scope="row">{props.name}</th>
      <td>{g.DesiredTotal}</td>
      <td>{g.PlacedAllocs}</td>
      <td class={g.HealthyAllocs > 0 ? 'ok' : undefined}>{g.HealthyAllocs}</td>
      <td class={g.UnhealthyAllocs > 0 ? 'bad' : undefined}>{g.UnhealthyAllocs}</td>
      <td>{g.DesiredCanaries > 0 ? `${g.PlacedCanaries?.length ?? 0} / ${g.DesiredCanaries}` : '–'}</td>
      <td>{g.DesiredCanaries > 0 ? (g.Promoted ? 'yes' : g.AutoPromote ? 'no (auto)' : 'no') : '–'}</td>
      <td>{props.active && Number.isFinite(by) && by > 0 ? <Time ns={by * 1e6} /> : '–'}</td>
    </tr>
  );
}
