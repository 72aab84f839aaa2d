/**
 * Runs a task's templates (Nomad's TaskTemplateManager around
 * consul-template's runner): the first render, which the task's start waits
 * for (with a rate-limited "Missing: ..." event while data is absent), then
 * re-renders when something a template read changes, with quiescence
 * (wait { }), writes only when the output changed, and hands the changed
 * templates to the change modes.
 */
import { readFileSync } from 'node:fs';
import type { TemplateSpec } from '../../../model/template.js';
import { newEvent } from '../../../model/task-event.js';
import { errorMessage } from '../../../model/errors.js';
import type { Logger } from '../../../model/logger.js';
import type { TaskDirPaths } from '../../../drivers/types.js';
import { affects, type SourceChange, type WatchableSources, type Watched } from '../../../template/sources.js';
import type { NodeFacts } from '../../task-env.js';
import type { EventEmitter } from '../types.js';
import type { TemplateClientConfig } from './client-config.js';
import type { TemplateEngine } from './engine.js';
import type { TemplateLifecycle } from './lifecycle.js';
import { applyChangeModes, killEvent } from './change-mode.js';
import { parseEnvFile } from './env-file.js';
import { checkNoSymlinkEscape, clientPath, type PathContext } from './paths.js';
import { renderTemplate, type PreparedTemplate, type RenderEnv } from './render.js';
import { contentHash, writeOutput } from './write-output.js';

/** consul-template lists this many missing dependencies, then "and N more". */
const MISSING_DEP_EVENT_LIMIT = 3;

export interface TemplateManagerConfig {
  readonly templates: readonly TemplateSpec[];
  readonly engine: TemplateEngine;
  /** The node's variables and services; without them every lookup is missing. */
  readonly sources?: WatchableSources;
  readonly taskDir: TaskDirPaths;
  /** The task's environment (the `env` function, `${NOMAD_*}` in paths). */
  readonly env: Readonly<Record<string, string>>;
  readonly node: NodeFacts;
  readonly namespace: string;
  readonly region: string;
  readonly client: TemplateClientConfig;
  /** How long the "Missing: ..." event waits for the missing set to settle. */
  readonly eventRateMs: number;
  readonly lifecycle: TemplateLifecycle;
  readonly events: EventEmitter;
  readonly now: () => number;
  readonly random: () => number;
  readonly logger: Logger;
}

/** How the first render ended: `changed` are the templates whose file it (re)wrote. */
export type FirstRender = { readonly kind: 'rendered'; readonly changed: readonly TemplateSpec[] } | { readonly kind: 'aborted' };

interface Item {
  readonly t: PreparedTemplate;
  used: readonly Watched[];
  /** Rendered at least once (consul-template's LastWouldRender). */
  rendered: boolean;
  /** Something it read changed since its last render. */
  stale: boolean;
  content?: string;
  quiet?: { timer: NodeJS.Timeout; deadline: number };
}

/** Reads nothing and never changes: what templates see when the agent wired no sources. */
const NO_SOURCES: WatchableSources = {
  variable: () => undefined,
  listVariables: () => [],
  service: () => [],
  services: () => [],
  watch: () => () => {},
};

export class TemplateManager {
  private readonly items: Item[];
  private readonly renderEnv: RenderEnv;
  private readonly sources: WatchableSources;
  private readonly stopCtrl = new AbortController();
  private unsubscribe: () => void = () => {};
  /** Wakes the first render's wait. */
  private wake: () => void = () => {};
  private watching = false;
  private processing = false;
  private readonly pending = new Set<Item>();
  private envVars: Record<string, string> = {};

  /** Resolves paths and reads sources; throws (naming the template) when one escapes or cannot be read. */
  constructor(private readonly cfg: TemplateManagerConfig) {
    const sandbox = !cfg.client.disableSandbox;
    const paths: PathContext = { taskDir: cfg.taskDir, env: cfg.env, node: cfg.node, sandbox };
    this.items = cfg.templates.map((spec) => ({ t: prepare(spec, paths), used: [], rendered: false, stale: false }));
    this.sources = cfg.sources ?? NO_SOURCES;
    this.renderEnv = {
      engine: cfg.engine,
      sources: this.sources,
      env: cfg.env,
      taskDir: cfg.taskDir.dir,
      sandbox,
      namespace: cfg.namespace,
      region: cfg.region,
      datacenter: cfg.node.datacenter,
      functionDenylist: cfg.client.functionDenylist,
      now: cfg.now,
    };
  }

