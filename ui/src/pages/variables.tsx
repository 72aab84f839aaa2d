/**
 * Variables (Nomad UI's /ui/variables): the list, one variable with its items
 * (values hidden until shown), and the create/edit form with check-and-set:
 * a save sends ?cas=<the ModifyIndex it was loaded at> (0 for a new one), so
 * a change made meanwhile by someone else is answered 409 with their version;
 * the form then says so, keeps the edits, and offers to reload theirs or
 * overwrite with these. URLs as Nomad's: /ui/variables/var/<path>@<namespace>
 * and …/edit.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiVariable, ApiVariableMetadata } from '../../../src/model/nomad-api/index';
import { api, ApiError, seg } from '../api';
import { ActionButton } from '../components/action';
import { ErrorMessage, Loading, PageHeader, Time } from '../components/common';
import { useApi } from '../live';
import { navigate, setQuery, useLocation } from '../router';

/** The API path of a variable (each path segment escaped). */
const varApi = (path: string, ns: string, cas?: number): string =>
  `/v1/var/${path.split('/').map(seg).join('/')}?namespace=${seg(ns)}${cas !== undefined ? `&cas=${cas}` : ''}`;

/** The UI's URL of a variable: /ui/variables/var/<path>@<namespace> (paths cannot hold "@"). */
export const varUrl = (path: string, ns: string, edit = false): string => `/ui/variables/var/${path.split('/').map(seg).join('/')}@${seg(ns)}${edit ? '/edit' : ''}`;

