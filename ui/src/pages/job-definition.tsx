/**
 * A job's definition (Nomad UI's /ui/jobs/:id/definition): the source the
 * current version was submitted as (GET /v1/job/:id/submission, HCL2 or JSON)
 * and the job's JSON; with ?edit the editor, starting from the submitted source
 * when there is one, else from the JSON.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiJob, ApiJobSubmission } from '../../../src/model/nomad-api/index';
import { ApiError, seg } from '../api';
import { ErrorMessage, Loading } from '../components/common';
import { JobEditor } from '../components/job-editor';
import { useApi } from '../live';
import { navigate, useLocation } from '../router';

/** The job as `job inspect` prints it, without what the server keeps (status, indexes). */
function definitionJson(j: ApiJob): string {
  const { Status: _s, StatusDescription: _sd, Stable: _st, Version: _v, SubmitTime: _t, CreateIndex: _c, ModifyIndex: _m, JobModifyIndex: _jm, ...rest } = j;
  return JSON.stringify({ Job: rest }, null, 2);
}

export function JobDefinition(props: { job: ApiJob }): JSX.Element {
  const j = props.job;
  const id = String(j.ID ?? '');
  const version = j.Version ?? 0;
  const { query } = useLocation();
  const editing = query.has('edit');
  const path = `/v1/job/${seg(id)}/submission?version=${version}`;
  const sub = useApi<ApiJobSubmission>(path);
  const [view, setView] = useState<'source' | 'json'>('source');
  // While a new version's source loads, what the last one answered does not count.
  const error = sub.error?.path === path ? sub.error : undefined;
  const noSource = error instanceof ApiError && error.status === 404;
  const source = sub.data && sub.data.Version === version ? sub.data : undefined;
  const json = definitionJson(j);

  if (!source && !error) return <Loading what="the definition" />;
  if (editing) {
    const back = `/ui/jobs/${seg(id)}/definition`;
    return (
      <section aria-label="Edit the job">
        <p class="muted">
          Editing version {version}
          {source ? ` as submitted (${source.Format === 'json' ? 'JSON' : 'HCL'})` : ' as JSON (it was registered without its source)'}. Run submits it as a new version.
        </p>
        <JobEditor key={`${id}@${version}`} initial={source?.Source ?? json} jobId={id} onRun={() => navigate(`/ui/jobs/${seg(id)}`)} onCancel={() => navigate(back)} />
      </section>
    );
  }
  return (
    <section aria-label="Definition">
      {error && !noSource ? <ErrorMessage error={error} what="reading the submitted source" /> : null}
      {noSource ? (
        <p class="message info">
          Version {version} was registered without its source (through the API without a Submission, or by an older drover), so only its JSON is shown. Jobs run with
          <code> drover job run</code> or from this UI keep their HCL.
        </p>
      ) : null}
      {source ? (
        <div class="segmented" role="group" aria-label="Show the definition as">
          <button type="button" aria-pressed={view === 'source'} onClick={() => setView('source')}>
            {source.Format === 'json' ? 'JSON as submitted' : 'HCL as submitted'}
          </button>
          <button type="button" aria-pressed={view === 'json'} onClick={() => setView('json')}>
            Job JSON
          </button>
        </div>
      ) : null}
      {source && view === 'source' ? (
        <>
          {source.VariableFlags && Object.keys(source.VariableFlags).length > 0 ? (
            <p class="muted">
              Variables set with -var:{' '}
              <code>
                {Object.entries(source.VariableFlags)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(' ')}
              </code>
            </p>
          ) : null}
          <pre class="definition mono" aria-label={`Version ${version} as submitted`} tabIndex={0}>
            {source.Source}
          </pre>
        </>
      ) : (
        <pre class="definition mono" aria-label={`Version ${version} as JSON`} tabIndex={0}>
          {json}
        </pre>
      )}
    </section>
  );
}
