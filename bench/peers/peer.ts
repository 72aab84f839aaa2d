/**
 * What the scenarios ask of a process manager. Each peer maps a TaskSpec
 * onto its own user-facing configuration (a drover job with one group per
 * task, a PM2 ecosystem file, supervisord program sections) and is driven
 * only through its CLI, as a user would; README.md lists the settings.
 */
import type { CommandResult } from './command.js';

export type PeerName = 'drover' | 'pm2' | 'supervisord';

/**
 * service: long-running, restarted with the peer's defaults if it exits;
 * crash-loop: restarted at once (no delay, no backoff, no attempt limit);
 * once: run once, never restarted.
 */
export type RestartPolicy = 'service' | 'crash-loop' | 'once';

export interface TaskSpec {
  /** Unique within its unit; [a-z0-9-]. */
  readonly name: string;
  /** Absolute path first. */
  readonly argv: readonly string[];
  readonly restart: RestartPolicy;
  /** Rotation sized for the log scenario (3 × 100 MiB) instead of each peer's everyday setting (10 × 10 MiB). */
  readonly bigLogs?: boolean;
}

/** A manager started by a scenario in its own directory. */
export interface RunningPeer {
  /** The manager's own processes (not the tasks): what its memory figures sum. */
  managerPids(): number[];
  /** Writes the unit's configuration (not timed). */
  prepare(unit: string, tasks: readonly TaskSpec[]): void;
  /** Runs the user command that starts a prepared unit; resolves when that command exits. */
  submit(unit: string): Promise<CommandResult>;
  /** Runs the user command that stops every task of the unit. */
  stop(unit: string): Promise<CommandResult>;
  /** Stops and forgets the unit (between warm-up and measurement). */
  remove(unit: string): Promise<void>;
  /** The task's stdout log files that exist now, oldest first; [] until the peer created them. */
  stdoutFiles(unit: string, task: string): string[];
  /** Stops every task and the manager, and waits until they are gone: the cleanup after every scenario, even a failed one. */
  shutdown(): Promise<void>;
}

export interface Peer {
  readonly name: PeerName;
  /** As printed in the table header, e.g. "PM2 7.0.4". */
  readonly label: string;
  start(dir: string, signal: AbortSignal): Promise<RunningPeer>;
}

/** Quotes one argument for a POSIX shell (and for shlex, which supervisord uses). */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=:+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