export function VariablesPage(): JSX.Element {
  const { query } = useLocation();
  const search = query.get('search') ?? '';
  const vars = useApi<ApiVariableMetadata[]>('/v1/vars?namespace=*', { live: ['Variable'] });
  const shown = useMemo(() => {
    const needle = search.toLowerCase();
    return (vars.data ?? []).filter((v) => needle === '' || v.Path.toLowerCase().includes(needle)).sort((a, b) => a.Path.localeCompare(b.Path) || a.Namespace.localeCompare(b.Namespace));
  }, [vars.data, search]);
  return (
    <section>
      <PageHeader title="Variables">
        <a class="button primary" href="/ui/variables/new">
          Create Variable
        </a>
      </PageHeader>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" value={search} placeholder="path" onInput={(e) => setQuery('search', (e.target as HTMLInputElement).value)} />
        </label>
      </form>
      {vars.error ? <ErrorMessage error={vars.error} what="listing variables" /> : null}
      {vars.data === undefined && !vars.error ? <Loading what="variables" /> : null}
      {vars.data !== undefined && shown.length === 0 ? <p class="empty">{vars.data.length === 0 ? 'No variables yet: create one with the button above or `drover var put`.' : 'No variable matches.'}</p> : null}
      {shown.length > 0 ? (
        <div class="table-wrap">
          <table class="variables">
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col">Namespace</th>
                <th scope="col">Last modified</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((v) => (
                <tr key={`${v.Namespace}/${v.Path}`} data-var={v.Path}>
                  <td>
                    <a class="mono" href={varUrl(v.Path, v.Namespace)}>
                      {v.Path}
                    </a>
                    {v.Lock ? <span class="tag">locked</span> : null}
                  </td>
                  <td>{v.Namespace}</td>
                  <td>
                    <Time ns={v.ModifyTime} />
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

/** "<path>@<ns>[/edit]" from the route → its parts. */
function parseId(raw: string): { path: string; ns: string; edit: boolean } {
  let s = raw;
  let edit = false;
  const at = s.lastIndexOf('@');
  if (at >= 0 && s.endsWith('/edit') && s.indexOf('/', at) === s.length - 5) {
    edit = true;
    s = s.slice(0, -5);
  }
  const i = s.lastIndexOf('@');
  if (i < 0) return { path: s, ns: 'default', edit };
  return { path: s.slice(0, i), ns: s.slice(i + 1) || 'default', edit };
}

export function VariablePage(props: { path: string }): JSX.Element {
  if (props.path === '') return <VariableForm />;
  const { path, ns, edit } = parseId(props.path);
  return <VariableView key={`${ns}/${path}/${String(edit)}`} path={path} ns={ns} edit={edit} />;
}

function VariableView(props: { path: string; ns: string; edit: boolean }): JSX.Element {
  const v = useApi<ApiVariable>(varApi(props.path, props.ns), { live: props.edit ? [] : ['Variable'], when: (e) => e.Key === props.path });
  if (v.error && !v.data) {
    return (
      <section>
        <PageHeader title={props.path} />
        <ErrorMessage error={v.error} what={`reading variable ${props.path}`} />
        <p>
          <a href="/ui/variables">All variables</a>
        </p>
      </section>
    );
  }
  if (!v.data) return <Loading what="the variable" />;
  if (v.error?.status === 404 && !props.edit) {
    return (
      <section>
        <PageHeader title={<span class="mono">{props.path}</span>} />
        <p class="message info" role="status">
          This variable was deleted. <a href="/ui/variables">All variables</a>
        </p>
      </section>
    );
  }
  if (props.edit) return <VariableForm existing={v.data} />;
  return <VariableDetails v={v.data} />;
}

function VariableDetails(props: { v: ApiVariable }): JSX.Element {
  const v = props.v;
  const [shown, setShown] = useState<ReadonlySet<string>>(new Set());
  // In the order they were written, as Nomad's UI shows them.
  const items = Object.entries(v.Items ?? {});
  const all = items.length > 0 && items.every(([k]) => shown.has(k));
  const toggle = (k: string) =>
    setShown((s) => {
      const n = new Set(s);
      if (n.has(k)) n.delete(k);
      else n.add(k);
      return n;
    });
  return (
    <section class="variable">
      <PageHeader title={<span class="mono">{v.Path}</span>}>
        <a class="button" href={varUrl(v.Path, v.Namespace, true)}>
          Edit
        </a>
        <ActionButton
          danger
          confirm={`Delete variable ${v.Path}? This cannot be undone.`}
          run={() => api(varApi(v.Path, v.Namespace, v.ModifyIndex), { method: 'DELETE' }).catch((err: unknown) => Promise.reject(conflictError(err, 'deleted')))}
          onDone={() => navigate('/ui/variables')}
        >
          Delete
        </ActionButton>
      </PageHeader>
      <p class="muted">
        <a href="/ui/variables">All variables</a> · namespace {v.Namespace} · modified <Time ns={v.ModifyTime} /> · created <Time ns={v.CreateTime} /> · index {v.ModifyIndex}
        {v.Lock ? ' · locked' : ''}
      </p>
      <div class="items-head">
        <h2>Items</h2>
        {items.length > 0 ? (
          <button type="button" onClick={() => setShown(all ? new Set() : new Set(items.map(([k]) => k)))}>
            {all ? 'Hide all values' : 'Show all values'}
          </button>
        ) : null}
      </div>
      {v.Items === undefined ? <p class="empty">The items are not readable with this token.</p> : null}
      {items.length > 0 ? (
        <div class="table-wrap">
          <table class="items">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {items.map(([k, val]) => (
                <tr key={k} data-item={k}>
                  <th scope="row" class="mono">
                    {k}
                  </th>
                  <td>
                    <span class="item-value">
                      <button type="button" class="reveal" aria-pressed={shown.has(k)} aria-label={`${shown.has(k) ? 'Hide' : 'Show'} value of ${k}`} onClick={() => toggle(k)}>
                        {shown.has(k) ? 'Hide' : 'Show'}
                      </button>
                      {shown.has(k) ? <pre class="value">{val}</pre> : <span class="masked" aria-label="hidden value">••••••••</span>}
                    </span>
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

/** A 409 as a message naming the conflict. */
function conflictError(err: unknown, verb: string): unknown {
  if (err instanceof ApiError && err.status === 409) {
    const theirs = parseVariable(err.message);
    return new Error(`Someone else changed this variable${theirs ? ` (now at index ${theirs.ModifyIndex})` : ''} after it was loaded, so it was not ${verb}. Reload the page to see their version.`);
  }
  return err;
}

function parseVariable(body: string): ApiVariable | undefined {
  try {
    const v = JSON.parse(body) as ApiVariable;
    return typeof v === 'object' && v !== null && typeof v.ModifyIndex === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

interface Row {
  readonly id: number;
  key: string;
  value: string;
}

let rowIds = 0;
const toRows = (items: Record<string, string> | undefined): Row[] => {
  const r = Object.entries(items ?? {}).map(([key, value]) => ({ id: ++rowIds, key, value }));
  return r.length > 0 ? r : [{ id: ++rowIds, key: '', value: '' }];
};

/** Create (no `existing`) or edit a variable. */
function VariableForm(props: { existing?: ApiVariable }): JSX.Element {
  const ex = props.existing;
  const [path, setPath] = useState(ex?.Path ?? '');
  const [ns, setNs] = useState(ex?.Namespace ?? 'default');
  const [rows, setRows] = useState<Row[]>(() => toRows(ex?.Items));
  /** The index the edits are based on: the save's check-and-set. */
  const [base, setBase] = useState(ex?.ModifyIndex ?? 0);
  const [showValues, setShowValues] = useState(false);
  const [busy, setBusy] = useState(false);
  const [pathError, setPathError] = useState<string | undefined>(undefined);
  const [formError, setFormError] = useState<unknown>(undefined);
  const [conflict, setConflict] = useState<ApiVariable | undefined>(undefined);
  const pathRef = useRef<HTMLInputElement>(null);
  const conflictRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (pathError) pathRef.current?.focus();
  }, [pathError]);
  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  const update = (id: number, field: 'key' | 'value', val: string) => setRows((rs) => rs.map((r) => (r.id === id ? { ...r, [field]: val } : r)));
  const keys = rows.map((r) => r.key.trim());
  const dup = keys.find((k, i) => k !== '' && keys.indexOf(k) !== i);

  const save = async (cas: number) => {
    setFormError(undefined);
    setPathError(undefined);
    const p = path.trim().replace(/^\/+|\/+$/g, '');
    if (p === '') {
      setPathError('A path is required.');
      return;
    }
    const items: Record<string, string> = {};
    for (const r of rows) if (r.key.trim() !== '') items[r.key.trim()] = r.value;
    if (Object.keys(items).length === 0) {
      setFormError(new Error('A variable needs at least one item with a key.'));
      return;
    }
    if (dup) {
      setFormError(new Error(`The key "${dup}" is used twice.`));
      return;
    }
    setBusy(true);
    try {
      const saved = await api<ApiVariable>(varApi(p, ns || 'default', cas), { method: 'PUT', body: { Namespace: ns || 'default', Path: p, Items: items } });
      setConflict(undefined);
      navigate(varUrl(saved.Path, saved.Namespace));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setConflict(parseVariable(err.message) ?? ({ ModifyIndex: cas, Path: p, Namespace: ns } as ApiVariable));
      } else if (err instanceof ApiError && err.status === 400 && /path/i.test(err.message)) {
        setPathError(err.message);
      } else {
        setFormError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const reloadTheirs = () => {
    if (!conflict) return;
    if (conflict.Items !== undefined) setRows(toRows(conflict.Items));
    setBase(conflict.ModifyIndex);
    setConflict(undefined);
  };

  const title = ex ? (
    <>
      Edit <span class="mono">{ex.Path}</span>
    </>
  ) : (
    'Create Variable'
  );
  return (
    <section class="variable-form">
      <PageHeader title={title} />
      <p class="muted">
        <a href="/ui/variables">All variables</a>
        {ex ? (
          <>
            {' '}
            · <a href={varUrl(ex.Path, ex.Namespace)}>back to {ex.Path}</a>
          </>
        ) : null}
      </p>
      {conflict ? (
        <div class="message error conflict" role="alert" tabIndex={-1} ref={conflictRef}>
          <p>
            <strong>Conflict: {ex ? 'someone else changed this variable' : 'a variable already exists at this path'}</strong>
            {ex ? ' after you loaded it' : ''} (it is now at index {conflict.ModifyIndex}
            {conflict.ModifyTime ? (
              <>
                , modified <Time ns={conflict.ModifyTime} />
              </>
            ) : null}
            ). Nothing was saved; your edits are still below.
          </p>
          {conflict.Items ? (
            <details>
              <summary>Their version's keys ({Object.keys(conflict.Items).length})</summary>
              <ul class="their-keys">
                {Object.keys(conflict.Items)
                  .sort()
                  .map((k) => (
                    <li class="mono">{k}</li>
                  ))}
              </ul>
            </details>
          ) : null}
          <div class="conflict-actions">
            <button type="button" onClick={reloadTheirs} disabled={busy}>
              Discard my edits and load theirs
            </button>
            <button type="button" class="danger" onClick={() => void save(conflict.ModifyIndex)} disabled={busy}>
              Overwrite with my edits
            </button>
          </div>
        </div>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save(base);
        }}
      >
        <div class="form-row">
          <label>
            Path
            <input
              ref={pathRef}
              class="mono"
              value={path}
              disabled={ex !== undefined}
              required
              placeholder="e.g. nomad/jobs/web or app/config"
              aria-invalid={pathError ? true : undefined}
              aria-describedby={pathError ? 'path-error' : undefined}
              onInput={(e) => setPath((e.target as HTMLInputElement).value)}
            />
          </label>
          <label>
            Namespace
            <input value={ns} disabled={ex !== undefined} onInput={(e) => setNs((e.target as HTMLInputElement).value)} />
          </label>
        </div>
        {pathError ? (
          <p id="path-error" class="field-error" role="alert">
            {pathError}
          </p>
        ) : null}
        <fieldset class="rows">
          <legend>Items</legend>
          <label class="inline">
            <input type="checkbox" checked={showValues} onChange={(e) => setShowValues((e.target as HTMLInputElement).checked)} /> Show values
          </label>
          {rows.map((r, i) => (
            <div class="kv-row" key={r.id} data-row={i}>
              <label>
                Key
                <input class="mono" value={r.key} aria-label={`Key ${i + 1}`} onInput={(e) => update(r.id, 'key', (e.target as HTMLInputElement).value)} />
              </label>
              <label class="value">
                Value
                <textarea class={`mono${showValues ? '' : ' masked'}`} rows={1} value={r.value} aria-label={`Value ${i + 1}`} spellcheck={false} autocomplete="off" onInput={(e) => update(r.id, 'value', (e.target as HTMLTextAreaElement).value)} />
              </label>
              <button type="button" class="remove" aria-label={`Remove item ${i + 1}${r.key ? ` (${r.key})` : ''}`} disabled={rows.length === 1} onClick={() => setRows((rs) => rs.filter((x) => x.id !== r.id))}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setRows((rs) => [...rs, { id: ++rowIds, key: '', value: '' }])}>
            Add item
          </button>
        </fieldset>
        {formError !== undefined ? <ErrorMessage error={formError} what="saving the variable" /> : null}
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
            Save
          </button>
          <a class="button" href={ex ? varUrl(ex.Path, ex.Namespace) : '/ui/variables'}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
