/** The HTTP API's JSON shapes, shared by the agent (which serves them) and the client in src/api (which reads them). */
export * from './jobs.js';
export * from './allocations.js';
export * from './nodes.js';
export * from './events.js';
export * from './acl.js';
export * from './services.js';
export * from './variables.js';
export * from './evaluations.js';
export * from './scaling.js';
