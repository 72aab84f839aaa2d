/**
 * The jobs list (Nomad UI's /ui/jobs): name, type, status, allocations by state,
 * submit time; search and filters live in the URL; updates from the event stream.
 * Dispatched and periodic children are listed on their parent's page, as in Nomad.
 */
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { ApiJobListStub, ApiTaskGroupSummary } from '../../../src/model/nomad-api/index';
import { seg } from '../api';
import { ErrorMessage, Loading, PageHeader, Status, Time } from '../components/common';
import { Pagination, usePage } from '../components/pagination';
import { useApi } from '../live';
import { setQuery, useLocation } from '../router';

const STATES = ['Queued', 'Starting', 'Running', 'Failed', 'Complete', 'Lost'] as const;
const TYPES = ['service', 'batch', 'system', 'sysbatch'];
const STATUSES = ['pending', 'running', 'dead'];

export function JobsPage(): JSX.Element {
  const { query } = useLocation();
  const jobs = useApi<ApiJobListStub[]>('/v1/jobs', { live: ['Job', 'Allocation'] });
  const search = query.get('search') ?? '';
  const type = query.get('type') ?? '';
  const status = query.get('status') ?? '';

  const shown = useMemo(() => {
    const needle = search.toLowerCase();
    return (jobs.data ?? [])
      .filter((j) => !j.ParentID)
      .filter((j) => (needle === '' || j.ID.toLowerCase().includes(needle) || j.Name.toLowerCase().includes(needle)) && (type === '' || j.Type === type) && (status === '' || j.Status === status))
      .sort((a, b) => b.SubmitTime - a.SubmitTime || a.ID.localeCompare(b.ID));
  }, [jobs.data, search, type, status]);
  const paged = usePage(shown, query.get('page'));
  // A new filter starts again at its first page.
  const filter = (key: string, value: string) => {
    setQuery('page', undefined);
    setQuery(key, value);
  };

  return (
    <section>
      <PageHeader title="Jobs">
        <a class="button primary" href="/ui/jobs/run">
          Run Job
        </a>
      </PageHeader>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" value={search} placeholder="job name or ID" onInput={(e) => filter('search', (e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Type
          <select value={type} onChange={(e) => filter('type', (e.target as HTMLSelectElement).value)}>
            <option value="">all</option>
            {TYPES.map((t) => (
              <option value={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => filter('status', (e.target as HTMLSelectElement).value)}>
            <option value="">all</option>
            {STATUSES.map((t) => (
              <option value={t}>{t}</option>
            ))}
          </select>
        </label>
      </form>
      {jobs.error ? <ErrorMessage error={jobs.error} what="listing jobs" /> : null}
      {jobs.data === undefined && !jobs.error ? <Loading what="jobs" /> : null}
      {jobs.data !== undefined && shown.length === 0 ? (
        <p class="empty">{jobs.data.length === 0 ? 'No jobs yet: run one with the button above or `drover job run`.' : 'No job matches these filters.'}</p>
      ) : null}
      {shown.length > 0 ? (
        <div class="table-wrap">
          <table class="jobs">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Allocations</th>
                <th scope="col">Submitted</th>
              </tr>
            </thead>
            <tbody>
              {paged.rows.map((j) => (
                <tr key={j.ID} data-job={j.ID}>
                  <td>
                    <a href={`/ui/jobs/${seg(j.ID)}`}>{j.Name}</a>
                    {j.Periodic ? <span class="tag">periodic</span> : null}
                    {j.ParameterizedJob ? <span class="tag">parameterized</span> : null}
                  </td>
                  <td>{j.Type}</td>
                  <td>
                    <Status value={j.Stop && j.Status !== 'dead' ? 'stopped' : j.Status} />
                  </td>
                  <td>
                    <AllocCounts summary={j.JobSummary?.Summary} children={j.JobSummary?.Children ?? undefined} />
                  </td>
                  <td>
                    <Time ns={j.SubmitTime} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pagination paged={paged} label="Jobs" />
    </section>
  );
}

/** Allocation counts by state summed over the groups (children counts for periodic/parameterized parents). */
export function AllocCounts(props: { summary: Record<string, ApiTaskGroupSummary> | undefined; children?: { Pending: number; Running: number; Dead: number } | null }): JSX.Element {
  const c = props.children;
  if (c && c.Pending + c.Running + c.Dead > 0) {
    return (
      <span class="counts" aria-label={`children: ${c.Pending} pending, ${c.Running} running, ${c.Dead} dead`}>
        <span class="count count-pending">{c.Pending} pending</span> <span class="count count-running">{c.Running} running</span> <span class="count count-complete">{c.Dead} dead</span>
      </span>
    );
  }
  const totals = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<(typeof STATES)[number], number>;
  for (const g of Object.values(props.summary ?? {})) for (const s of STATES) totals[s] += g[s] ?? 0;
  const parts = STATES.filter((s) => totals[s] > 0);
  if (parts.length === 0) return <span class="counts muted">none</span>;
  return (
    <span class="counts" aria-label={parts.map((s) => `${totals[s]} ${s.toLowerCase()}`).join(', ')}>
      {parts.map((s) => (
        <span class={`count count-${s.toLowerCase()}`}>
          {totals[s]} {s.toLowerCase()}
        </span>
      ))}
    </span>
  );
}
