/**
 * The agent's template settings (Nomad's client `template { }` block), with
 * Nomad's defaults (client/config DefaultTemplateConfig): the functions a job
 * may not call, whether paths are confined to the allocation dir, and the
 * quiescence wait every re-render observes unless the template sets its own.
 */
export interface TemplateClientConfig {
  /** consul-template functions a template may not call. */
  readonly functionDenylist: readonly string[];
  /** Let templates read and write outside the allocation dir (Nomad's disable_file_sandbox). */
  readonly disableSandbox: boolean;
  /** Quiescence for re-renders: wait `minMs` without change, at most `maxMs` (Nomad's client wait { }). */
  readonly wait: { readonly minMs: number; readonly maxMs: number };
}

export const DEFAULT_TEMPLATE_CLIENT_CONFIG: TemplateClientConfig = {
  functionDenylist: ['executeTemplate', 'plugin', 'writeToFile'],
  disableSandbox: false,
  wait: { minMs: 5_000, maxMs: 240_000 },
};

/** consul-template rate-limits its "Missing: ..." event (Nomad's DefaultMaxTemplateEventRate). */
export const DEFAULT_MAX_TEMPLATE_EVENT_RATE_MS = 3_000;
