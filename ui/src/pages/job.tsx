/**
 * A job (Nomad UI's /ui/jobs/:id and its tabs): the header with status and the
 * job's actions (stop, start again, purge, edit), then Overview (groups,
 * allocations, children, placement failures), Versions (with a diff),
 * Definition (HCL as submitted and JSON; the editor) and Deployments.
 * Job IDs with "/" (dispatched and periodic children) are one escaped segment.
 */
import type { JSX } from 'preact';
import type { ApiJob, ApiJobSubmission } from '../../../src/model/nomad-api/index';
import { api, ApiError, seg } from '../api';
import { ActionButton } from '../components/action';
import { ErrorMessage, Loading, PageHeader, Status, Tabs } from '../components/common';
import { useApi } from '../live';
import { concernsJob, isTemplateJob, jobStatus } from './job-common';
import { navigate, useLocation } from '../router';
import { JobOverview } from './job-overview';
import { JobVersions } from './job-versions';
import { JobDefinition } from './job-definition';
import { JobDeployments } from './job-deployments';

const TABS = ['overview', 'versions', 'definition', 'deployments'] as const;
type Tab = (typeof TABS)[number];

export function JobPage(props: { id: string; tab: string }): JSX.Element {
  const { id } = props;
  const base = `/ui/jobs/${seg(id)}`;
  const job = useApi<ApiJob>(`/v1/job/${seg(id)}`, { live: ['Job', 'Allocation', 'Deployment'], when: concernsJob(id) });
  // Nomad's job page has an Allocations tab; here the overview lists them.
  const asked = props.tab === 'allocations' ? 'overview' : props.tab;
  const tab = (TABS as readonly string[]).includes(asked) ? (asked as Tab) : undefined;
  const j = job.data;
  const supportsDeployments = j ? (j.Type === 'service' || j.Type === 'system') && !isTemplateJob(j) : false;
  const tabs = TABS.filter((t) => t !== 'deployments' || supportsDeployments).map((t) => ({
    href: t === 'overview' ? base : `${base}/${t}`,
    label: t === 'overview' ? 'Overview' : t[0]?.toUpperCase() + t.slice(1),
    current: t === tab,
  }));

  if (job.error && !j) {
    return (
      <section>
        <PageHeader title={`Job ${id}`} />
        <ErrorMessage error={job.error} what={`reading job ${JSON.stringify(id)}`} />
        <p>
          <a href="/ui/jobs">Back to the jobs</a>
        </p>
      </section>
    );
  }
  return (
    <section class="job-page">
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/ui/jobs">Jobs</a>
        {j?.ParentID ? (
          <>
            {' / '}
            <a href={`/ui/jobs/${seg(j.ParentID)}`}>{j.ParentID}</a>
          </>
        ) : null}
        {' / '}
        <span aria-current="page">{id}</span>
      </nav>
      <PageHeader
        title={
          <>
            {j?.Name ?? id} {j ? <Status value={jobStatus(j)} /> : null}
          </>
        }
      >
        {j ? <JobActions job={j} reload={() => job.reload()} /> : null}
      </PageHeader>
      {job.error ? <ErrorMessage error={job.error} what="refreshing the job" /> : null}
      <Tabs tabs={tabs} />
      {!j ? <Loading what="the job" /> : null}
      {j && tab === 'overview' ? <JobOverview job={j} /> : null}
      {j && tab === 'versions' ? <JobVersions job={j} /> : null}
      {j && tab === 'definition' ? <JobDefinition job={j} /> : null}
      {j && tab === 'deployments' ? <JobDeployments jobId={id} /> : null}
      {j && !tab ? <ErrorMessage error={new Error(`This job has no "${props.tab}" tab.`)} /> : null}
    </section>
  );
}

/** Stop (or Start for a stopped job), Purge and Edit, as Nomad UI's job title bar. */
function JobActions(props: { job: ApiJob; reload: () => void }): JSX.Element {
  const j = props.job;
  const id = String(j.ID ?? '');
  const path = `/v1/job/${seg(id)}`;
  useLocation(); // re-render on navigation (the Edit link hides in the editor)
  const editing = location.pathname.endsWith('/definition') && new URLSearchParams(location.search).has('edit');
  return (
    <>
      {!editing ? (
        <a class="button" href={`/ui/jobs/${seg(id)}/definition?edit=1`}>
          Edit
        </a>
      ) : null}
      {j.Stop ? (
        <ActionButton run={() => startJob(j)} onDone={props.reload}>
          Start
        </ActionButton>
      ) : (
        <ActionButton danger confirm={`Stop job ${id}? Its allocations are stopped.`} run={() => api(path, { method: 'DELETE' })} onDone={props.reload}>
          Stop
        </ActionButton>
      )}
      <ActionButton danger confirm={`Purge job ${id}? It is stopped and removed with its versions and history.`} run={() => api(`${path}?purge=true`, { method: 'DELETE' })} onDone={() => navigate('/ui/jobs')}>
        Purge
      </ActionButton>
    </>
  );
}

/** Nomad UI's Start: the stopped version registered again with Stop=false, with its source when it has one. */
async function startJob(j: ApiJob): Promise<unknown> {
  const id = String(j.ID ?? '');
  let submission: ApiJobSubmission | undefined;
  try {
    const s = await api<ApiJobSubmission>(`/v1/job/${seg(id)}/submission?version=${j.Version ?? 0}`);
    // Sent query-escaped, as Nomad's api client canonicalizes VariableFlags (the GET unescaped them).
    const flags = Object.entries(s.VariableFlags ?? {}).map(([k, v]): [string, string] => [k, encodeURIComponent(v).replace(/%20/g, '+')]);
    submission = { Source: s.Source, Format: s.Format, VariableFlags: flags.length > 0 ? Object.fromEntries(flags) : null, Variables: s.Variables ?? '' };
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
  return api(`/v1/job/${seg(id)}`, { method: 'POST', body: { Job: { ...j, Stop: false }, ...(submission ? { Submission: submission } : {}) } });
}
