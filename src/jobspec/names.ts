/**
 * Every attribute and block name Nomad's jobspec accepts at each level
 * (from api/jobs.go, api/tasks.go, api/resources.go hcl tags and jobspec2's
 * extras), split into what drover decodes and what it accepts but ignores.
 * A name in neither list is unknown to Nomad too, so it is an error.
 */
import type { LevelNames } from '../hcl/index.js';

/** job "id" { ... } */
export const JOB_NAMES: LevelNames = {
  // affinity and spread have nothing to choose between on one node: accepted without a word, not decoded.
  decoded: ['id', 'name', 'type', 'region', 'namespace', 'datacenters', 'priority', 'meta', 'group', 'task', 'periodic', 'parameterized', 'constraint', 'affinity', 'spread', 'update', 'reschedule'],
  ignored: [
    'all_at_once', 'node_pool', 'multiregion', 'migrate', 'ui', 'vault', 'secret',
  ],
};

/** group "name" { ... } */
export const GROUP_NAMES: LevelNames = {
  decoded: ['count', 'meta', 'restart', 'shutdown_delay', 'task', 'network', 'service', 'ephemeral_disk', 'volume', 'constraint', 'affinity', 'spread',
    'max_run_duration', 'scaling', 'update', 'reschedule'],
  ignored: [
    'disconnect', 'migrate',
    'stop_after_client_disconnect', 'max_client_disconnect',
    'consul', 'prevent_reschedule_on_lost', 'vault', 'secret',
  ],
};

/** task "name" { ... } */
export const TASK_NAMES: LevelNames = {
  decoded: [
    'driver', 'user', 'lifecycle', 'config', 'env', 'resources', 'restart', 'meta', 'kill_timeout', 'logs',
    'artifact', 'leader', 'shutdown_delay', 'kill_signal', 'service', 'template', 'identity', 'dispatch_payload', 'volume_mount',
    'constraint', 'affinity',
  ],
  ignored: [
    'vault', 'consul',
    'csi_plugin', 'kind', 'scaling', 'secret', 'action', 'schedule',
  ],
};

/** identity { ... } in a task */
export const IDENTITY_NAMES: LevelNames = {
  decoded: ['name', 'aud', 'change_mode', 'change_signal', 'env', 'file', 'filepath', 'ttl', 'service_name', 'extra_claims'],
  ignored: [],
};

/** resources { ... } */
export const RESOURCES_NAMES: LevelNames = {
  decoded: ['cpu', 'cores', 'memory', 'memory_max', 'disk', 'network'],
  ignored: ['device', 'numa', 'secrets', 'iops'],
};

/** update { ... } at job or group level */
export const UPDATE_NAMES: LevelNames = {
  decoded: ['stagger', 'max_parallel', 'health_check', 'min_healthy_time', 'healthy_deadline', 'progress_deadline', 'auto_revert', 'auto_promote', 'canary'],
  ignored: [],
};

/** restart { ... } */
export const RESTART_NAMES: LevelNames = {
  decoded: ['attempts', 'interval', 'delay', 'mode', 'render_templates'],
  ignored: [],
};

/** ephemeral_disk { ... } in a group */
export const EPHEMERAL_DISK_NAMES: LevelNames = { decoded: ['size', 'sticky', 'migrate'], ignored: [] };

/** logs { ... } */
export const LOGS_NAMES: LevelNames = { decoded: ['max_files', 'max_file_size', 'enabled', 'disabled'], ignored: [] };

/** lifecycle { ... } */
export const LIFECYCLE_NAMES: LevelNames = { decoded: ['hook', 'sidecar'], ignored: [] };

/** artifact { ... } */
export const ARTIFACT_NAMES: LevelNames = {
  decoded: ['source', 'destination', 'mode', 'options', 'headers'],
  ignored: ['insecure', 'chown'],
};

/** template { ... } */
export const TEMPLATE_NAMES: LevelNames = {
  decoded: [
    'source', 'destination', 'data', 'change_mode', 'change_signal', 'change_script', 'splay', 'perms', 'uid', 'gid',
    'left_delimiter', 'right_delimiter', 'env', 'wait', 'error_on_missing_key', 'once', 'vault_grace',
  ],
  ignored: [],
};

/** change_script { ... } */
export const CHANGE_SCRIPT_NAMES: LevelNames = { decoded: ['command', 'args', 'timeout', 'fail_on_error', 'run_on_first_render'], ignored: [] };

