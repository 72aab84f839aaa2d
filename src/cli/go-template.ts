/** Nomad's `-t` output (command/data_format.go TemplateFormat): a Go text/template over the API data. */
import { parseTemplate, TemplateError } from '../template/engine/index.js';
import { CliError, toJson } from './common.js';

/** Runs `template` (named `name`, as Nomad's error texts name it) over `dot`; Go's message fails the command. */
export function renderTemplate(name: string, template: string, dot: unknown): string {
  try {
    return parseTemplate(name, template).execute(dot);
  } catch (err) {
    if (err instanceof TemplateError) throw new CliError(err.message);
    throw err;
  }
}

/** The -json / -t flags of a read command. */
export const FORMAT_FLAGS = { json: { type: 'boolean' }, t: { type: 'string' } } as const;

/**
 * Nomad's Format(json, tmpl, data): prints `data` as JSON with -json or through
 * the -t template, and says whether it did; both at once is Nomad's error.
 */
export function printFormatted(values: Readonly<Record<string, unknown>>, out: (s: string) => void, data: unknown): boolean {
  const tmpl = typeof values['t'] === 'string' ? values['t'] : undefined;
  if (values['json'] === true && tmpl !== undefined) throw new CliError('Both json and template formatting are not allowed');
  if (tmpl !== undefined) out(renderTemplate('format', tmpl, data));
  else if (values['json'] === true) out(toJson(data));
  else return false;
  return true;
}
