/**
 * mock_driver's plugin and task config schemas and their typed, decoded
 * forms. Field names, types and defaults follow Nomad's drivers/mock; every
 * duration is decoded to milliseconds here, once, so the task never parses.
 */
import { decodeSpec, spec, type FieldSpec, type ObjectSpec } from '../../model/config-spec.js';
import { ValidationError, type FieldProblem } from '../../model/errors.js';
import type { FSIsolation } from '../types.js';

/** The plugin "mock_driver" { config { } } schema. */
export const pluginConfigSchema: ObjectSpec = spec.object({
  fs_isolation: spec.attr('string', { default: 'none', oneOf: ['none', 'chroot', 'image'] }),
  shutdown_periodic_after: spec.attr('bool', { default: false }),
  /** Seconds, as Nomad's docs say. */
  shutdown_periodic_duration: spec.attr('number', { default: 0, min: 0 }),
});

/** Decoded plugin config. */
export interface MockPluginConfig {
  readonly fsIsolation: FSIsolation;
  readonly shutdownPeriodicAfter: boolean;
  readonly shutdownPeriodicDurationMs: number;
}

/** Fields shared by the task itself and its exec_command block (Nomad's mock.Command). */
function commandFields(): Record<string, FieldSpec> {
  return {
    run_for: spec.attr('duration', { default: 0 }),
    exit_code: spec.attr('number', { default: 0 }),
    exit_signal: spec.attr('number', { default: 0 }),
    exit_err_msg: spec.attr('string', { default: '' }),
    signal_error: spec.attr('string', { default: '' }),
    stdout_string: spec.attr('string', { default: '' }),
    stdout_repeat: spec.attr('number', { default: 0, min: 0 }),
    stdout_repeat_duration: spec.attr('duration', { default: 0 }),
    stderr_string: spec.attr('string', { default: '' }),
    stderr_repeat: spec.attr('number', { default: 0, min: 0 }),
    stderr_repeat_duration: spec.attr('duration', { default: 0 }),
  };
}

/** The task config {} schema. */
export const taskConfigSchema: ObjectSpec = spec.object({
  ...commandFields(),
  exec_command: spec.block(spec.object(commandFields())),
  plugin_exit_after: spec.attr('duration', { default: 0 }),
  start_error: spec.attr('string', { default: '' }),
  start_error_recoverable: spec.attr('bool', { default: false }),
  start_block_for: spec.attr('duration', { default: 0 }),
  kill_after: spec.attr('duration', { default: 0 }),
  driver_ip: spec.attr('string', { default: '' }),
  driver_advertise: spec.attr('bool', { default: false }),
  driver_port_map: spec.attr('string', { default: '' }),
});

/** What a fake process does (Nomad's mock.Command), durations in ms. */
export interface MockCommand {
  readonly runForMs: number;
  readonly exitCode: number;
  readonly exitSignal: number;
  readonly exitErrMsg: string;
  readonly signalError: string;
  readonly stdoutString: string;
  readonly stdoutRepeat: number;
  readonly stdoutRepeatMs: number;
  readonly stderrString: string;
  readonly stderrRepeat: number;
  readonly stderrRepeatMs: number;
}

/** Decoded task config (Nomad's mock.TaskConfig). */
export interface MockTaskConfig {
  readonly command: MockCommand;
  /** Absent unless an exec_command block was written. */
  readonly execCommand?: MockCommand;
  readonly pluginExitAfterMs: number;
  readonly startError: string;
  readonly startErrorRecoverable: boolean;
  readonly startBlockForMs: number;
  readonly killAfterMs: number;
  readonly driverIp: string;
  readonly driverAdvertise: boolean;
  /** driver_port_map "label:number", parsed. */
  readonly driverPortMap?: { readonly label: string; readonly port: number };
}

/** A command that does nothing and exits 0 at once. */
export const emptyCommand: MockCommand = {
  runForMs: 0,
  exitCode: 0,
  exitSignal: 0,
  exitErrMsg: '',
  signalError: '',
  stdoutString: '',
  stdoutRepeat: 0,
  stdoutRepeatMs: 0,
  stderrString: '',
  stderrRepeat: 0,
  stderrRepeatMs: 0,
};

/** Decodes the plugin config block; throws ValidationError naming each bad field. */
export function decodePluginConfig(raw: unknown): MockPluginConfig {
  const { value, problems } = decodeSpec<Record<string, unknown>>(pluginConfigSchema, raw, 'config');
  if (problems.length > 0) throw new ValidationError(problems);
  return {
    fsIsolation: value['fs_isolation'] as FSIsolation,
    shutdownPeriodicAfter: value['shutdown_periodic_after'] as boolean,
    shutdownPeriodicDurationMs: (value['shutdown_periodic_duration'] as number) * 1000,
  };
}

