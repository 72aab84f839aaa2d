/** Nomad's event stream JSON (api/event_stream.go): one `Events` object per line; `{}` lines are heartbeats. */
export {};
//# sourceMappingURL=events.js.map