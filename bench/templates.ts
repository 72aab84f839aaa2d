/**
 * Templates (issue 12). "render": parse and execute 1,000 distinct 50-line
 * templates of the kind Nomad users write (nomadVar reads, range over items,
 * conditionals, printf, env, toJSON), with consul-template's function map
 * over the node's variables. "var put → restart": a real agent runs a task
 * whose template reads nomadVar with change_mode restart; the figure is the
 * time from the `PUT /v1/var` answer to the restarted task's process having
 * started (it writes a file at start).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTemplate } from '../src/template/engine/index.js';
import { templateFuncs } from '../src/template/funcs/index.js';
import type { DependencyRecorder, TemplateSources, VariableData } from '../src/template/sources.js';
import { RAW_EXEC_CONFIG, purgeAndStop, runHcl, startAgent } from '../src/api/testing.js';
import { median, percentile, type BenchResult } from './stats.js';

const BASE = process.env.BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const TEMPLATES = 1_000;
const LINES = 50;

/** A 50-line template; `i` varies paths and text so no two are alike. */
function templateText(i: number): string {
  const lines = [
    `# generated for app ${i}`,
    `{{- with nomadVar "nomad/jobs/app${i % 10}" }}`,
    `user = "{{ .user }}"`,
    `password = "{{ .password }}"`,
    `{{- range $k, $v := . }}`,
    `{{ $k }} = {{ $v | toJSON }}`,
    `{{- end }}`,
    `{{- end }}`,
    `region = "{{ env "NOMAD_REGION" }}"`,
    `alloc = "{{ env "NOMAD_ALLOC_ID" }}"`,
  ];
  while (lines.length < LINES - 2) {
    const n = lines.length;
    lines.push(
      n % 4 === 0
        ? `{{ if gt ${n} ${i % 50} }}line ${n} above{{ else }}line ${n} below{{ end }}`
        : n % 4 === 1
          ? `key_${n} = {{ printf "%05d-%s" ${n} "x" | toUpper }}`
          : n % 4 === 2
            ? `{{ $v := nomadVar "nomad/jobs/app${(i + n) % 10}" }}v_${n} = {{ $v.user.Value | trimSpace }}`
            : `list_${n} = {{ "a,b,c" | split "," | join ";" }}`,
    );
  }
  lines.push(`{{/* end of ${i} */}}`, 'done');
  return lines.join('\n');
}

function memorySources(): TemplateSources {
  const vars = new Map<string, VariableData>();
  for (let i = 0; i < 10; i++) {
    const path = `nomad/jobs/app${i}`;
    vars.set(path, { namespace: 'default', path, createIndex: i + 1, modifyIndex: i + 1, createTime: 0, modifyTime: 0, items: { user: `u${i}`, password: `p${i}`, port: String(8000 + i) } });
  }
  return {
    variable: (_ns, path) => vars.get(path),
    listVariables: (_ns, prefix) => [...vars.values()].filter((v) => v.path.startsWith(prefix)),
    service: () => [],
    services: () => [],
  };
}

/** Parse + execute every template once; returns ms for the whole batch. */
function renderBatch(sources: TemplateSources): number {
  const env = { NOMAD_REGION: 'global', NOMAD_ALLOC_ID: '5f2c3a8e-0000-4000-8000-000000000000' };
  const deps: DependencyRecorder = { used: () => undefined, missing: (d) => { throw new Error(`missing ${d}`); } };
  const texts = Array.from({ length: TEMPLATES }, (_, i) => templateText(i));
  const t0 = performance.now();
  for (let i = 0; i < TEMPLATES; i++) {
    const funcs = templateFuncs({ sources, deps, env, readFile: () => '', namespace: 'default', region: 'global', datacenter: 'dc1', now: Date.now });
    const out = parseTemplate(`t${i}`, texts[i] as string, { funcs }).execute({}, funcs);
    if (!out.includes('done')) throw new Error('render lost its tail');
  }
  return performance.now() - t0;
}

/** var put → the task restarted by its template (change_mode restart), over a real agent. */
async function putToRestart(samples: number): Promise<number[]> {
  const dir = mkdtempSync(join(BASE, 'drover-bench-tpl-'));
  mkdirSync(join(dir, 'data'));
  const agent = await startAgent({ configHcl: RAW_EXEC_CONFIG, dataDir: join(dir, 'data') });
  const marker = join(dir, 'started');
  const times: number[] = [];
  try {
    await agent.client.variables.update({ Path: 'nomad/jobs/tpl', Items: { n: '0' } });
    const job = `job "tpl" {
  group "g" {
    restart {
      attempts = 1000
      delay    = "0s"
      interval = "1h"
      mode     = "fail"
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "cat local/n.txt >> ${marker}; echo >> ${marker}; exec sleep 3600"]
      }
      template {
        data        = "{{ with nomadVar \\"nomad/jobs/tpl\\" }}{{ .n }}{{ end }}"
        destination = "local/n.txt"
        change_mode = "restart"
        splay       = "0s"
        # Nomad's client default quiescence (wait min 5s) would dominate; this measures drover's own path.
        wait {
          min = "0s"
          max = "0s"
        }
      }
    }
  }
}
`;
    await runHcl(agent.client, job);
    await waitFor(() => startedWith(marker, '0'));
    for (let i = 1; i <= samples; i++) {
      await agent.client.variables.update({ Path: 'nomad/jobs/tpl', Items: { n: String(i) } });
      const t0 = performance.now();
      await waitFor(() => startedWith(marker, String(i)));
      times.push(performance.now() - t0);
    }
  } finally {
    await purgeAndStop([agent]);
    rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

function startedWith(marker: string, n: string): boolean {
  try {
    return readFileSync(marker, 'utf8').split('\n').includes(n);
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the task');
    await new Promise((r) => setTimeout(r, 2));
  }
}

export async function benchTemplates(): Promise<BenchResult[]> {
  const sources = memorySources();
  for (let i = 0; i < 3; i++) renderBatch(sources); // warm the JIT, as a long-running agent is
  const batches = Array.from({ length: 5 }, () => renderBatch(sources));
  const restarts = await putToRestart(20);
  return [
    { name: `render ${TEMPLATES} templates of ${LINES} lines (parse + execute), median of 5`, value: Math.round(median(batches)), unit: 'ms' },
    { name: 'per template', value: Math.round((median(batches) / TEMPLATES) * 1000) / 1000, unit: 'ms' },
    { name: 'var put → task restarted (change_mode restart), median of 20', value: Math.round(median(restarts)), unit: 'ms' },
    { name: 'var put → task restarted, p95', value: Math.round(percentile(restarts, 95)), unit: 'ms' },
  ];
}
