/**
 * The "template" task hook (Nomad's template_hook.go): prestart renders every
 * template and blocks the start until all have rendered; the templates'
 * `env = true` output joins the task's environment; afterwards the manager
 * re-renders on change and applies each template's change_mode. A task
 * restart keeps the running manager (its env is handed back) unless the
 * restart policy sets render_templates. Renders survive an agent restart
 * without a spurious change_mode: what is on disk already is not rewritten.
 */
import type { Logger } from '../../../model/logger.js';
import type { WatchableSources } from '../../../template/sources.js';
import { errorMessage } from '../../../model/errors.js';
import { newEvent } from '../../../model/task-event.js';
import type { NodeFacts } from '../../task-env.js';
import { HookError, type EventEmitter, type PoststartHook, type PoststartRequest, type PrestartHook, type PrestartRequest, type PrestartResponse, type StopHook } from '../types.js';
import { DEFAULT_MAX_TEMPLATE_EVENT_RATE_MS, DEFAULT_TEMPLATE_CLIENT_CONFIG, type TemplateClientConfig } from './client-config.js';
import type { TemplateEngine } from './engine.js';
import type { TemplateLifecycle } from './lifecycle.js';
import { runScript } from './change-mode.js';
import { TemplateManager } from './manager.js';

/** The task whose identity a template reads with (the agent's Workload). */
export interface TemplateWorkload {
  readonly namespace: string;
  readonly jobId: string;
  readonly group: string;
  readonly task: string;
}

/** What the agent gives the hook (all optional: Nomad's defaults and no sources). */
export interface TemplateSettings {
  /** The node's variables and services with their change watch: one for all tasks, or one per task (read with its workload identity). */
  readonly sources?: WatchableSources | ((w: TemplateWorkload) => WatchableSources);
  /** The template library; drover's Go template engine with consul-template's functions when absent. */
  readonly engine?: TemplateEngine;
  readonly client?: Partial<TemplateClientConfig>;
  /** Nomad's MaxTemplateEventRate (3s); tests shorten it. */
  readonly eventRateMs?: number;
}

export interface TemplateHookConfig extends Omit<TemplateSettings, 'sources'> {
  /** This task's sources (TemplateSettings.sources resolved for it). */
  readonly sources?: WatchableSources;
  readonly lifecycle: TemplateLifecycle;
  readonly events: EventEmitter;
  readonly node: NodeFacts;
  readonly namespace: string;
  readonly region: string;
  readonly now: () => number;
  readonly random: () => number;
  readonly logger: Logger;
}

/** The Go template engine and its functions (yaml among them) load on a first template: an agent without any does not carry them. */
let goEngine: Promise<TemplateEngine> | undefined;
function goTemplateEngine(): Promise<TemplateEngine> {
  goEngine ??= import('./go-engine.js').then((m) => m.goTemplateEngine);
  return goEngine;
}

export class TemplateHook implements PrestartHook, PoststartHook, StopHook {
  readonly name = 'template';
  private manager: TemplateManager | undefined;
  /** Change modes owed by a restore whose render differed from disk, applied once the task is back. */
  private owedChanges: Parameters<TemplateManager['applyChanges']>[0] = [];
  private firstRenderScriptsDone = false;

  constructor(private readonly config: TemplateHookConfig) {}

  async prestart(req: PrestartRequest): Promise<PrestartResponse> {
    if (this.manager) {
      if (!req.task.restart.renderTemplates) return { env: this.manager.templateEnv(), state: { ...req.previousState } };
      this.config.logger.info('re-rendering templates on task restart');
      this.manager.stop();
      this.manager = undefined;
    }
    const c = this.config;
    let manager: TemplateManager;
    try {
      manager = new TemplateManager({
        templates: req.task.templates,
        engine: c.engine ?? (await goTemplateEngine()),
        sources: c.sources,
        taskDir: req.taskDir,
        env: req.env,
        node: c.node,
        namespace: c.namespace,
        region: c.region,
        client: { ...DEFAULT_TEMPLATE_CLIENT_CONFIG, ...c.client },
        eventRateMs: c.eventRateMs ?? DEFAULT_MAX_TEMPLATE_EVENT_RATE_MS,
        lifecycle: c.lifecycle,
        events: c.events,
        now: c.now,
        random: c.random,
        logger: c.logger,
      });
    } catch (err) {
      // A bad path or unreadable source cannot get better by retrying (Nomad fails the hook).
      const message = `template: ${errorMessage(err)}`;
      throw new HookError(message, newEvent('Task hook failed', c.now(), { message, failsTask: true }), { cause: err });
    }
    const first = await manager.firstRender(req.signal);
    if (first.kind === 'aborted') {
      // Killed (or the agent stops) while waiting: the runner sees its own abort and does not start the task.
      manager.stop();
      return {};
    }
    this.manager = manager;
    // The task already runs (restored after an agent restart) and a template changed meanwhile: owe its change mode.
    if (first.changed.length > 0 && c.lifecycle.isRunning()) this.owedChanges = first.changed;
    manager.startWatching();
    return { env: manager.templateEnv(), state: manager.hashes() };
  }

  async poststart(req: PoststartRequest): Promise<void> {
    const manager = this.manager;
    if (!manager) return;
    const owed = this.owedChanges;
    this.owedChanges = [];
    // Not awaited: a restart from here waits for the task to stop, which the runner only watches after poststart.
    if (owed.length > 0) void manager.applyChanges(owed);
    if (this.firstRenderScriptsDone) return;
    this.firstRenderScriptsDone = true;
    const c = this.config;
    const scripts = req.task.templates.filter((t) => t.changeMode === 'script' && t.changeScript?.runOnFirstRender).map((t) => t.changeScript);
    for (const s of scripts) {
      if (s) void runScript(s, { lifecycle: c.lifecycle, events: c.events, now: c.now, random: c.random, logger: c.logger });
    }
  }

  async stop(): Promise<void> {
    this.manager?.stop();
  }
}
