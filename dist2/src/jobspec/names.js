/** job "id" { ... } */
export const JOB_NAMES = {
    decoded: ['id', 'name', 'type', 'region', 'namespace', 'datacenters', 'priority', 'meta', 'group', 'task'],
    ignored: [
        'all_at_once', 'node_pool', 'constraint', 'affinity', 'spread', 'update', 'multiregion', 'periodic',
        'parameterized', 'reschedule', 'migrate', 'ui', 'vault', 'secret',
    ],
};
/** group "name" { ... } */
export const GROUP_NAMES = {
    decoded: ['count', 'meta', 'restart', 'shutdown_delay', 'task'],
    ignored: [
        'constraint', 'affinity', 'spread', 'volume', 'disconnect', 'reschedule', 'ephemeral_disk', 'update', 'migrate',
        'network', 'service', 'max_run_duration', 'stop_after_client_disconnect', 'max_client_disconnect', 'scaling',
        'consul', 'prevent_reschedule_on_lost', 'vault', 'secret',
    ],
};
/** task "name" { ... } */
export const TASK_NAMES = {
    decoded: [
        'driver', 'user', 'lifecycle', 'config', 'env', 'resources', 'restart', 'meta', 'kill_timeout', 'logs',
        'artifact', 'leader', 'shutdown_delay', 'kill_signal',
    ],
    ignored: [
        'constraint', 'affinity', 'service', 'vault', 'consul', 'template', 'dispatch_payload', 'volume_mount',
        'csi_plugin', 'kind', 'scaling', 'secret', 'identity', 'action', 'schedule',
    ],
};
/** resources { ... } */
export const RESOURCES_NAMES = {
    decoded: ['cpu', 'cores', 'memory', 'memory_max', 'disk'],
    ignored: ['network', 'device', 'numa', 'secrets', 'iops'],
};
/** restart { ... } */
export const RESTART_NAMES = {
    decoded: ['attempts', 'interval', 'delay', 'mode', 'render_templates'],
    ignored: [],
};
/** logs { ... } */
export const LOGS_NAMES = { decoded: ['max_files', 'max_file_size', 'enabled', 'disabled'], ignored: [] };
/** lifecycle { ... } */
export const LIFECYCLE_NAMES = { decoded: ['hook', 'sidecar'], ignored: [] };
/** artifact { ... } */
export const ARTIFACT_NAMES = {
    decoded: ['source', 'destination', 'mode', 'options', 'headers'],
    ignored: ['insecure', 'chown'],
};
/** The top level of a job file. */
export const FILE_NAMES = { decoded: ['job', 'variable', 'variables', 'locals'], ignored: [] };
//# sourceMappingURL=names.js.map