/**
 * One render of one template, as consul-template's Template.Execute: parse
 * the text with the functions bound to a fresh dependency recorder, execute,
 * and report what was read, what was missing, or the failure in
 * consul-template's words ("(dynamic): parse: template: ...").
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { TemplateSpec } from '../../../model/template.js';
import { errorMessage } from '../../../model/errors.js';
import type { TemplateSources, Watched } from '../../../template/sources.js';
import { isWithin } from '../../artifacts/safe-path.js';
import type { RenderContext, TemplateEngine } from './engine.js';

/** A template ready to render: its spec, host paths and text. */
export interface PreparedTemplate {
  readonly spec: TemplateSpec;
  /** The destination as written: the template's name in errors and the key of its hook state. */
  readonly name: string;
  /** Host path of the output. */
  readonly destPath: string;
  /** What consul-template calls the template in errors: its source path or "(dynamic)". */
  readonly label: string;
  /** The template text (the source file is read once, when the manager starts, as consul-template does). */
  readonly text: string;
}

export type RenderOutcome =
  | { readonly kind: 'rendered'; readonly content: string; readonly used: readonly Watched[] }
  | { readonly kind: 'missing'; readonly missing: readonly string[]; readonly used: readonly Watched[] }
  | { readonly kind: 'failed'; readonly error: string; readonly used: readonly Watched[] };

/** Everything a render reads besides the template. */
export interface RenderEnv {
  readonly engine: TemplateEngine;
  readonly sources: TemplateSources;
  readonly env: Readonly<Record<string, string>>;
  /** The task dir: relative `file` paths start here, and with the sandbox on they may not leave it. */
  readonly taskDir: string;
  readonly sandbox: boolean;
  readonly namespace: string;
  readonly region: string;
  readonly datacenter: string;
  readonly functionDenylist: readonly string[];
  readonly now: () => number;
}

export function renderTemplate(t: PreparedTemplate, r: RenderEnv): RenderOutcome {
  const used: Watched[] = [];
  const missing = new Set<string>();
  const ctx: RenderContext = {
    sources: r.sources,
    deps: { used: (w) => void used.push(w), missing: (dep) => void missing.add(dep) },
    env: r.env,
    readFile: (path) => readSandboxed(path, r.taskDir, r.sandbox),
    namespace: r.namespace,
    region: r.region,
    datacenter: r.datacenter,
    now: r.now,
    functionDenylist: r.functionDenylist,
  };
  const opts = { leftDelim: t.spec.leftDelim, rightDelim: t.spec.rightDelim, missingKey: t.spec.errMissingKey ? ('error' as const) : ('zero' as const) };
  let parsed;
  try {
    parsed = r.engine.parse(t.name, t.text, opts, ctx);
  } catch (err) {
    return { kind: 'failed', error: `${t.label}: parse: ${errorMessage(err)}`, used };
  }
  let content: string;
  try {
    content = parsed.execute();
  } catch (err) {
    return { kind: 'failed', error: `${t.label}: execute: ${errorMessage(err)}`, used };
  }
  // Missing data means the output cannot be trusted: it is not written (consul-template).
  if (missing.size > 0) return { kind: 'missing', missing: [...missing].sort(), used };
  return { kind: 'rendered', content, used };
}

/** consul-template's sandboxed `file`: relative to the task dir, and not outside it while the sandbox is on. */
function readSandboxed(path: string, taskDir: string, sandbox: boolean): string {
  const full = resolve(isAbsolute(path) ? path : join(taskDir, path));
  if (sandbox && !isWithin(taskDir, full)) throw new Error(`'${path}' is outside of sandbox`);
  return readFileSync(full, 'utf8');
}
