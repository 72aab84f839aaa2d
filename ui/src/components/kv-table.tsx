/** A sorted two-column table of string pairs (attributes, meta), with a filter when long. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';

export function KeyValueTable(props: { label: string; data: Record<string, string> | null | undefined }): JSX.Element {
  const [filter, setFilter] = useState('');
  const all = Object.entries(props.data ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const needle = filter.toLowerCase();
  const shown = all.filter(([k, v]) => needle === '' || k.toLowerCase().includes(needle) || v.toLowerCase().includes(needle));
  return (
    <div class="kv">
      {all.length > 12 ? (
        <label class="kv-filter">
          Filter {props.label.toLowerCase()}
          <input type="search" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        </label>
      ) : null}
      <div class="table-wrap">
        <table class="kv-table" aria-label={props.label}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(([k, v]) => (
              <tr key={k}>
                <th scope="row" class="mono">
                  {k}
                </th>
                <td class="mono">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
