/**
 * A task's logs (Nomad UI's task logs page): stdout or stderr, followed live from
 * /v1/client/fs/logs (framed: {Data: base64, Offset, File}) starting near the end,
 * or read from the head. Pause stops appending without losing anything: what arrives
 * meanwhile waits and is added on resume. The page holds at most MAX_CHARS of text, so
 * a chatty task cannot freeze it; the text is written to the DOM at most once a frame.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiStreamFrame } from '../../../src/model/nomad-api/index';
import { ApiError, seg, stream } from '../api';
import { ErrorMessage, bytes } from './common';

/** What the page keeps of a log (characters, ~500 KB). */
const MAX_CHARS = 500_000;
/** How far before the end a tail starts (Nomad's UI: 50000). */
const TAIL_BYTES = 50_000;

type Mode = 'tail' | 'head';

/** Keeps the last `max` characters, cut at a line start when one is near. */
export function capText(s: string, max = MAX_CHARS): { text: string; cut: boolean } {
  if (s.length <= max) return { text: s, cut: false };
  let t = s.slice(s.length - max);
  const nl = t.indexOf('\n');
  if (nl >= 0 && nl < 4096) t = t.slice(nl + 1);
  return { text: t, cut: true };
}

export function AllocLogs(props: { allocId: string; task: string }): JSX.Element {
  const [type, setType] = useState<'stdout' | 'stderr'>('stdout');
  const [mode, setMode] = useState<Mode>('tail');
  const [paused, setPaused] = useState(false);
  const [generation, setGeneration] = useState(0);
  const [error, setError] = useState<unknown>(undefined);
  const [empty, setEmpty] = useState(true);
  const [cut, setCut] = useState(false);
  const [waiting, setWaiting] = useState(0);
  const [following, setFollowing] = useState(false);
  const pre = useRef<HTMLPreElement>(null);
  const text = useRef('');
  const pending = useRef('');
  const pausedRef = useRef(false);
  const stick = useRef(true);
  const frame = useRef(0);

  const render = (): void => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const el = pre.current;
      if (!el) return;
      el.textContent = text.current;
      if (stick.current) el.scrollTop = el.scrollHeight;
      setEmpty(text.current === '');
    });
  };

  const append = (s: string): void => {
    if (s === '') return;
    if (pausedRef.current) {
      const p = capText(pending.current + s);
      pending.current = p.text;
      if (p.cut) setCut(true);
      setWaiting(pending.current.length);
      return;
    }
    const c = capText(text.current + s);
    text.current = c.text;
    if (c.cut) setCut(true);
    render();
  };

  // (Re)open the stream whenever the file, the mode or a "tail"/"head" press asks for it.
  useEffect(() => {
    const ctrl = new AbortController();
    text.current = '';
    pending.current = '';
    pausedRef.current = false;
    stick.current = true;
    setPaused(false);
    setWaiting(0);
    setCut(false);
    setError(undefined);
    render();
    const decoder = new TextDecoder();
    const follow = mode === 'tail';
    const q = new URLSearchParams({ task: props.task, type, follow: String(follow), origin: follow ? 'end' : 'start', offset: String(follow ? TAIL_BYTES : 0) });
    let got = 0;
    setFollowing(follow);
    stream(
      `/v1/client/fs/logs/${seg(props.allocId)}?${q}`,
      (o) => {
        const f = o as ApiStreamFrame;
        if (!f.Data) return;
        const bin = atob(f.Data);
        const buf = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
        got += buf.length;
        append(decoder.decode(buf, { stream: true }));
        // The head is the first MAX_CHARS: stop reading there.
        if (!follow && got >= MAX_CHARS) {
          setCut(true);
          ctrl.abort();
        }
      },
      ctrl.signal,
    ).then(
      () => setFollowing(false),
      (err: unknown) => {
        setFollowing(false);
        if (!ctrl.signal.aborted) setError(err instanceof ApiError ? err : new ApiError(0, String(err), 'logs'));
      },
    );
    return () => {
      ctrl.abort();
      cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, [props.allocId, props.task, type, mode, generation]);

  const togglePause = (): void => {
    if (pausedRef.current) {
      pausedRef.current = false;
      setPaused(false);
      const c = capText(text.current + pending.current);
      text.current = c.text;
      pending.current = '';
      setWaiting(0);
      stick.current = true;
      render();
    } else {
      pausedRef.current = true;
      setPaused(true);
    }
  };

  const onScroll = (): void => {
    const el = pre.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
  };

  return (
    <section class="logs" aria-label={`Logs of ${props.task}`}>
      <div class="logs-bar">
        <div class="segmented" role="group" aria-label="Stream">
          {(['stdout', 'stderr'] as const).map((t) => (
            <button type="button" aria-pressed={type === t} class={type === t ? 'on' : undefined} onClick={() => setType(t)}>
              {t}
            </button>
          ))}
        </div>
        <button type="button" aria-pressed={paused} disabled={mode !== 'tail'} onClick={togglePause}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button
          type="button"
          onClick={() => {
            setMode('head');
            setGeneration((g) => g + 1);
          }}
        >
          Head
        </button>
        <button
          type="button"
          onClick={() => {
            setMode('tail');
            setGeneration((g) => g + 1);
          }}
        >
          Tail
        </button>
        <span class="logs-state muted" role="status" aria-live="polite">
          {paused ? `Paused${waiting > 0 ? `: ${bytes(waiting)} arrived meanwhile` : ''}` : mode === 'tail' ? (following ? 'Following' : 'Not following') : 'Head of the log'}
        </span>
      </div>
      {error !== undefined ? <ErrorMessage error={error} what={`reading ${type}`} /> : null}
      {cut ? <p class="muted small">{mode === 'head' ? 'Only the beginning of the log is shown: use Tail for the end.' : 'Older output was dropped from the page to keep it fast; Head shows the beginning.'}</p> : null}
      {empty && error === undefined ? <p class="empty">{props.task} has not written anything to {type}{mode === 'tail' && following ? ' yet: new output appears here as it is written' : ''}.</p> : null}
      <pre class="log-output" ref={pre} tabIndex={0} aria-label={`${type} of ${props.task}`} onScroll={onScroll} hidden={empty} />
    </section>
  );
}
