/**
 * The job definition editor (Nomad UI's job editor): a textarea with a line-number
 * gutter that checks the definition as you type, debounced: HCL2 through
 * POST /v1/jobs/parse (drover's ?diagnostics answer names each problem's line),
 * JSON ({"Job": {…}} or the bare job) parsed here, then either through
 * PUT /v1/validate/job. Problems are listed and marked at their line. "Run"
 * registers the job (POST /v1/jobs, or /v1/job/:id when editing) with the
 * source as its Submission, and only ever what was just checked clean.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiJob, ApiJobRegisterResponse, ApiJobSubmission } from '../../../src/model/nomad-api/index';
import { api, ApiError, seg } from '../api';
import { ErrorMessage } from './common';

/** One problem of the definition; `line` when it names one (1-based). */
export interface Problem {
  readonly line?: number;
  readonly message: string;
}

/** What checking a text found. */
export type Checked =
  | { readonly ok: true; readonly text: string; readonly job: ApiJob; readonly format: 'hcl2' | 'json'; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly text: string; readonly problems: readonly Problem[] };

const DEBOUNCE_MS = 400;

/** drover's parse diagnostics (FieldProblem). */
interface Diagnostic {
  field?: string;
  message: string;
  line?: number;
}

/** Parses and validates `text` through the API; rejects only when the API cannot answer (403, unreachable…). */
export async function checkDefinition(text: string, signal?: AbortSignal): Promise<Checked> {
  if (text.trim() === '') return { ok: false, text, problems: [{ message: 'The job definition is empty.' }] };
  let job: ApiJob;
  let format: 'hcl2' | 'json';
  const warnings: string[] = [];
  if (/^\s*\{/.test(text)) {
    format = 'json';
    try {
      const v = JSON.parse(text) as { Job?: unknown };
      const inner = v && typeof v === 'object' && v.Job && typeof v.Job === 'object' ? v.Job : v;
      if (!inner || typeof inner !== 'object' || Array.isArray(inner)) return { ok: false, text, problems: [{ message: 'JSON: expected a job object ({"Job": {…}} or the job itself)' }] };
      job = inner as ApiJob;
    } catch (err) {
      return { ok: false, text, problems: [{ line: jsonErrorLine(text, (err as Error).message), message: `JSON: ${(err as Error).message}` }] };
    }
  } else {
    format = 'hcl2';
    try {
      const r = await api<{ Job: ApiJob; Warnings?: Diagnostic[] }>('/v1/jobs/parse?diagnostics=true', { method: 'POST', body: { JobHCL: text, Canonicalize: true }, signal });
      job = r.Job;
      for (const w of r.Warnings ?? []) warnings.push(describe(w));
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) return { ok: false, text, problems: problemsIn(err.message) };
      throw err;
    }
  }
  const v = await api<{ ValidationErrors?: string[] | null; Error?: string; Warnings?: string }>('/v1/validate/job', { method: 'PUT', body: { Job: job }, signal });
  const errors = v.ValidationErrors ?? [];
  if (errors.length > 0 || v.Error) {
    const list = errors.length > 0 ? errors : [v.Error as string];
    return { ok: false, text, problems: list.map((m) => ({ line: lineIn(m), message: m })) };
  }
  if (v.Warnings) warnings.push(...v.Warnings.split('\n').map((l) => l.replace(/^\* /, '').trim()).filter((l) => l !== '' && !/^\d+ warning\(s\):$/.test(l)));
  return { ok: true, text, job, format, warnings };
}

function describe(d: Diagnostic): string {
  return `${d.line ? `line ${d.line}: ` : ''}${d.field ? `${d.field}: ` : ''}${d.message}`;
}

/** The problems of a refused parse: drover's diagnostics JSON, or Nomad's text ("* input.hcl:12,3-8: …" lines). */
export function problemsIn(body: string): Problem[] {
  try {
    const v = JSON.parse(body) as { Errors?: Diagnostic[] };
    if (Array.isArray(v.Errors) && v.Errors.length > 0) {
      return v.Errors.map((d) => ({ ...(d.line ? { line: d.line } : {}), message: `${d.field ? `${d.field}: ` : ''}${d.message}` }));
    }
  } catch {
    // Plain text: Nomad's and drover's error messages.
  }
  const lines = body.split('\n').map((l) => l.replace(/^\s*\*\s*/, '').trim()).filter((l) => l !== '' && !/^\d+ errors occurred:$/.test(l));
  return (lines.length > 0 ? lines : [body]).map((m) => ({ line: lineIn(m), message: m }));
}

