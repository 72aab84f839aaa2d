/** Nomad's `-t` output (command/data_format.go TemplateFormat): a Go text/template over the API data. */
import { parseTemplate, TemplateError } from '../template/engine/index.js';
import { CliError } from './common.js';

/** Runs `template` (named `name`, as Nomad's error texts name it) over `dot`; Go's message fails the command. */
export function renderTemplate(name: string, template: string, dot: unknown): string {
  try {
    return parseTemplate(name, template).execute(dot);
  } catch (err) {
    if (err instanceof TemplateError) throw new CliError(err.message);
    throw err;
  }
}
