/**
 * Nomad's job JSON (api/jobs.go, api/tasks.go, api/resources.go) as the HTTP
 * API speaks it: PascalCase fields, durations in nanoseconds, optional
 * fields omitted or null. Only the fields drover reads or writes are typed;
 * other Nomad fields are accepted as `unknown` and reported as ignored.
 */
export {};
//# sourceMappingURL=jobs.js.map