  /** The variables of the `env = true` templates, as last rendered. */
  templateEnv(): Record<string, string> {
    return { ...this.envVars };
  }

  /** A content hash per destination (as written), for the hook's state. */
  hashes(): Record<string, string> {
    return Object.fromEntries(this.items.filter((i) => i.content !== undefined).map((i) => [i.t.name, contentHash(i.content ?? '')]));
  }

  /**
   * Renders every template, waiting for missing data until it comes or
   * `signal` aborts. A render error kills the task ("Template failed: ...")
   * and then waits for that kill to abort `signal`, as Nomad does.
   */
  async firstRender(signal: AbortSignal): Promise<FirstRender> {
    this.unsubscribe = this.sources.watch((c) => this.changed(c));
    const missingEvents = new MissingEvents(this.cfg.events, this.cfg.now, this.cfg.eventRateMs);
    const changed = new Set<TemplateSpec>();
    try {
      for (;;) {
        const woken = new Promise<void>((resolve) => (this.wake = resolve));
        const missing = new Set<string>();
        for (const item of this.items) {
          if (item.rendered && !item.stale) continue;
          item.stale = false;
          const outcome = renderTemplate(item.t, this.renderEnv);
          item.used = outcome.used;
          if (outcome.kind === 'failed') return await this.failAndWait(`Template failed: ${outcome.error}`, signal);
          if (outcome.kind === 'missing') {
            for (const m of outcome.missing) missing.add(m);
            continue;
          }
          if (await this.write(item, outcome.content)) changed.add(item.t.spec);
          item.content = outcome.content;
          item.rendered = true;
        }
        if (this.items.every((i) => i.rendered && !i.stale)) break;
        missingEvents.update(missing);
        if (signal.aborted) return { kind: 'aborted' };
        await new Promise<void>((resolve) => {
          const done = (): void => resolve();
          void woken.then(done);
          signal.addEventListener('abort', done, { once: true });
        });
        if (signal.aborted) return { kind: 'aborted' };
      }
    } finally {
      missingEvents.stop();
    }
    try {
      this.envVars = this.loadEnv();
    } catch (err) {
      return await this.failAndWait(`Template failed to read environment variables: ${errorMessage(err)}`, signal);
    }
    return { kind: 'rendered', changed: [...changed] };
  }

  /** After the first render: re-render watched templates on change and apply their change modes. */
  startWatching(): void {
    this.watching = true;
  }

  /** Stops watching; a pending splay or quiescence is dropped. Idempotent. */
  stop(): void {
    this.watching = false;
    this.stopCtrl.abort();
    this.unsubscribe();
    for (const item of this.items) if (item.quiet) clearTimeout(item.quiet.timer);
  }

  /** Writes a render unless the file already holds it; true when it wrote. */
  private write(item: Item, content: string): Promise<boolean> {
    const s = item.t.spec;
    // Checked at every write: the task may have swapped a directory on the way for a symlink since.
    if (!this.cfg.client.disableSandbox) checkNoSymlinkEscape(item.t.destPath, 'destination', s.destPath, this.cfg.taskDir);
    return writeOutput({ path: item.t.destPath, perms: s.perms, uid: s.uid, gid: s.gid }, content);
  }

  private async failAndWait(reason: string, signal: AbortSignal): Promise<FirstRender> {
    this.cfg.lifecycle.kill(killEvent(this.cfg.now(), reason));
    if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    return { kind: 'aborted' };
  }

  private changed(change: SourceChange): void {
    let any = false;
    for (const item of this.items) {
      if (!item.used.some((w) => affects(change, w))) continue;
      item.stale = true;
      any = true;
      if (this.watching && !item.t.spec.once) this.schedule(item);
    }
    if (any) this.wake();
  }

  /** Quiescence (consul-template's): render after `min` without change, but no later than `max` after the first change. */
  private schedule(item: Item): void {
    const wait = item.t.spec.wait ?? {};
    const minMs = wait.minMs ?? this.cfg.client.wait.minMs;
    const maxMs = wait.maxMs ?? this.cfg.client.wait.maxMs;
    if (minMs <= 0) {
      this.enqueue(item);
      return;
    }
    const now = this.cfg.now();
    const fire = (): void => {
      item.quiet = undefined;
      this.enqueue(item);
    };
    if (!item.quiet) {
      item.quiet = { timer: setTimeout(fire, minMs), deadline: now + Math.max(maxMs, minMs) };
      return;
    }
    clearTimeout(item.quiet.timer);
    item.quiet.timer = setTimeout(fire, Math.max(0, Math.min(minMs, item.quiet.deadline - now)));
  }

