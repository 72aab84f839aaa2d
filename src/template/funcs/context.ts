import type { DependencyRecorder, TemplateSources } from '../sources.js';

/** What a render's functions read: the node's state, the task's env and files, the job's place, the clock. */
export interface FuncContext {
  readonly sources: TemplateSources;
  readonly deps: DependencyRecorder;
  /** The task's environment: `env` reads only this, never the agent's own. */
  readonly env: Readonly<Record<string, string>>;
  /** Reads a file for `file`; the caller confines it to the task's sandbox and throws on a path outside it. */
  readFile(path: string): string;
  /** The job's namespace: the default for nomadVar, nomadVarList and the service functions. */
  readonly namespace: string;
  /** This agent's region and datacenter; a query naming another region fails. */
  readonly region: string;
  readonly datacenter: string;
  /** Milliseconds since the epoch (injected so tests are exact). */
  now(): number;
  /**
   * Nomad's client `template { function_denylist = [...] }`: names or globs
   * ("sprig_*") whose call fails with "function is disabled". Defaults to
   * Nomad's ["executeTemplate", "plugin", "writeToFile"].
   */
  readonly functionDenylist?: readonly string[];
}
