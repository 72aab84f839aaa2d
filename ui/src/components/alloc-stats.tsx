/**
 * Resource usage over the last minutes: GET /v1/client/allocation/:id/stats polled
 * every second (as Nomad's UI does), a rolling window kept in memory, drawn with
 * uPlot, which is loaded only when a chart first shows (it is not in the first load).
 * CPU is in MHz as Nomad reports it (CpuStats.TotalTicks), with the percent of what
 * the task reserved; memory is RSS (or Usage when RSS is not measured).
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiAllocation, ApiAllocResourceUsage, ApiResourceUsage } from '../../../src/model/nomad-api/index';
import { api, ApiError, seg } from '../api';
import { ErrorMessage, bytes } from './common';

/** One poll's numbers. */
export interface Sample {
  /** Unix seconds. */
  readonly t: number;
  readonly cpuMHz: number;
  readonly memBytes: number;
  readonly tasks: Record<string, { cpuMHz: number; memBytes: number }>;
}

export interface StatsState {
  readonly samples: readonly Sample[];
  readonly error: ApiError | undefined;
}

const WINDOW_S = 5 * 60;
const POLL_MS = 1000;

const memOf = (u: ApiResourceUsage | undefined): number => (u?.MemoryStats?.RSS || u?.MemoryStats?.Usage) ?? 0;
const cpuOf = (u: ApiResourceUsage | undefined): number => u?.CpuStats?.TotalTicks ?? 0;

/** Polls the alloc's stats while `running`; the samples of the last five minutes. */
export function useAllocStats(allocId: string | undefined, running: boolean): StatsState {
  const [state, setState] = useState<StatsState>({ samples: [], error: undefined });
  useEffect(() => {
    if (!allocId || !running) return;
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const r = await api<ApiAllocResourceUsage>(`/v1/client/allocation/${seg(allocId)}/stats`, { signal: ctrl.signal });
        const tasks: Sample['tasks'] = {};
        for (const [name, u] of Object.entries(r.Tasks ?? {})) tasks[name] = { cpuMHz: cpuOf(u.ResourceUsage), memBytes: memOf(u.ResourceUsage) };
        const s: Sample = { t: (r.Timestamp || Date.now() * 1e6) / 1e9, cpuMHz: cpuOf(r.ResourceUsage), memBytes: memOf(r.ResourceUsage), tasks };
        setState((prev) => ({ samples: [...prev.samples.filter((p) => p.t > s.t - WINDOW_S && p.t < s.t), s], error: undefined }));
      } catch (err) {
        if (ctrl.signal.aborted) return;
        setState((prev) => ({ ...prev, error: err instanceof ApiError ? err : new ApiError(0, String(err), 'stats') }));
      }
      if (!ctrl.signal.aborted) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [allocId, running]);
  return state;
}

/** What the alloc (or one task) reserved: CPU MHz and memory MiB. */
function reserved(a: ApiAllocation, task?: string): { cpu: number; memMiB: number } {
  const all = a.AllocatedResources?.Tasks ?? {};
  const picked = task !== undefined ? [all[task]] : Object.values(all);
  let cpu = 0;
  let memMiB = 0;
  for (const r of picked) {
    cpu += r?.Cpu?.CpuShares ?? 0;
    memMiB += r?.Memory?.MemoryMB ?? 0;
  }
  return { cpu, memMiB };
}