  private enqueue(item: Item): void {
    this.pending.add(item);
    if (!this.processing) void this.process();
  }

  /** Renders what is pending, one batch at a time, so change modes never overlap. */
  private async process(): Promise<void> {
    this.processing = true;
    try {
      while (this.pending.size > 0 && this.watching) {
        const batch = [...this.pending];
        this.pending.clear();
        const changed: TemplateSpec[] = [];
        for (const item of batch) {
          item.stale = false;
          const outcome = renderTemplate(item.t, this.renderEnv);
          item.used = outcome.used;
          if (outcome.kind === 'failed') {
            this.cfg.lifecycle.kill(killEvent(this.cfg.now(), `Template failed: ${outcome.error}`));
            this.stop();
            return;
          }
          // Data went missing after the first render: keep the last output and wait for it to return.
          if (outcome.kind === 'missing') continue;
          item.content = outcome.content;
          if (await this.write(item, outcome.content)) changed.push(item.t.spec);
        }
        if (changed.length === 0) continue;
        try {
          this.envVars = this.loadEnv();
        } catch (err) {
          this.cfg.lifecycle.kill(killEvent(this.cfg.now(), `Template failed to read environment variables: ${errorMessage(err)}`));
          this.stop();
          return;
        }
        await this.applyChanges(changed);
      }
    } catch (err) {
      this.cfg.lifecycle.kill(killEvent(this.cfg.now(), `Template failed: ${errorMessage(err)}`));
      this.stop();
    } finally {
      this.processing = false;
    }
  }

  /** Change modes for templates rewritten while the task runs (also used after a restore). */
  applyChanges(changed: readonly TemplateSpec[]): Promise<void> {
    const c = this.cfg;
    return applyChangeModes(changed, { lifecycle: c.lifecycle, events: c.events, now: c.now, random: c.random, logger: c.logger }, this.stopCtrl.signal);
  }

  /** Nomad's loadTemplateEnv: every env template's output, later templates winning. */
  private loadEnv(): Record<string, string> {
    const all: Record<string, string> = {};
    for (const item of this.items) {
      if (!item.t.spec.envvars || item.content === undefined) continue;
      try {
        Object.assign(all, parseEnvFile(item.content));
      } catch (err) {
        throw new Error(`error parsing env template ${JSON.stringify(item.t.destPath)}: ${errorMessage(err)}`);
      }
    }
    return all;
  }
}

/** Paths resolved and source read; throws naming the template. */
function prepare(spec: TemplateSpec, paths: PathContext): PreparedTemplate {
  const destPath = clientPath(spec.destPath, 'destination', paths);
  if (paths.sandbox) checkNoSymlinkEscape(destPath, 'destination', spec.destPath, paths.taskDir);
  let text = spec.embeddedTmpl;
  if (spec.sourcePath !== '') {
    const src = clientPath(spec.sourcePath, 'source', paths);
    if (paths.sandbox) checkNoSymlinkEscape(src, 'source', spec.sourcePath, paths.taskDir);
    try {
      text = readFileSync(src, 'utf8');
    } catch (err) {
      throw new Error(`failed to read template ${JSON.stringify(spec.sourcePath)}: ${errorMessage(err)}`);
    }
  }
  return { spec, name: spec.destPath, destPath, label: spec.sourcePath === '' ? '(dynamic)' : spec.sourcePath, text };
}

/**
 * consul-template's "Missing: ..." event: sent once the missing set has
 * changed and `rateMs` passed, listing three dependencies and "and N more".
 */
class MissingEvents {
  private current = '';
  private set: readonly string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly events: EventEmitter,
    private readonly now: () => number,
    private readonly rateMs: number,
  ) {}

  update(missing: ReadonlySet<string>): void {
    const sorted = [...missing].sort();
    const key = sorted.join('\0');
    if (key === this.current) return;
    this.current = key;
    this.set = sorted;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.set.length > 0) this.events.emit(newEvent('Template', this.now(), { message: `Missing: ${missingList(this.set)}` }));
    }, this.rateMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** "a, b, c, and 2 more" as consul-template words it. */
export function missingList(sorted: readonly string[]): string {
  if (sorted.length <= MISSING_DEP_EVENT_LIMIT) return sorted.join(', ');
  return [...sorted.slice(0, MISSING_DEP_EVENT_LIMIT), `and ${sorted.length - MISSING_DEP_EVENT_LIMIT} more`].join(', ');
}