/** wait { ... } (template) */
export const TEMPLATE_WAIT_NAMES: LevelNames = { decoded: ['min', 'max'], ignored: [] };

/** network { ... } (group, or the deprecated task resources) */
export const NETWORK_NAMES: LevelNames = {
  decoded: ['mode', 'hostname', 'port', 'reserved_ports', 'dns', 'cni', 'mbits'],
  // Set by the scheduler, not by job authors; Nomad's HCL accepts them.
  ignored: ['device', 'cidr', 'ip'],
};

/** port "label" { ... } */
export const PORT_NAMES: LevelNames = { decoded: ['static', 'to', 'host_network', 'ignore_collision'], ignored: [] };

/** dns { ... } */
export const DNS_NAMES: LevelNames = { decoded: ['servers', 'searches', 'options'], ignored: [] };

/** service { ... } */
export const SERVICE_NAMES: LevelNames = {
  decoded: [
    'name', 'tags', 'canary_tags', 'enable_tag_override', 'port', 'address_mode', 'address', 'check', 'check_restart',
    'connect', 'meta', 'canary_meta', 'task', 'on_update', 'provider',
  ],
  // Consul-only settings: no effect on the native provider.
  ignored: ['tagged_addresses', 'identity', 'weights', 'cluster', 'kind'],
};

/** check { ... } */
export const CHECK_NAMES: LevelNames = {
  decoded: [
    'name', 'type', 'command', 'args', 'path', 'protocol', 'port', 'expose', 'address_mode', 'interval', 'timeout',
    'initial_status', 'notes', 'tls_server_name', 'tls_skip_verify', 'header', 'method', 'check_restart', 'grpc_service',
    'grpc_use_tls', 'task', 'success_before_passing', 'failures_before_critical', 'failures_before_warning', 'body', 'on_update',
  ],
  ignored: ['advertise'],
};

/** check_restart { ... } */
export const CHECK_RESTART_NAMES: LevelNames = { decoded: ['limit', 'grace', 'ignore_warnings'], ignored: [] };

/** The top level of a job file. */
export const FILE_NAMES: LevelNames = { decoded: ['job', 'variable', 'variables', 'locals'], ignored: [] };

/** periodic { ... } (`cron` is the older single-spec attribute) */
export const PERIODIC_NAMES: LevelNames = { decoded: ['cron', 'crons', 'prohibit_overlap', 'time_zone', 'enabled'], ignored: [] };

/** parameterized { ... } */
export const PARAMETERIZED_NAMES: LevelNames = { decoded: ['payload', 'meta_required', 'meta_optional'], ignored: [] };

/** dispatch_payload { ... } */
export const DISPATCH_PAYLOAD_NAMES: LevelNames = { decoded: ['file'], ignored: [] };

/** volume "label" { } in a group */
export const VOLUME_NAMES: LevelNames = {
  decoded: ['type', 'source', 'read_only', 'per_alloc', 'access_mode', 'attachment_mode', 'mount_options'],
  ignored: ['sticky'],
};

/** mount_options { } in a volume (CSI only; a host volume with it is refused) */
export const MOUNT_OPTIONS_NAMES: LevelNames = { decoded: ['fs_type', 'mount_flags'], ignored: [] };

/** volume_mount { } in a task */
export const VOLUME_MOUNT_NAMES: LevelNames = { decoded: ['volume', 'destination', 'read_only', 'propagation_mode', 'selinux_label'], ignored: [] };

/**
 * constraint { } (jobspec2's constraintSpec). set_contains_all, set_contains_any, is_set and is_not_set are
 * accepted as attributes but, as in jobspec2, only `operator = "..."` gives them effect.
 */
export const CONSTRAINT_NAMES: LevelNames = {
  decoded: [
    'attribute', 'operator', 'value', 'distinct_property', 'distinct_hosts', 'regexp', 'version', 'semver', 'set_contains',
    'set_contains_all', 'set_contains_any', 'is_set', 'is_not_set',
  ],
  ignored: [],
};

/** reschedule { } in a job or group */
export const RESCHEDULE_NAMES: LevelNames = { decoded: ['attempts', 'interval', 'delay', 'delay_function', 'max_delay', 'unlimited'], ignored: [] };

/** scaling { } in a group (Nomad's api.ScalingPolicy hcl tags); `policy` is opaque. */
export const SCALING_NAMES: LevelNames = { decoded: ['min', 'max', 'enabled', 'type', 'policy'], ignored: [] };
