/**
 * A small history router on Nomad UI's URLs (/ui/jobs/<id>, /ui/allocations/<id>, …).
 * Same-origin links under /ui/ are followed without a page load; the agent serves
 * the app for every /ui/* path, so a direct load or a reload lands on the same page.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((fn) => fn());
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => listeners.forEach((fn) => fn()));

// Plain <a href="/ui/..."> clicks stay in the app (modifier clicks still open a new tab).
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith('/ui/')) return;
  // An in-page anchor (the "Skip to content" link) is the browser's: it scrolls and moves focus there.
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
  e.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});

/** The current location; re-renders on navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, tick] = useState(0);
  useEffect(() => {
    const fn = () => tick((n) => n + 1);
    listeners.add(fn);
    return () => listeners.delete(fn);
  }, []);
  return { path: decodeURI(location.pathname), query: new URLSearchParams(location.search) };
}

/** Sets one query parameter (filters, tabs) without a new history entry. */
export function setQuery(key: string, value: string | undefined): void {
  const q = new URLSearchParams(location.search);
  if (value === undefined || value === '') q.delete(key);
  else q.set(key, value);
  const s = q.toString();
  navigate(location.pathname + (s ? `?${s}` : ''), true);
}

export interface Route {
  /** e.g. "/ui/jobs/:id"; a final ":rest*" takes the remaining path (IDs with "/"). */
  readonly pattern: string;
  readonly view: (params: Record<string, string>) => JSX.Element;
}

/** Matches `path` against `pattern`; the params, or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/').filter(Boolean);
  const s = path.replace(/\/+$/, '').split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i] as string;
    if (part.startsWith(':') && part.endsWith('*')) {
      if (i >= s.length) return undefined;
      params[part.slice(1, -1)] = s.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    const got = s[i];
    if (got === undefined) return undefined;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(got);
    else if (part !== got) return undefined;
  }
  return p.length === s.length ? params : undefined;
}

export function Link(props: { href: string; class?: string; children: ComponentChildren; 'aria-label'?: string }): JSX.Element {
  return (
    <a href={props.href} class={props.class} aria-label={props['aria-label']}>
      {props.children}
    </a>
  );
}
