/**
 * Pages of a long list, as Nomad's UI pages its lists: 25 rows by default, the size
 * chosen kept in local storage under Nomad UI's key (nomadPageSize), the page in the
 * URL (?page=N) so reload and back keep it. A page holds few rows, so a node with
 * hundreds of jobs renders as fast as one with ten.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { setQuery } from '../router';

const SIZES = [10, 25, 50, 100];
const SIZE_KEY = 'nomadPageSize';

function storedSize(): number {
  try {
    const n = Number(localStorage.getItem(SIZE_KEY));
    return SIZES.includes(n) ? n : 25;
  } catch {
    return 25;
  }
}

export interface Paged<T> {
  readonly rows: readonly T[];
  readonly page: number;
  readonly pages: number;
  readonly size: number;
  readonly first: number;
  readonly last: number;
  readonly total: number;
  setSize(n: number): void;
}

/** The rows of page `?page=` (1-based, clamped) of `all`. */
export function usePage<T>(all: readonly T[], pageParam: string | null): Paged<T> {
  const [size, setSizeState] = useState(storedSize);
  const total = all.length;
  const pages = Math.max(1, Math.ceil(total / size));
  const asked = Number(pageParam ?? '1');
  const page = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, pages) : 1;
  const start = (page - 1) * size;
  return {
    rows: all.slice(start, start + size),
    page,
    pages,
    size,
    first: total === 0 ? 0 : start + 1,
    last: Math.min(start + size, total),
    total,
    setSize: (n) => {
      try {
        localStorage.setItem(SIZE_KEY, String(n));
      } catch {
        // Private windows may refuse storage: the size still applies to this page.
      }
      setSizeState(n);
      setQuery('page', undefined);
    },
  };
}

export function Pagination(props: { paged: Paged<unknown>; label: string }): JSX.Element | null {
  const p = props.paged;
  if (p.total === 0) return null;
  const go = (n: number) => setQuery('page', n <= 1 ? undefined : String(n));
  return (
    <nav class="pagination" aria-label={`${props.label} pages`}>
      <label class="page-size">
        Per page
        <select value={String(p.size)} onChange={(e) => p.setSize(Number((e.target as HTMLSelectElement).value))}>
          {SIZES.map((s) => (
            <option value={String(s)}>{s}</option>
          ))}
        </select>
      </label>
      <span class="page-range" aria-live="polite">
        {p.first}–{p.last} of {p.total}
      </span>
      <span class="page-buttons">
        <button type="button" onClick={() => go(1)} disabled={p.page <= 1} aria-label="First page">
          «
        </button>
        <button type="button" onClick={() => go(p.page - 1)} disabled={p.page <= 1} aria-label="Previous page">
          ‹
        </button>
        <button type="button" onClick={() => go(p.page + 1)} disabled={p.page >= p.pages} aria-label="Next page">
          ›
        </button>
        <button type="button" onClick={() => go(p.pages)} disabled={p.page >= p.pages} aria-label="Last page">
          »
        </button>
      </span>
    </nav>
  );
}
