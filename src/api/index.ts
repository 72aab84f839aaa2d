/** drover's HTTP API client and the JSON shapes it speaks (Nomad's). */
export { ApiClient, ApiError, DEFAULT_ADDRESS, type ApiClientOptions, type ApiResponse, type QueryParams, type RequestOptions } from './client.js';
export type { Jobs, JobFileParseRequest, JobFileParseResult, JobValidateResponse } from './jobs.js';
export type { Allocations } from './allocations.js';
export type { Deployments } from './deployments.js';
export type { ClientApi, LogsOptions, LogFrame } from './client-api.js';
export type { ExecOptions, ExecSession } from './exec.js';
export type { Nodes } from './nodes.js';
export type { Evaluations } from './evaluations.js';
export type { Scaling } from './scaling.js';
export type { AgentApi } from './agent.js';
export type { EventStream, TopicFilters } from './events.js';
export type { Acl } from './acl.js';
export type { Services, NamespaceOptions } from './services.js';
export { CasConflictError, LockConflictError, cleanPath, type Variables, type VariableOptions, type VariableWrite } from './variables.js';
export type * from '../model/nomad-api/index.js';
