/**
 * The HTTP API's JSON shapes, shared by the agent (which serves them) and the client in src/api (which reads them).
 * Types only, re-exported as types: a CLI command then loads none of these modules.
 */
export type * from './jobs.js';
export type * from './allocations.js';
export type * from './nodes.js';
export type * from './events.js';
export type * from './acl.js';
export type * from './services.js';
export type * from './variables.js';
export type * from './evaluations.js';
export type * from './scaling.js';
export type * from './deployments.js';
