/** Small pieces every page uses: errors, loading, status badges, times, sizes. */
import type { ComponentChildren, JSX } from 'preact';
import { ApiError, getToken } from '../api';
import { Link } from '../router';

/**
 * An API error as a message, never a blank page. A 403 says the token may not do
 * this and where to set another; an unreachable agent says so (the banner retries).
 */
export function ErrorMessage(props: { error: unknown; what?: string }): JSX.Element {
  const e = props.error;
  const what = props.what ? `${props.what}: ` : '';
  if (e instanceof ApiError && e.forbidden) {
    return (
      <div class="message error" role="alert">
        <strong>Not authorized.</strong> {what}{getToken() ? 'your ACL token may not do this' : 'this needs an ACL token'} ({e.message}).{' '}
        <Link href="/ui/settings/tokens">Set a token</Link>
      </div>
    );
  }
  if (e instanceof ApiError && e.status === 404) {
    return (
      <div class="message error" role="alert">
        <strong>Not found.</strong> {what}
        {e.message}
      </div>
    );
  }
  const msg = e instanceof Error ? e.message : String(e);
  return (
    <div class="message error" role="alert">
      <strong>Error.</strong> {what}
      {msg}
    </div>
  );
}

export function Loading(props: { what?: string }): JSX.Element {
  return (
    <p class="loading" aria-busy="true">
      Loading{props.what ? ` ${props.what}` : ''}…
    </p>
  );
}

/** A status word in Nomad's colours (running, pending, dead, failed, complete, …). */
export function Status(props: { value: string | undefined }): JSX.Element {
  const v = props.value ?? 'unknown';
  return <span class={`status status-${v.toLowerCase().replace(/[^a-z]+/g, '-')}`}>{v}</span>;
}

/** One formatter for every exact time: Date.toLocaleString builds one per call (~0.1 ms each, 500 rows add up). */
const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** Nomad's times: unix nanoseconds (or RFC 3339); shown relative, exact in the tooltip. */
export function Time(props: { ns?: number; iso?: string }): JSX.Element {
  const ms = props.ns !== undefined ? props.ns / 1e6 : props.iso ? Date.parse(props.iso) : NaN;
  if (!Number.isFinite(ms) || ms <= 0) return <span>–</span>;
  const d = new Date(ms);
  return (
    <time dateTime={d.toISOString()} title={exact.format(d)}>
      {ago(ms)}
    </time>
  );
}

export function ago(ms: number, now = Date.now()): string {
  const s = Math.round((now - ms) / 1000);
  if (s < 0) return `in ${human(-s)}`;
  if (s < 5) return 'just now';
  return `${human(s)} ago`;
}

function human(s: number): string {
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}

export function bytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export const shortId = (id: string): string => id.slice(0, 8);

export function PageHeader(props: { title: ComponentChildren; children?: ComponentChildren }): JSX.Element {
  return (
    <header class="page-header">
      <h1>{props.title}</h1>
      {props.children ? <div class="actions">{props.children}</div> : null}
    </header>
  );
}

/** Tabs as links (each tab is a URL, so reload and back work). */
export function Tabs(props: { tabs: readonly { href: string; label: string; current: boolean }[] }): JSX.Element {
  return (
    <nav class="tabs" aria-label="Sections">
      {props.tabs.map((t) => (
        <a href={t.href} aria-current={t.current ? 'page' : undefined} class={t.current ? 'current' : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}
