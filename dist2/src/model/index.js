export * from './duration.js';
export * from './errors.js';
export * from './job.js';
export * from './task-event.js';
export * from './task-state.js';
export * from './config-spec.js';
export * from './task-result.js';
export * from './driver-schemas.js';
export * from './job-rules.js';
export * from './shape.js';
//# sourceMappingURL=index.js.map