// drover's bounds on one render. Go's text/template and consul-template have none: there,
// {{range loop 1000000000000}} or {{range 1000000000000}} runs until the client is killed,
// and a JS string cannot pass ~512 MiB at all. A render that would pass these fails instead,
// with a TemplateError naming the action, so one template cannot hang or exhaust the agent.

/** Most characters one render may produce, and most one string function may return. */
export const MAX_RENDER_CHARS = 64 * 1024 * 1024;

/** Most range iterations one render may run (all ranges together), and most items a function such as loop may return. */
export const MAX_RENDER_ITEMS = 100_000;

/** Throws (as a template function does) when `fn` would return more than MAX_RENDER_ITEMS items. */
export function checkItems(fn: string, n: number): void {
  if (n > MAX_RENDER_ITEMS) throw new Error(`${fn}: ${n} items exceed the limit of ${MAX_RENDER_ITEMS} per render`);
}

/** Throws (as a template function does) when `fn` would return a string longer than MAX_RENDER_CHARS. */
export function checkChars(fn: string, n: number): void {
  if (n > MAX_RENDER_CHARS) throw new Error(`${fn}: a result of ${n} characters exceeds the limit of ${MAX_RENDER_CHARS} per render`);
}
