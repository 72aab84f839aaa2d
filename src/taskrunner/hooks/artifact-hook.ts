/**
 * Downloads the task's artifacts before it starts (Nomad's artifact hook):
 * emits "Downloading Artifacts", fetches each artifact in order into its
 * destination, and reports a failure as a recoverable "Failed Artifact
 * Download" so the restart policy retries it. Artifacts already fetched are
 * not fetched again on a retry.
 */
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import type { Artifact } from '../../model/job.js';
import { errorMessage } from '../../model/errors.js';
import { newEvent } from '../../model/task-event.js';
import { DEFAULT_GETTER_CONFIG, getArtifact, type GetterConfig } from '../artifacts/get.js';
import { resolveDestination } from '../artifacts/destination.js';
import { envLookup, interpolate, type NodeFacts } from '../task-env.js';
import { HookError, type EventEmitter, type PrestartHook, type PrestartRequest, type PrestartResponse } from './types.js';

/** Client settings for artifacts (Nomad's client artifact {} block). */
export interface ArtifactSettings {
  /** Getter limits and timeouts; Nomad's defaults for what is absent. */
  readonly getter?: Partial<GetterConfig>;
  /** Host directories local sources may read besides the alloc dir (Nomad's filesystem_isolation_extra_paths). */
  readonly localSourceRoots?: readonly string[];
}

/** What the hook needs from the runner, plus the client settings. */
export interface ArtifactHookConfig extends ArtifactSettings {
  readonly events: EventEmitter;
  readonly now: () => number;
  readonly node: NodeFacts;
}

/** The "artifacts" prestart hook. */
export class ArtifactHook implements PrestartHook {
  readonly name = 'artifacts';
  private readonly getter: GetterConfig;

  constructor(private readonly config: ArtifactHookConfig) {
    this.getter = { ...DEFAULT_GETTER_CONFIG, ...config.getter };
  }

  async prestart(req: PrestartRequest): Promise<PrestartResponse> {
    const { artifacts } = req.task;
    if (artifacts.length === 0) return { done: true };
    this.config.events.emit(newEvent('Downloading Artifacts', this.config.now(), {}));
    const state: Record<string, string> = {};
    for (const artifact of artifacts) {
      const id = artifactId(artifact);
      // The failure carries what was fetched so far; the runner persists it, so a retry
      // (even after an agent restart) skips completed artifacts.
      if (!req.previousState?.[id]) await this.fetch(artifact, req, state);
      state[id] = '1';
    }
    return { done: true, state };
  }

  private async fetch(a: Artifact, req: PrestartRequest, done: Readonly<Record<string, string>>): Promise<void> {
    const lookup = envLookup(req.env, this.config.node);
    const each = (m: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, interpolate(v, lookup)]));
    try {
      const dest = resolveDestination(a.destination, req.taskDir, req.env, this.config.node);
      await getArtifact({
        source: interpolate(a.source, lookup),
        options: each(a.options),
        headers: each(a.headers),
        mode: a.mode,
        destination: dest.path,
        sandbox: dest.sandbox,
        stagingDir: req.taskDir.dir,
        localRoots: [dirname(req.taskDir.dir), ...(this.config.localSourceRoots ?? [])],
        config: this.getter,
        signal: req.signal,
      });
    } catch (err) {
      // The source as written: the interpolated one may carry secrets.
      const msg = `failed to download artifact ${JSON.stringify(a.source)}: ${errorMessage(err)}`;
      throw new HookError(msg, newEvent('Failed Artifact Download', this.config.now(), { downloadError: msg }), { recoverable: true, cause: err, state: { ...done } });
    }
  }
}

/** A stable id for an artifact (Nomad's TaskArtifact.Hash): the same source to two destinations is two artifacts. */
export function artifactId(a: Artifact): string {
  const sorted = (m: Readonly<Record<string, string>>) => Object.entries(m).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  const canonical = JSON.stringify([a.source, sorted(a.options), sorted(a.headers), a.mode, a.destination]);
  return createHash('sha256').update(canonical).digest('base64url');
}
