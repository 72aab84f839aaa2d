/**
 * The job as drover runs it: Nomad's jobspec decoded, defaulted and validated.
 * Durations are integer milliseconds (parsed once, at the edge).
 */
/** Nomad's job types; on a client, `system` tasks restart like `service` ones. */
export const JobType = { service: 'service', batch: 'batch', system: 'system', sysbatch: 'sysbatch' };
export const RestartMode = { fail: 'fail', delay: 'delay' };
/** Nomad's defaults: service jobs restart quickly and fail, batch jobs get more attempts over a day. */
export const DEFAULT_SERVICE_RESTART = {
    attempts: 2,
    intervalMs: 30 * 60_000,
    delayMs: 15_000,
    mode: 'fail',
};
export const DEFAULT_BATCH_RESTART = {
    attempts: 3,
    intervalMs: 24 * 3_600_000,
    delayMs: 15_000,
    mode: 'fail',
};
export const DEFAULT_RESOURCES = { cpu: 100, cores: 0, memoryMb: 300, memoryMaxMb: 0 };
export const LifecycleHook = { prestart: 'prestart', poststart: 'poststart', poststop: 'poststop' };
export const DEFAULT_LOGS = { maxFiles: 10, maxFileSizeMb: 10, disabled: false };
export const ArtifactMode = { any: 'any', file: 'file', dir: 'dir' };
/** The Nomad default kill timeout. */
export const DEFAULT_KILL_TIMEOUT_MS = 5_000;
//# sourceMappingURL=job.js.map