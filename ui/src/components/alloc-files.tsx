/**
 * The allocation's file browser (Nomad UI's alloc and task "Files"): directories
 * from /v1/client/fs/ls with breadcrumbs, files from stat then cat (small) or
 * readat in CHUNK-sized pieces with "load more" (large). A task's browser is
 * rooted at its task dir, as in Nomad; the URL carries the path.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiAllocation, ApiAllocFileInfo } from '../../../src/model/nomad-api/index';
import { api, seg } from '../api';
import { ErrorMessage, Loading, Time, bytes } from './common';

const CHUNK = 64 * 1024;

const encPath = (p: string): string => p.split('/').filter(Boolean).map(seg).join('/');

export function AllocFiles(props: { alloc: ApiAllocation; task?: string; base: string; path: string }): JSX.Element {
  const clean = props.path.split('/').filter(Boolean).join('/');
  const apiPath = `/${props.task !== undefined ? `${props.task}/` : ''}${clean}`;
  const q = (p: string): string => `path=${encodeURIComponent(p)}`;
  const id = seg(props.alloc.ID);
  const [info, setInfo] = useState<{ path: string; stat?: ApiAllocFileInfo; list?: ApiAllocFileInfo[]; error?: unknown }>({ path: '' });

  useEffect(() => {
    let gone = false;
    setInfo({ path: '' });
    (async () => {
      const stat = clean === '' ? undefined : await api<ApiAllocFileInfo>(`/v1/client/fs/stat/${id}?${q(apiPath)}`);
      if (stat && !stat.IsDir) return { path: apiPath, stat };
      const list = await api<ApiAllocFileInfo[]>(`/v1/client/fs/ls/${id}?${q(apiPath)}`);
      return { path: apiPath, list };
    })().then(
      (r) => !gone && setInfo(r),
      (error: unknown) => !gone && setInfo({ path: apiPath, error }),
    );
    return () => {
      gone = true;
    };
  }, [id, apiPath]);

  const crumbs = clean === '' ? [] : clean.split('/');
  return (
    <section class="files" aria-label="Files">
      <nav class="crumbs file-crumbs" aria-label="Path">
        <a href={props.base} aria-current={crumbs.length === 0 ? 'page' : undefined}>
          {props.task !== undefined ? `${props.task}/` : 'alloc dir /'}
        </a>
        {crumbs.map((c, i) => (
          <>
            <span aria-hidden="true"> / </span>
            <a href={`${props.base}/${encPath(crumbs.slice(0, i + 1).join('/'))}`} aria-current={i === crumbs.length - 1 ? 'page' : undefined}>
              {c}
            </a>
          </>
        ))}
      </nav>
      {info.error !== undefined ? <ErrorMessage error={info.error} what={`reading ${apiPath}`} /> : null}
      {info.path === '' ? <Loading what={apiPath} /> : null}
      {info.list ? <Listing base={props.base} dir={clean} list={info.list} /> : null}
      {info.stat ? <FileView allocId={props.alloc.ID} path={apiPath} stat={info.stat} key={apiPath} /> : null}
    </section>
  );
}

function Listing(props: { base: string; dir: string; list: ApiAllocFileInfo[] }): JSX.Element {
  const sorted = [...props.list].sort((a, b) => Number(b.IsDir) - Number(a.IsDir) || a.Name.localeCompare(b.Name));
  if (sorted.length === 0) return <p class="empty">This directory is empty.</p>;
  const href = (name: string): string => `${props.base}/${encPath(props.dir ? `${props.dir}/${name}` : name)}`;
  return (
    <div class="table-wrap">
      <table class="file-list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Size</th>
            <th scope="col">Mode</th>
            <th scope="col">Modified</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((f) => (
            <tr key={f.Name}>
              <td>
                <a href={href(f.Name)}>
                  {f.Name}
                  {f.IsDir ? '/' : ''}
                </a>
              </td>
              <td>{f.IsDir ? '–' : bytes(f.Size)}</td>
              <td class="mono">{f.FileMode}</td>
              <td>
                <Time iso={f.ModTime} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A file's first CHUNK bytes (cat when it is small, readat otherwise), then more on request. */
function FileView(props: { allocId: string; path: string; stat: ApiAllocFileInfo }): JSX.Element {
  const [text, setText] = useState<string | undefined>(undefined);
  const [loaded, setLoaded] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  // One decoder across the pieces: a UTF-8 character cut at a piece's end is finished by the next.
  const decoder = useRef(new TextDecoder());
  const id = seg(props.allocId);
  const p = encodeURIComponent(props.path);
  const size = props.stat.Size;

  const load = async (offset: number): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const url = offset === 0 && size <= CHUNK ? `/v1/client/fs/cat/${id}?path=${p}` : `/v1/client/fs/readat/${id}?path=${p}&offset=${offset}&limit=${CHUNK}`;
      const raw = await api<ArrayBuffer>(url, { bytes: true });
      const end = offset === 0 && size <= CHUNK ? size : offset + Math.min(CHUNK, size - offset);
      if (offset === 0) decoder.current = new TextDecoder();
      const chunk = decoder.current.decode(raw, { stream: end < size });
      setText((t) => (offset === 0 ? chunk : (t ?? '') + chunk));
      setLoaded(end);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void load(0);
  }, [props.path]);

  return (
    <div class="file-view">
      <p class="muted">
        {props.stat.Name} · {bytes(size)} · <span class="mono">{props.stat.FileMode}</span> · modified <Time iso={props.stat.ModTime} />
        {loaded < size ? ` · showing the first ${bytes(loaded)}` : ''}
      </p>
      {error !== undefined ? <ErrorMessage error={error} what={`reading ${props.path}`} /> : null}
      {text === undefined && error === undefined ? <Loading what="the file" /> : null}
      {text !== undefined ? (
        size === 0 ? (
          <p class="empty">This file is empty.</p>
        ) : (
          <pre class="file-content" tabIndex={0} aria-label={`Contents of ${props.stat.Name}`}>
            {text}
          </pre>
        )
      ) : null}
      {text !== undefined && loaded < size ? (
        <button type="button" disabled={busy} aria-busy={busy} onClick={() => void load(loaded)}>
          Load {bytes(Math.min(CHUNK, size - loaded))} more
        </button>
      ) : null}
    </div>
  );
}
