/**
 * Task config schemas for jobspec tests: small stand-ins for the real drivers
 * (written elsewhere), declared with the same spec helpers.
 */
import { spec } from '../../model/index.js';
/** A mock_driver-like schema (Nomad's drivers/mock config names). */
export const MOCK_SCHEMA = spec.object({
    run_for: spec.attr('duration'),
    exit_code: spec.attr('number'),
    exit_signal: spec.attr('number'),
    start_error: spec.attr('string'),
    start_error_recoverable: spec.attr('bool'),
    stdout_string: spec.attr('string'),
    stdout_repeat: spec.attr('number'),
    stdout_repeat_duration: spec.attr('duration'),
});
/** A raw_exec-like schema. */
export const RAW_EXEC_SCHEMA = spec.object({
    command: spec.attr('string', { required: true }),
    args: spec.attr('list(string)'),
});
/** A permissive docker schema: enough for `nomad job init`-style jobs. */
export const DOCKER_SCHEMA = spec.object({
    image: spec.attr('string', { required: true }),
    ports: spec.attr('list(string)'),
    args: spec.attr('list(string)'),
    command: spec.attr('string'),
    auth_soft_fail: spec.attr('bool'),
    volumes: spec.attr('list(string)'),
    labels: spec.attr('map(string)'),
});
const SCHEMAS = { mock_driver: MOCK_SCHEMA, raw_exec: RAW_EXEC_SCHEMA, docker: DOCKER_SCHEMA };
/** The drivers option tests pass to parseJob. */
export const testSchemas = {
    taskConfigSchema: (driver) => SCHEMAS[driver],
    names: () => Object.keys(SCHEMAS),
};
//# sourceMappingURL=schemas.js.map