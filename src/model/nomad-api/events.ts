/** Nomad's event stream JSON (api/event_stream.go): one `Events` object per line; `{}` lines are heartbeats. */

export type ApiTopic = 'Job' | 'Allocation' | 'Evaluation' | 'Node' | 'Service' | 'Variable' | '*';

/** Nomad's api.Event. */
export interface ApiEvent {
  Topic: ApiTopic;
  /** e.g. "JobRegistered", "JobDeregistered", "AllocationUpdated", "NodeRegistration", "ServiceRegistration", "ServiceDeregistration", "VariableUpdated". */
  Type: string;
  Key: string;
  Namespace: string;
  FilterKeys: string[] | null;
  Index: number;
  Payload: Record<string, unknown>;
}

/** Nomad's api.Events: one batch at one index. */
export interface ApiEvents {
  Index: number;
  Events: ApiEvent[];
}
