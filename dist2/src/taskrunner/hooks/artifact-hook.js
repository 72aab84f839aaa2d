/**
 * Downloads the task's artifacts before it starts (Nomad's artifact hook):
 * emits "Downloading Artifacts", fetches each artifact in order into its
 * destination, and reports a failure as a recoverable "Failed Artifact
 * Download" so the restart policy retries it. Artifacts already fetched are
 * not fetched again on a retry.
 */
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { errorMessage } from '../../model/errors.js';
import { newEvent } from '../../model/task-event.js';
import { DEFAULT_GETTER_CONFIG, getArtifact } from '../artifacts/get.js';
import { resolveDestination } from '../artifacts/destination.js';
import { envLookup, interpolate } from '../task-env.js';
import { HookError } from './types.js';
/** The "artifacts" prestart hook. */
export class ArtifactHook {
    config;
    name = 'artifacts';
    getter;
    constructor(config) {
        this.config = config;
        this.getter = { ...DEFAULT_GETTER_CONFIG, ...config.getter };
    }
    async prestart(req) {
        const { artifacts } = req.task;
        if (artifacts.length === 0)
            return { done: true };
        this.config.events.emit(newEvent('Downloading Artifacts', this.config.now(), {}));
        const state = {};
        for (const artifact of artifacts) {
            const id = artifactId(artifact);
            // The failure carries what was fetched so far; the runner persists it, so a retry
            // (even after an agent restart) skips completed artifacts.
            if (!req.previousState?.[id])
                await this.fetch(artifact, req, state);
            state[id] = '1';
        }
        return { done: true, state };
    }
    async fetch(a, req, done) {
        const lookup = envLookup(req.env, this.config.node);
        const each = (m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, interpolate(v, lookup)]));
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
        }
        catch (err) {
            // The source as written: the interpolated one may carry secrets.
            const msg = `failed to download artifact ${JSON.stringify(a.source)}: ${errorMessage(err)}`;
            throw new HookError(msg, newEvent('Failed Artifact Download', this.config.now(), { downloadError: msg }), { recoverable: true, cause: err, state: { ...done } });
        }
    }
}
/** A stable id for an artifact (Nomad's TaskArtifact.Hash): the same source to two destinations is two artifacts. */
export function artifactId(a) {
    const sorted = (m) => Object.entries(m).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    const canonical = JSON.stringify([a.source, sorted(a.options), sorted(a.headers), a.mode, a.destination]);
    return createHash('sha256').update(canonical).digest('base64url');
}
//# sourceMappingURL=artifact-hook.js.map