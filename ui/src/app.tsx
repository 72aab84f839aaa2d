/** The layout (navigation, connection banner) and the route table on Nomad UI's URLs. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { connection } from './api';
import { match, navigate, useLocation, type Route } from './router';
import { JobsPage } from './pages/jobs';
import { TokenBadge } from './components/token';
import { lazyPage } from './components/lazy-page';

// The landing page is in the entry bundle; every other page loads on its first visit.
const JobPage = lazyPage(() => import('./pages/job').then((m) => m.JobPage));
const JobRunPage = lazyPage(() => import('./pages/job-run').then((m) => m.JobRunPage));
const AllocationPage = lazyPage(() => import('./pages/allocation').then((m) => m.AllocationPage));
const ClientsPage = lazyPage(() => import('./pages/client').then((m) => m.ClientsPage));
const ClientPage = lazyPage(() => import('./pages/client').then((m) => m.ClientPage));
const ServicesPage = lazyPage(() => import('./pages/services').then((m) => m.ServicesPage));
const ServicePage = lazyPage(() => import('./pages/services').then((m) => m.ServicePage));
const VariablesPage = lazyPage(() => import('./pages/variables').then((m) => m.VariablesPage));
const VariablePage = lazyPage(() => import('./pages/variables').then((m) => m.VariablePage));
const TokensPage = lazyPage(() => import('./pages/tokens').then((m) => m.TokensPage));

const routes: readonly Route[] = [
  { pattern: '/ui/jobs', view: () => <JobsPage /> },
  { pattern: '/ui/jobs/run', view: () => <JobRunPage /> },
  { pattern: '/ui/jobs/:id', view: (p) => <JobPage id={jobId(p.id as string)} tab="overview" /> },
  { pattern: '/ui/jobs/:id/:tab', view: (p) => <JobPage id={jobId(p.id as string)} tab={p.tab as string} /> },
  { pattern: '/ui/allocations/:id', view: (p) => <AllocationPage id={p.id as string} rest="" /> },
  { pattern: '/ui/allocations/:id/:rest*', view: (p) => <AllocationPage id={p.id as string} rest={p.rest as string} /> },
  { pattern: '/ui/clients', view: () => <ClientsPage /> },
  { pattern: '/ui/clients/:id', view: (p) => <ClientPage id={p.id as string} /> },
  { pattern: '/ui/services', view: () => <ServicesPage /> },
  { pattern: '/ui/services/:name', view: (p) => <ServicePage name={p.name as string} /> },
  { pattern: '/ui/variables', view: () => <VariablesPage /> },
  { pattern: '/ui/variables/new', view: () => <VariablePage path="" /> },
  { pattern: '/ui/variables/var/:path*', view: (p) => <VariablePage path={p.path as string} /> },
  { pattern: '/ui/settings/tokens', view: () => <TokensPage /> },
];

/**
 * Nomad's UI links a job as "<id>@<namespace>" (/ui/jobs/example@default); the name is
 * what precedes the last "@", as Nomad's job route reads it, so such links work here too.
 */
function jobId(param: string): string {
  const at = param.lastIndexOf('@');
  return at > 0 ? param.slice(0, at) : param;
}

const nav = [
  { href: '/ui/jobs', label: 'Jobs' },
  { href: '/ui/clients', label: 'Clients' },
  { href: '/ui/services', label: 'Services' },
  { href: '/ui/variables', label: 'Variables' },
  { href: '/ui/settings/tokens', label: 'ACL Tokens' },
];

export function App(): JSX.Element {
  const { path } = useLocation();
  if (path === '/ui' || path === '/ui/') {
    navigate('/ui/jobs', true);
    return <Layout path="/ui/jobs" />;
  }
  return <Layout path={path} />;
}

function Layout(props: { path: string }): JSX.Element {
  let view: JSX.Element | undefined;
  for (const r of routes) {
    const params = match(r.pattern, props.path);
    if (params) {
      view = r.view(params);
      break;
    }
  }
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/ui/jobs">
          drover
        </a>
        <nav aria-label="Main">
          {nav.map((n) => (
            <a href={n.href} aria-current={props.path.startsWith(n.href) ? 'page' : undefined}>
              {n.label}
              {n.href === '/ui/settings/tokens' ? <TokenBadge /> : null}
            </a>
          ))}
        </nav>
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        {view ?? <NotFound path={props.path} />}
      </main>
    </>
  );
}

function NotFound(props: { path: string }): JSX.Element {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        Nothing lives at <code>{props.path}</code>. <a href="/ui/jobs">Go to the jobs</a>.
      </p>
    </section>
  );
}

/** Shown while the agent cannot be reached; the pages keep their last data and retry. */
function ConnectionBanner(): JSX.Element | null {
  const [up, setUp] = useState(connection.up);
  useEffect(() => connection.subscribe(setUp), []);
  useEffect(() => {
    if (up) return;
    // Probe until the agent answers; a success anywhere clears the banner and pages reload.
    const t = setInterval(() => void fetch('/v1/agent/health').then(() => connection.report(true), () => undefined), 2000);
    return () => clearInterval(t);
  }, [up]);
  if (up) return null;
  return (
    <div class="banner offline" role="status" aria-live="polite">
      The connection to the agent was lost. Retrying… (what is shown may be out of date)
    </div>
  );
}