/** The line a message names: "input.hcl:12,3-8: …", "job.hcl:12: …" or "line 12: …". */
export function lineIn(message: string): number | undefined {
  const m = /^[^\s:]*:(\d+)(?:,\d+(?:-\d+)?)?:/.exec(message) ?? /\bline (\d+)\b/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** The line of a JSON.parse error ("… (line 3 column 5)" or "… at position 42"). */
function jsonErrorLine(text: string, message: string): number | undefined {
  const line = /\(line (\d+) column \d+\)/.exec(message);
  if (line) return Number(line[1]);
  const pos = /position (\d+)/.exec(message);
  if (pos) return text.slice(0, Number(pos[1])).split('\n').length;
  return undefined;
}

export interface JobEditorProps {
  /** The text to start from. */
  readonly initial: string;
  /** Editing this job: submitted to /v1/job/:id, whose ID must not change. */
  readonly jobId?: string;
  /** Called with the registered job's ID after a successful run. */
  readonly onRun: (jobId: string, resp: ApiJobRegisterResponse) => void;
  readonly onCancel?: () => void;
}

export function JobEditor(props: JobEditorProps): JSX.Element {
  const [text, setText] = useState(props.initial);
  const [checked, setChecked] = useState<Checked | undefined>(undefined);
  const [checkError, setCheckError] = useState<unknown>(undefined);
  const [runError, setRunError] = useState<unknown>(undefined);
  const [running, setRunning] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);

  // Check the text once it has been still for DEBOUNCE_MS; a newer text cancels the older check.
  useEffect(() => {
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      checkDefinition(text, ctrl.signal).then(
        (c) => {
          if (ctrl.signal.aborted) return;
          setChecked(c);
          setCheckError(undefined);
        },
        (err: unknown) => {
          if (ctrl.signal.aborted) return;
          setChecked(undefined);
          setCheckError(err);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [text]);

  const current = checked?.text === text ? checked : undefined;
  const problems = current && !current.ok ? current.problems : [];
  const badLines = useMemo(() => {
    const m = new Map<number, string[]>();
    for (const p of problems) if (p.line) m.set(p.line, [...(m.get(p.line) ?? []), p.message]);
    return m;
  }, [problems]);
  const lineCount = text.split('\n').length;

  const goToLine = (line: number) => {
    const el = area.current;
    if (!el) return;
    const lines = text.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    const lh = parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.scrollTop = Math.max(0, (line - 3) * lh);
  };

  const run = async () => {
    setRunError(undefined);
    setRunning(true);
    try {
      // Never submit what was not checked clean: check again now, whatever the last check said.
      const c = await checkDefinition(text);
      setChecked(c);
      if (!c.ok) return;
      const id = String(c.job.ID ?? '');
      if (props.jobId !== undefined && id !== props.jobId) {
        setRunError(new Error(`The job ID must stay ${JSON.stringify(props.jobId)} (it reads ${JSON.stringify(id)}): to run another job, use Run Job on the jobs page.`));
        return;
      }
      const submission: ApiJobSubmission = { Source: text, Format: c.format, Variables: '' };
      const path = props.jobId !== undefined ? `/v1/job/${seg(props.jobId)}` : '/v1/jobs';
      const resp = await api<ApiJobRegisterResponse>(path, { method: 'POST', body: { Job: c.job, Submission: submission } });
      props.onRun(id, resp);
    } catch (err) {
      setRunError(err);
    } finally {
      setRunning(false);
    }
  };

  const state = current === undefined ? (checkError ? 'error' : 'checking') : current.ok ? 'ok' : 'bad';
  return (
    <div class="job-editor">
      <div class="editor-frame">
        <div class="editor-gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => {
            const msgs = badLines.get(i + 1);
            return (
              <div class={msgs ? 'gutter-line bad' : 'gutter-line'} title={msgs?.join('\n')} data-line={i + 1}>
                {msgs ? <span class="gutter-mark">!</span> : null}
                {i + 1}
              </div>
            );
          })}
        </div>
        <textarea
          ref={area}
          class="editor-text mono"
          aria-label="Job definition (HCL or JSON)"
          aria-invalid={state === 'bad'}
          aria-describedby="job-editor-status"
          spellcheck={false}
          autocapitalize="off"
          autocomplete="off"
          wrap="off"
          value={text}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = (e.target as HTMLTextAreaElement).scrollTop;
          }}
        />
      </div>
      <div id="job-editor-status" class="editor-status" role="status" aria-live="polite">
        {state === 'checking' ? <p class="muted">Checking…</p> : null}
        {state === 'ok' ? <p class="message ok">The definition is valid.</p> : null}
        {state === 'bad' ? (
          <p class="message error">
            <strong>
              {problems.length} {problems.length === 1 ? 'problem' : 'problems'} in the definition: Run is off until {problems.length === 1 ? 'it is' : 'they are'} fixed.
            </strong>
          </p>
        ) : null}
      </div>
      {checkError ? <ErrorMessage error={checkError} what="checking the definition" /> : null}
      {problems.length > 0 ? (
        <ul class="editor-problems" aria-label="Problems">
          {problems.map((p) =>
            p.line ? (
              <li>
                <button type="button" class="linklike" onClick={() => goToLine(p.line as number)}>
                  Line {p.line}
                </button>
                : {p.message}
              </li>
            ) : (
              <li>{p.message}</li>
            ),
          )}
        </ul>
      ) : null}
      {current?.ok && current.warnings.length > 0 ? (
        <ul class="editor-warnings" aria-label="Warnings">
          {current.warnings.map((w) => (
            <li>{w}</li>
          ))}
        </ul>
      ) : null}
      <div class="editor-actions">
        <button type="button" class="primary" disabled={state !== 'ok' || running} aria-busy={running} onClick={() => void run()}>
          Run
        </button>
        {props.onCancel ? (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
      {runError !== undefined ? <ErrorMessage error={runError} what="running the job" /> : null}
    </div>
  );
}
