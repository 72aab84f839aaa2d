/**
 * A job's versions (Nomad UI's /ui/jobs/:id/versions): each version with its
 * submit time and stable flag, and a field-by-field diff between two chosen
 * versions (computed here from the versions' JSON: drover's versions endpoint
 * sends no Diffs), and Revert (PUT /v1/job/:id/revert) to any other version.
 */
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { ApiJob, ApiJobVersionsResponse } from '../../../src/model/nomad-api/index';
import { api, seg } from '../api';
import { ActionButton } from '../components/action';
import { ErrorMessage, Loading, Time } from '../components/common';
import { diffJobs, type DiffType, type SectionDiff } from '../components/job-diff';
import { useApi } from '../live';
import { concernsJob } from './job-common';

export function JobVersions(props: { job: ApiJob }): JSX.Element {
  const id = String(props.job.ID ?? '');
  const res = useApi<ApiJobVersionsResponse>(`/v1/job/${seg(id)}/versions`, { live: ['Job', 'Deployment'], when: concernsJob(id) });
  const versions = useMemo(() => [...(res.data?.Versions ?? [])].sort((a, b) => (b.Version ?? 0) - (a.Version ?? 0)), [res.data]);
  const [pick, setPick] = useState<{ from?: number; to?: number }>({});
  const newest = versions[0]?.Version ?? 0;
  const to = pick.to ?? newest;
  const from = pick.from ?? versions.find((v) => (v.Version ?? 0) < to)?.Version ?? to;
  const byVersion = (n: number) => versions.find((v) => (v.Version ?? 0) === n);
  const older = byVersion(from);
  const newer = byVersion(to);

  if (res.error && !res.data) return <ErrorMessage error={res.error} what="listing the versions" />;
  if (!res.data) return <Loading what="versions" />;
  return (
    <>
      {res.error ? <ErrorMessage error={res.error} what="refreshing the versions" /> : null}
      <div class="table-wrap">
        <table class="versions" aria-label="Versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Submitted</th>
              <th scope="col">Stable</th>
              <th scope="col">Changes from the previous version</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v, i) => {
              const prev = versions[i + 1];
              const changes = prev ? diffJobs(prev, v).reduce((n, s) => n + s.fields.length, 0) : undefined;
              return (
                <tr data-version={v.Version}>
                  <th scope="row">
                    Version {v.Version}
                    {v.Version === props.job.Version ? <span class="tag">current</span> : null}
                  </th>
                  <td>
                    <Time ns={v.SubmitTime ?? undefined} />
                  </td>
                  <td>{v.Stable ? <span class="status status-healthy">stable</span> : <span class="muted">no</span>}</td>
                  <td>
                    {changes === undefined ? (
                      <span class="muted">first version</span>
                    ) : (
                      <button type="button" class="linklike" onClick={() => setPick({ from: prev?.Version ?? 0, to: v.Version ?? 0 })}>
                        {changes} {changes === 1 ? 'change' : 'changes'}
                      </button>
                    )}
                  </td>
                  <td>
                    {v.Version !== props.job.Version ? (
                      <ActionButton
                        aria-label={`Revert to version ${v.Version}`}
                        confirm={`Revert ${id} to version ${v.Version}? It is registered again as a new version.`}
                        run={() => api(`/v1/job/${seg(id)}/revert`, { method: 'PUT', body: { JobID: id, JobVersion: v.Version, EnforcePriorVersion: props.job.Version } })}
                        onDone={() => res.reload()}
                      >
                        Revert
                      </ActionButton>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h2 id="diff-h">Compare versions</h2>
      {versions.length < 2 ? (
        <p class="empty">This job has one version: nothing to compare yet.</p>
      ) : (
        <>
          <form class="filters" onSubmit={(e) => e.preventDefault()} aria-labelledby="diff-h">
            <label>
              From version
              <select value={String(from)} onChange={(e) => setPick({ from: Number((e.target as HTMLSelectElement).value), to })}>
                {versions.map((v) => (
                  <option value={String(v.Version)}>{v.Version}</option>
                ))}
              </select>
            </label>
            <label>
              To version
              <select value={String(to)} onChange={(e) => setPick({ from, to: Number((e.target as HTMLSelectElement).value) })}>
                {versions.map((v) => (
                  <option value={String(v.Version)}>{v.Version}</option>
                ))}
              </select>
            </label>
          </form>
          {older && newer ? <Diff sections={diffJobs(older, newer)} from={from} to={to} /> : null}
        </>
      )}
    </>
  );
}

const SIGN: Record<DiffType, string> = { Added: '+', Deleted: '-', Edited: '+/-' };

/** Nomad UI's job diff, as lines: "+/- Meta[owner]: "a" => "b"" under the job, each group and each task. */
function Diff(props: { sections: readonly SectionDiff[]; from: number; to: number }): JSX.Element {
  if (props.from === props.to) return <p class="empty">Pick two different versions.</p>;
  if (props.sections.length === 0) return <p class="empty">Versions {props.from} and {props.to} define the same job.</p>;
  return (
    <div class="job-diff" aria-label={`Changes from version ${props.from} to version ${props.to}`} role="region">
      {props.sections.map((s) => (
        <section class={`diff-section diff-${s.type.toLowerCase()}`}>
          <h3 class="mono">
            <span class="diff-sign">{SIGN[s.type]}</span> {s.title}
            {s.type !== 'Edited' ? <span class="tag">{s.type.toLowerCase()}</span> : null}
          </h3>
          <ul>
            {s.fields.map((f) => (
              <li class={`mono diff-${f.type.toLowerCase()}`} data-field={f.name}>
                <span class="diff-sign" aria-label={f.type.toLowerCase()}>
                  {SIGN[f.type]}
                </span>{' '}
                <span class="diff-name">{f.name}</span>:{' '}
                {f.type === 'Edited' ? (
                  <>
                    <del>{f.old}</del> =&gt; <ins>{f.new}</ins>
                  </>
                ) : f.type === 'Added' ? (
                  <ins>{f.new}</ins>
                ) : (
                  <del>{f.old}</del>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
