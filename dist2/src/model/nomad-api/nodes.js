/**
 * Nomad's node and agent JSON (api/nodes.go, api/agent.go): the client's
 * fingerprint with its drivers, and the agent's own description.
 */
export {};
//# sourceMappingURL=nodes.js.map