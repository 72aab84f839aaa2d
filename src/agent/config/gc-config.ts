/** Garbage collection settings: Nomad's server { job_gc_* eval_gc_* } and client { gc_* }. */

/** Nomad's GC settings (server and client), in ms and percent. */
export interface GcConfig {
  readonly jobGcIntervalMs: number;
  readonly jobGcThresholdMs: number;
  readonly evalGcThresholdMs: number;
  readonly batchEvalGcThresholdMs: number;
  /** server { deployment_gc_threshold }: a terminal deployment older than this, no live alloc of it, is collected. */
  readonly deploymentGcThresholdMs: number;
  readonly clientGcIntervalMs: number;
  readonly clientGcMaxAllocs: number;
  readonly clientGcDiskUsageThreshold: number;
  readonly clientGcInodeUsageThreshold: number;
}

/** Nomad's defaults (nomad/config.go, client/config). */
export const DEFAULT_GC_CONFIG: GcConfig = {
  jobGcIntervalMs: 5 * 60_000,
  jobGcThresholdMs: 4 * 3_600_000,
  evalGcThresholdMs: 3_600_000,
  batchEvalGcThresholdMs: 24 * 3_600_000,
  deploymentGcThresholdMs: 3_600_000,
  clientGcIntervalMs: 60_000,
  clientGcMaxAllocs: 50,
  clientGcDiskUsageThreshold: 80,
  clientGcInodeUsageThreshold: 70,
};
