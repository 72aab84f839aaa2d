/**
 * restart { } blocks: each level sets only what it writes, and Nomad merges
 * job-type default ← group block ← task block field by field (api/tasks.go
 * TaskGroup.Canonicalize, then Task.Canonicalize).
 */
import { RESTART_MODES, restartModeProblem, restartProblems } from '../model/index.js';
import { BodyReader } from '../hcl/index.js';
import { RESTART_NAMES } from './names.js';
/** Decodes the fields a restart block sets, checking each. */
export function decodeRestart(report, path, raw) {
    const r = new BodyReader(report, path, raw, RESTART_NAMES, 'restart');
    const out = {};
    const attempts = r.int('attempts');
    if (attempts !== undefined) {
        if (attempts < 0)
            report.error(r.field('attempts'), `attempts must not be negative, got ${attempts}`);
        else
            out.attempts = attempts;
    }
    const interval = r.duration('interval');
    if (interval !== undefined)
        out.intervalMs = interval;
    const delay = r.duration('delay');
    if (delay !== undefined)
        out.delayMs = delay;
    const mode = r.string('mode');
    if (mode !== undefined) {
        const known = RESTART_MODES.find((m) => m === mode);
        if (known)
            out.mode = known;
        else
            report.error(r.field('mode'), restartModeProblem(mode) ?? '');
    }
    const render = r.bool('render_templates');
    if (render !== undefined)
        out.renderTemplates = render;
    return out;
}
/** `base` with the override's fields on top. */
export function mergeRestart(base, override) {
    return { ...base, ...override };
}
/** Nomad's RestartPolicy.Validate rules that span fields, reported at `field`. */
export function checkRestart(report, field, p) {
    for (const message of restartProblems(p))
        report.error(field, message);
}
//# sourceMappingURL=decode-restart.js.map