/**
 * An exec terminal into a task: xterm.js (loaded on first use) over the exec
 * WebSocket with Nomad's frames. The browser cannot set X-Nomad-Token on a
 * WebSocket, so, as Nomad's UI, it asks for ws_handshake=true and sends the
 * token in the first message; then the terminal's size, and again on resize.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiAllocation, ApiExecInput, ApiExecOutput } from '../../../src/model/nomad-api/index';
import { getToken, seg } from '../api';
import { ErrorMessage } from './common';

type Xterm = typeof import('@xterm/xterm');
type Fit = typeof import('@xterm/addon-fit');
let loading: Promise<[Xterm, Fit]> | undefined;

function loadXterm(): Promise<[Xterm, Fit]> {
  loading ??= (async () => {
    const [x, f, css] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit'), import('./xterm-css')]);
    css.install();
    return [x, f];
  })();
  return loading;
}

const HEARTBEAT_MS = 10_000;

function b64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] as number);
  return btoa(s);
}

function unb64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function AllocExec(props: { alloc: ApiAllocation; task: string; running: boolean }): JSX.Element {
  const [command, setCommand] = useState('/bin/sh');
  const [session, setSession] = useState(0);
  const [status, setStatus] = useState('');
  const [failed, setFailed] = useState<unknown>(undefined);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!props.running || session === 0) return;
    let gone = false;
    let cleanup: (() => void) | undefined;
    setStatus('Connecting…');
    setFailed(undefined);
    loadXterm().then(
      ([{ Terminal }, { FitAddon }]) => {
        const el = box.current;
        if (gone || !el) return;
        const term = new Terminal({ cursorBlink: true, convertEol: false, fontSize: 14, fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace", theme: { background: '#1b1f24', foreground: '#f0f3f6' } });
        const fit = new FitAddon();
        term.loadAddon(fit);
        el.replaceChildren();
        term.open(el);
        fit.fit();
        const argv = command.trim().split(/\s+/).filter(Boolean);
        const q = new URLSearchParams({ task: props.task, tty: 'true', ws_handshake: 'true', command: JSON.stringify(argv.length > 0 ? argv : ['/bin/sh']) });
        const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
        const ws = new WebSocket(`${proto}//${location.host}/v1/client/allocation/${seg(props.alloc.ID)}/exec?${q}`);
        const send = (f: ApiExecInput | { version: number; auth_token: string }): void => {
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(f));
        };
        const sendSize = (): void => send({ tty_size: { width: term.cols, height: term.rows } });
        let exited = false;
        let heartbeat: ReturnType<typeof setInterval> | undefined;
        const enc = new TextEncoder();
        ws.onopen = () => {
          send({ version: 1, auth_token: getToken() });
          sendSize();
          heartbeat = setInterval(() => send({}), HEARTBEAT_MS);
          setStatus(`Connected: ${argv.join(' ')} in ${props.task}`);
          term.focus();
        };
        ws.onmessage = (e: MessageEvent<string>) => {
          const f = JSON.parse(e.data) as ApiExecOutput;
          if (f.stdout?.data) term.write(unb64(f.stdout.data));
          if (f.stderr?.data) term.write(unb64(f.stderr.data));
          if (f.exited) {
            exited = true;
            const code = f.result?.exit_code ?? 0;
            term.write(`\r\n\x1b[38;2;142;150;163mexited with code ${code}\x1b[0m\r\n`);
            setStatus(`The command exited with code ${code}.`);
          }
        };
        ws.onclose = (e) => {
          clearInterval(heartbeat);
          if (exited) return;
          const why = e.reason ? `: ${e.reason}` : e.code === 1006 ? ': the agent refused or dropped the connection' : '';
          term.write(`\r\n\x1b[38;2;142;150;163mThe connection closed${why}.\x1b[0m\r\n`);
          setStatus(`The connection closed (${e.code})${why}.`);
        };
        const onData = term.onData((d) => send({ stdin: { data: b64(enc.encode(d)) } }));
        const onResize = term.onResize(() => sendSize());
        const ro = new ResizeObserver(() => {
          try {
            fit.fit();
          } catch {
            // Not laid out (hidden): the next resize fits.
          }
        });
        ro.observe(el);
        cleanup = () => {
          ro.disconnect();
          onData.dispose();
          onResize.dispose();
          clearInterval(heartbeat);
          ws.close();
          term.dispose();
        };
      },
      (err: unknown) => setFailed(err),
    );
    return () => {
      gone = true;
      cleanup?.();
    };
  }, [props.alloc.ID, props.task, props.running, session]);

  // Open a shell as soon as the tab shows, as Nomad's exec window does.
  useEffect(() => {
    if (props.running && session === 0) setSession(1);
  }, [props.running]);

  if (!props.running) return <p class="empty">{props.task} is not running: exec needs a running task.</p>;
  return (
    <section class="exec" aria-label={`Exec into ${props.task}`}>
      <form
        class="exec-bar"
        onSubmit={(e) => {
          e.preventDefault();
          setSession((n) => n + 1);
        }}
      >
        <label>
          Command
          <input value={command} onInput={(e) => setCommand((e.target as HTMLInputElement).value)} spellcheck={false} />
        </label>
        <button type="submit">{session > 0 ? 'Reconnect' : 'Connect'}</button>
        <span class="muted" role="status" aria-live="polite">
          {status}
        </span>
      </form>
      {failed !== undefined ? <ErrorMessage error={failed} what="loading the terminal" /> : null}
      <div class="terminal" ref={box} role="region" aria-label={`Terminal in ${props.task}`} />
    </section>
  );
}