/** CPU and memory charts and current numbers for the alloc, or for `task`. */
export function StatsPanel(props: { alloc: ApiAllocation; stats: StatsState; task?: string }): JSX.Element {
  const { alloc, stats, task } = props;
  const title = task !== undefined ? `Resource usage of ${task}` : 'Resource usage';
  if (alloc.ClientStatus !== 'running') {
    return (
      <section class="stats" aria-label={title}>
        <h2>{title}</h2>
        <p class="empty">The allocation is not running: only running allocations use resources.</p>
      </section>
    );
  }
  const pick = (s: Sample): { cpuMHz: number; memBytes: number } => (task !== undefined ? (s.tasks[task] ?? { cpuMHz: 0, memBytes: 0 }) : s);
  const last = stats.samples[stats.samples.length - 1];
  const res = reserved(alloc, task);
  const cur = last ? pick(last) : undefined;
  const xs = stats.samples.map((s) => s.t);
  const cpu = stats.samples.map((s) => pick(s).cpuMHz);
  const mem = stats.samples.map((s) => pick(s).memBytes / (1024 * 1024));
  const pct = (v: number, of: number): string => (of > 0 ? `${Math.round((v / of) * 100)}%` : '–');
  return (
    <section class="stats" aria-label={title} data-samples={stats.samples.length}>
      <h2>{title}</h2>
      {stats.error ? <ErrorMessage error={stats.error} what="reading resource usage" /> : null}
      <div class="stats-grid">
        <figure class="metric">
          <figcaption>
            <strong>CPU</strong>{' '}
            <span class="metric-now" data-metric="cpu">
              {cur ? `${Math.round(cur.cpuMHz)} MHz` : '…'}
              {res.cpu > 0 ? ` / ${res.cpu} MHz reserved (${cur ? pct(cur.cpuMHz, res.cpu) : '…'})` : ''}
            </span>
          </figcaption>
          {xs.length >= 2 ? <Chart xs={xs} ys={cpu} label="CPU (MHz)" color="#0b5cad" unit="MHz" /> : <p class="chart chart-wait muted">Collecting samples…</p>}
        </figure>
        <figure class="metric">
          <figcaption>
            <strong>Memory</strong>{' '}
            <span class="metric-now" data-metric="memory">
              {cur ? bytes(cur.memBytes) : '…'}
              {res.memMiB > 0 ? ` / ${res.memMiB} MiB reserved (${cur ? pct(cur.memBytes / (1024 * 1024), res.memMiB) : '…'})` : ''}
            </span>
          </figcaption>
          {xs.length >= 2 ? <Chart xs={xs} ys={mem} label="Memory (MiB)" color="#116329" unit="MiB" /> : <p class="chart chart-wait muted">Collecting samples…</p>}
        </figure>
      </div>
      <p class="muted small">Sampled every second; the last five minutes are kept while this page is open.</p>
    </section>
  );
}

type UPlotCtor = typeof import('uplot');
type UPlot = InstanceType<UPlotCtor>;
let loading: Promise<UPlotCtor> | undefined;

/** uPlot and its stylesheet, fetched once, on first use. */
function loadUPlot(): Promise<UPlotCtor> {
  loading ??= (async () => {
    const [mod, css] = await Promise.all([import('uplot'), import('./uplot-css')]);
    css.install();
    return (mod as unknown as { default: UPlotCtor }).default;
  })();
  return loading;
}

/** A line chart of `ys` over time `xs` (seconds), redrawn as the data change and the box resizes. */
function Chart(props: { xs: readonly number[]; ys: readonly number[]; label: string; color: string; unit: string }): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<UPlot | undefined>(undefined);
  const [failed, setFailed] = useState<unknown>(undefined);
  const data = useRef<[number[], number[]]>([[], []]);
  data.current = [[...props.xs], [...props.ys]];

  useEffect(() => {
    let gone = false;
    let ro: ResizeObserver | undefined;
    loadUPlot().then(
      (UPlotCtor) => {
        const el = box.current;
        if (gone || !el) return;
        const width = Math.max(200, el.clientWidth);
        plot.current = new UPlotCtor(
          {
            width,
            height: 160,
            legend: { show: false },
            cursor: { drag: { x: false, y: false } },
            scales: { x: { time: true, range: (_u: UPlot, min: number, max: number): [number, number] => [Math.min(min, max - 60), max] }, y: { range: (_u: UPlot, _min: number, max: number): [number, number] => [0, Math.max(1, max * 1.15)] } },
            axes: [{ stroke: '#57606a', grid: { stroke: '#eaeef2' } }, { stroke: '#57606a', grid: { stroke: '#eaeef2' }, size: 72, values: (_u: UPlot, ticks: number[]) => ticks.map((v) => `${+v.toFixed(1)} ${props.unit}`) }],
            series: [{}, { label: props.label, stroke: props.color, width: 2, fill: `${props.color}22` }],
          },
          data.current,
          el,
        );
        ro = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height: 160 }));
        ro.observe(el);
      },
      (err: unknown) => setFailed(err),
    );
    return () => {
      gone = true;
      ro?.disconnect();
      plot.current?.destroy();
      plot.current = undefined;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(data.current);
  }, [props.xs, props.ys]);

  if (failed !== undefined) return <ErrorMessage error={failed} what="loading the chart library" />;
  return <div class="chart" ref={box} role="img" aria-label={`${props.label} over the last minutes`} />;
}
