/**
 * Nomad-provider services (Nomad UI's /ui/services): the service names with
 * their tags, and one service's instances (address, allocation, job, node,
 * tags) with each instance's checks: passing, failing or pending with the
 * output. Registrations follow the event stream (topic Service); the check
 * results, which have no events, are polled every 5 s per allocation.
 */
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { ApiAllocCheckStatus, ApiAllocCheckStatuses, ApiServiceRegistration, ApiServiceRegistrationListStub } from '../../../src/model/nomad-api/index';
import { seg } from '../api';
import { ErrorMessage, Loading, PageHeader, Status, Time, shortId } from '../components/common';
import { useApi } from '../live';
import { setQuery, useLocation } from '../router';

export function ServicesPage(): JSX.Element {
  const { query } = useLocation();
  const search = query.get('search') ?? '';
  const list = useApi<ApiServiceRegistrationListStub[]>('/v1/services?namespace=*', { live: ['Service'] });
  const rows = useMemo(() => {
    const needle = search.toLowerCase();
    return (list.data ?? [])
      .flatMap((ns) => ns.Services.map((s) => ({ ns: ns.Namespace, ...s })))
      .filter((s) => needle === '' || s.ServiceName.toLowerCase().includes(needle) || s.Tags.some((t) => t.toLowerCase().includes(needle)))
      .sort((a, b) => a.ServiceName.localeCompare(b.ServiceName) || a.ns.localeCompare(b.ns));
  }, [list.data, search]);
  return (
    <section>
      <PageHeader title="Services" />
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" value={search} placeholder="service name or tag" onInput={(e) => setQuery('search', (e.target as HTMLInputElement).value)} />
        </label>
      </form>
      {list.error ? <ErrorMessage error={list.error} what="listing services" /> : null}
      {list.data === undefined && !list.error ? <Loading what="services" /> : null}
      {list.data !== undefined && rows.length === 0 ? <p class="empty">{search ? 'No service matches.' : 'No services registered: a job registers them with service { provider = "nomad" }.'}</p> : null}
      {rows.length > 0 ? (
        <div class="table-wrap">
          <table class="services">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Namespace</th>
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={`${s.ns}/${s.ServiceName}`} data-service={s.ServiceName}>
                  <td>
                    <a href={`/ui/services/${seg(s.ServiceName)}${s.ns !== 'default' ? `?namespace=${seg(s.ns)}` : ''}`}>{s.ServiceName}</a>
                  </td>
                  <td>{s.ns}</td>
                  <td>
                    <Tags tags={s.Tags} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function Tags(props: { tags: readonly string[] | null | undefined }): JSX.Element {
  const tags = props.tags ?? [];
  if (tags.length === 0) return <span class="muted">none</span>;
  return (
    <span class="tags">
      {tags.map((t) => (
        <span class="tag">{t}</span>
      ))}
    </span>
  );
}

export function ServicePage(props: { name: string }): JSX.Element {
  const { query } = useLocation();
  const ns = query.get('namespace') ?? 'default';
  const regs = useApi<ApiServiceRegistration[]>(`/v1/service/${seg(props.name)}?namespace=${seg(ns)}`, { live: ['Service'] });
  const instances = useMemo(() => [...(regs.data ?? [])].sort((a, b) => a.JobID.localeCompare(b.JobID) || a.AllocID.localeCompare(b.AllocID) || a.Port - b.Port), [regs.data]);
  return (
    <section>
      <PageHeader title={`Service ${props.name}`} />
      <p class="muted">
        <a href="/ui/services">All services</a> · namespace {ns}
      </p>
      {regs.error ? <ErrorMessage error={regs.error} what="reading the service" /> : null}
      {regs.data === undefined && !regs.error ? <Loading what="the service" /> : null}
      {regs.data !== undefined && instances.length === 0 ? <p class="empty">No instance of {props.name} is registered.</p> : null}
      {instances.length > 0 ? (
        <>
          <h2>
            {instances.length} instance{instances.length === 1 ? '' : 's'}
          </h2>
          <ul class="instances">
            {instances.map((r) => (
              <Instance key={r.ID} reg={r} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

const CHECK_STATUS: Record<string, string> = { success: 'passing', failure: 'failing', pending: 'pending' };

function Instance(props: { reg: ApiServiceRegistration }): JSX.Element {
  const r = props.reg;
  const checks = useApi<ApiAllocCheckStatuses>(`/v1/client/allocation/${seg(r.AllocID)}/checks`, { pollMs: 5000, live: ['Service'] });
  const mine = useMemo(() => Object.values(checks.data ?? {}).filter((c) => c.Service === r.ServiceName).sort((a, b) => a.Check.localeCompare(b.Check)), [checks.data, r.ServiceName]);
  const health = mine.length === 0 ? undefined : mine.some((c) => c.Status === 'failure') ? 'failing' : mine.every((c) => c.Status === 'success') ? 'passing' : 'pending';
  const addr = r.Address.includes(':') ? `[${r.Address}]:${r.Port}` : `${r.Address}:${r.Port}`;
  return (
    <li class="instance" data-instance={r.ID}>
      <div class="instance-head">
        <strong class="mono">{addr}</strong>
        {health ? <Status value={health} /> : <span class="muted">no checks</span>}
      </div>
      <dl class="facts">
        <dt>Allocation</dt>
        <dd>
          <a class="mono" href={`/ui/allocations/${seg(r.AllocID)}`}>
            {shortId(r.AllocID)}
          </a>
        </dd>
        <dt>Job</dt>
        <dd>
          <a href={`/ui/jobs/${seg(r.JobID)}`}>{r.JobID}</a>
        </dd>
        <dt>Client</dt>
        <dd>
          <a class="mono" href={`/ui/clients/${seg(r.NodeID)}`}>
            {shortId(r.NodeID)}
          </a>{' '}
          <span class="muted">({r.Datacenter})</span>
        </dd>
        <dt>Tags</dt>
        <dd>
          <Tags tags={r.Tags} />
        </dd>
      </dl>
      {checks.error && !checks.data ? <ErrorMessage error={checks.error} what="reading the checks" /> : null}
      {mine.length > 0 ? <Checks checks={mine} service={r.ServiceName} /> : null}
    </li>
  );
}

function Checks(props: { checks: readonly ApiAllocCheckStatus[]; service: string }): JSX.Element {
  return (
    <div class="table-wrap">
      <table class="checks" aria-label={`Checks of ${props.service}`}>
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Status</th>
            <th scope="col">Mode</th>
            <th scope="col">Output</th>
            <th scope="col">Checked</th>
          </tr>
        </thead>
        <tbody>
          {props.checks.map((c) => (
            <tr key={c.ID} data-check={c.Check}>
              <th scope="row">
                {c.Check}
                {c.Task ? <span class="tag">task {c.Task}</span> : null}
              </th>
              <td>
                <Status value={CHECK_STATUS[c.Status] ?? c.Status} />
                {c.StatusCode ? <span class="muted"> HTTP {c.StatusCode}</span> : null}
              </td>
              <td>{c.Mode}</td>
              <td>
                <pre class="check-output">{c.Output || '–'}</pre>
              </td>
              <td>
                <Time ns={c.Timestamp * 1e9} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