/** Decodes a task's config {}; throws ValidationError naming each bad field. */
export function decodeTaskConfig(raw: Readonly<Record<string, unknown>>): MockTaskConfig {
  const path = 'config';
  const input = emptyDurationsAsUnset(raw, taskConfigSchema);
  const { value, problems } = decodeSpec<Record<string, unknown>>(taskConfigSchema, input, path);
  const command = toCommand(value, path, problems);
  // decodeSpec fills an absent block with defaults; Nomad keeps it nil, and exec depends on the difference.
  const execBlock = raw['exec_command'];
  const hasExec = execBlock !== undefined && execBlock !== null && !(Array.isArray(execBlock) && execBlock.length === 0);
  const execCommand = hasExec ? toCommand(value['exec_command'] as Record<string, unknown>, `${path}.exec_command`, problems) : undefined;
  const portMapRaw = value['driver_port_map'] as string;
  const driverPortMap = portMapRaw === '' ? undefined : parsePortMap(portMapRaw, `${path}.driver_port_map`, problems);
  if (problems.length > 0) throw new ValidationError(problems);
  return {
    command,
    ...(execCommand ? { execCommand } : {}),
    pluginExitAfterMs: value['plugin_exit_after'] as number,
    startError: value['start_error'] as string,
    startErrorRecoverable: value['start_error_recoverable'] as boolean,
    startBlockForMs: value['start_block_for'] as number,
    killAfterMs: value['kill_after'] as number,
    driverIp: value['driver_ip'] as string,
    driverAdvertise: value['driver_advertise'] as boolean,
    ...(driverPortMap ? { driverPortMap } : {}),
  };
}

function toCommand(v: Record<string, unknown>, path: string, problems: FieldProblem[]): MockCommand {
  const int = (key: string): number => {
    const n = v[key] as number;
    // Nomad decodes these into Go ints.
    if (typeof n === 'number' && !Number.isInteger(n)) problems.push({ field: `${path}.${key}`, message: `expected a whole number, got ${n}` });
    return n;
  };
  return {
    runForMs: v['run_for'] as number,
    exitCode: int('exit_code'),
    exitSignal: int('exit_signal'),
    exitErrMsg: v['exit_err_msg'] as string,
    signalError: v['signal_error'] as string,
    stdoutString: v['stdout_string'] as string,
    stdoutRepeat: int('stdout_repeat'),
    stdoutRepeatMs: v['stdout_repeat_duration'] as number,
    stderrString: v['stderr_string'] as string,
    stderrRepeat: int('stderr_repeat'),
    stderrRepeatMs: v['stderr_repeat_duration'] as number,
  };
}

/** Parses "label:number" the way Nomad's mock does (exactly one colon, integer port). */
function parsePortMap(raw: string, field: string, problems: FieldProblem[]): { label: string; port: number } | undefined {
  const parts = raw.split(':');
  if (parts.length !== 2 || !/^[+-]?\d+$/.test(parts[1] as string)) {
    problems.push({ field, message: `malformed port map: ${JSON.stringify(raw)}` });
    return undefined;
  }
  return { label: parts[0] as string, port: Number(parts[1]) };
}

/**
 * Nomad's mock treats a duration of "" as zero (its parseDuration is
 * empty-string friendly); drop such keys so the default applies.
 */
function emptyDurationsAsUnset(raw: Readonly<Record<string, unknown>>, s: ObjectSpec): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, v] of Object.entries(raw)) {
    const field = s.fields[key];
    if (field === undefined) continue;
    let next: unknown = v;
    if (field.kind === 'attr' && field.type === 'duration' && v === '') next = undefined;
    else if (field.kind === 'block' && v !== null && typeof v === 'object') {
      next = Array.isArray(v)
        ? v.map((b: unknown) => (b !== null && typeof b === 'object' && !Array.isArray(b) ? emptyDurationsAsUnset(b as Record<string, unknown>, field.spec) : b))
        : emptyDurationsAsUnset(v as Record<string, unknown>, field.spec);
    }
    if (next !== v) {
      out ??= { ...raw };
      if (next === undefined) delete out[key];
      else out[key] = next;
    }
  }
  return out ?? (raw as Record<string, unknown>);
}
