/** drover's version: what `drover version`, /v1/agent/self and the node's `attr.nomad.version` report. */
export const DROVER_VERSION = '0.1.0';
