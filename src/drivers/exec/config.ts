/**
 * exec's plugin and task config: Nomad's names, types, defaults and
 * validation messages (drivers/exec/driver.go), decoded once into typed
 * forms. drover adds two plugin options Nomad keeps elsewhere or lacks:
 * `chroot_env` (Nomad's client { chroot_env }) and `pids_limit`.
 */
import { decodeSpec, spec, type ObjectSpec } from '../../model/config-spec.js';
import { ValidationError, type FieldProblem } from '../../model/errors.js';
import { DEFAULT_CHROOT_ENV, supportedCapabilities } from '../../executor/isolation/index.js';
import { NOMAD_DEFAULT_CAPS, unsupported } from './capabilities.js';
import { parseIdRanges, type IdRanges } from '../shared/id-ranges.js';

export type IsolationMode = 'private' | 'host';
const MODES: readonly string[] = ['private', 'host'];

/** The plugin "exec" { config { } } schema. */
export const pluginConfigSchema: ObjectSpec = spec.object({
  no_pivot_root: spec.attr('bool', { default: false }),
  default_pid_mode: spec.attr('string', { default: 'private' }),
  default_ipc_mode: spec.attr('string', { default: 'private' }),
  allow_caps: spec.attr('list(string)', { default: NOMAD_DEFAULT_CAPS }),
  denied_host_uids: spec.attr('string', { default: '' }),
  denied_host_gids: spec.attr('string', { default: '' }),
  /** drover: Nomad's client chroot_env, host path → chroot path. */
  chroot_env: spec.attr('map(string)'),
  /** drover: max processes per task (pids cgroup); 0 = unlimited, Nomad's behaviour. */
  pids_limit: spec.attr('number', { default: 0, min: 0 }),
});

/** Decoded plugin config. */
export interface ExecPluginConfig {
  readonly noPivotRoot: boolean;
  readonly defaultPidMode: IsolationMode;
  readonly defaultIpcMode: IsolationMode;
  readonly allowCaps: readonly string[];
  readonly deniedHostUids: IdRanges;
  readonly deniedHostGids: IdRanges;
  readonly chrootEnv: Readonly<Record<string, string>>;
  readonly pidsLimit: number;
}

/** The task config {} schema (Nomad's taskConfigSpec). */
export const taskConfigSchema: ObjectSpec = spec.object({
  command: spec.attr('string', { required: true }),
  args: spec.attr('list(string)'),
  pid_mode: spec.attr('string'),
  ipc_mode: spec.attr('string'),
  cap_add: spec.attr('list(string)'),
  cap_drop: spec.attr('list(string)'),
  work_dir: spec.attr('string'),
});

/** Decoded task config; empty modes mean "the plugin default". */
export interface ExecTaskConfig {
  readonly command: string;
  readonly args: readonly string[];
  readonly pidMode: '' | IsolationMode;
  readonly ipcMode: '' | IsolationMode;
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly workDir: string;
}

/** Decodes and validates the plugin block; throws ValidationError naming each bad field. */
export function decodePluginConfig(raw: unknown): ExecPluginConfig {
  const path = 'config';
  const { value: v, problems } = decodeSpec<Record<string, unknown>>(pluginConfigSchema, raw, path);
  const mode = (key: string): IsolationMode => {
    const m = v[key] as string;
    if (typeof m === 'string' && !MODES.includes(m)) problems.push({ field: `${path}.${key}`, message: `${key} must be "private" or "host", got "${m}"` });
    return m as IsolationMode;
  };
  const allowCaps = (v['allow_caps'] as string[] | undefined) ?? [];
  const bad = unsupported(allowCaps);
  if (bad.length > 0) problems.push({ field: `${path}.allow_caps`, message: `allow_caps configured with capabilities not supported by system: ${bad.join(', ')}` });
  const ids = (key: string, kind: 'deniedHostUIDs' | 'deniedHostGIDs'): IdRanges => {
    try {
      return parseIdRanges((v[key] as string | undefined) ?? '', kind);
    } catch (err) {
      problems.push({ field: `${path}.${key}`, message: (err as Error).message });
      return parseIdRanges('');
    }
  };
  const cfg: ExecPluginConfig = {
    noPivotRoot: v['no_pivot_root'] as boolean,
    defaultPidMode: mode('default_pid_mode'),
    defaultIpcMode: mode('default_ipc_mode'),
    allowCaps,
    deniedHostUids: ids('denied_host_uids', 'deniedHostUIDs'),
    deniedHostGids: ids('denied_host_gids', 'deniedHostGIDs'),
    chrootEnv: (v['chroot_env'] as Record<string, string> | undefined) ?? DEFAULT_CHROOT_ENV,
    pidsLimit: integer(v, 'pids_limit', path, problems),
  };
  if (problems.length > 0) throw new ValidationError(problems);
  return cfg;
}

/** Decodes and validates a task's config {} (Nomad's TaskConfig.validate). */
export function decodeTaskConfig(raw: Readonly<Record<string, unknown>>): ExecTaskConfig {
  const path = 'config';
  const { value: v, problems } = decodeSpec<Record<string, unknown>>(taskConfigSchema, raw, path);
  const mode = (key: string): '' | IsolationMode => {
    const m = (v[key] as string | undefined) ?? '';
    if (m !== '' && !MODES.includes(m)) problems.push({ field: `${path}.${key}`, message: `${key} must be "private" or "host", got "${m}"` });
    return m as '' | IsolationMode;
  };
  const caps = (key: string): string[] => {
    const list = (v[key] as string[] | undefined) ?? [];
    const bad = unsupported(list, supportedCapabilities());
    if (bad.length > 0) problems.push({ field: `${path}.${key}`, message: `${key} configured with capabilities not supported by system: ${bad.join(', ')}` });
    return list;
  };
  const workDir = (v['work_dir'] as string | undefined) ?? '';
  if (workDir !== '' && !workDir.startsWith('/')) problems.push({ field: `${path}.work_dir`, message: `work_dir must be absolute but got relative path "${workDir}"` });
  const cfg: ExecTaskConfig = {
    command: (v['command'] as string | undefined) ?? '',
    args: (v['args'] as string[] | undefined) ?? [],
    pidMode: mode('pid_mode'),
    ipcMode: mode('ipc_mode'),
    capAdd: caps('cap_add'),
    capDrop: caps('cap_drop'),
    workDir,
  };
  if (problems.length > 0) throw new ValidationError(problems);
  return cfg;
}

function integer(v: Record<string, unknown>, key: string, path: string, problems: FieldProblem[]): number {
  const n = v[key] as number;
  if (!Number.isInteger(n)) problems.push({ field: `${path}.${key}`, message: `expected a whole number, got ${n}` });
  return n;
}
