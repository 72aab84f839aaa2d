/**
 * template { } → TemplateSpec, with Nomad's defaults and checks
 * (model/template.ts); problems point at the HCL field and its line.
 */
import { canonicalTemplate, duplicateTemplateProblems, type TemplateInput, type TemplateSpec } from '../model/index.js';
import { BodyReader, type Report } from '../hcl/index.js';
import { CHANGE_SCRIPT_NAMES, TEMPLATE_NAMES, TEMPLATE_WAIT_NAMES } from './names.js';

/** Decodes every template block of a task. */
export function decodeTemplates(task: BodyReader): TemplateSpec[] {
  const blocks = task.blocks('template');
  const templates = blocks.map((b) => decodeTemplate(task.report, b.path, b.body));
  for (const p of duplicateTemplateProblems(templates)) {
    const at = blocks[p.template]?.path ?? task.field('template');
    task.report.error(`${at}.destination`, p.message);
  }
  return templates;
}

function decodeTemplate(report: Report, path: string, raw: Record<string, unknown>): TemplateSpec {
  const r = new BodyReader(report, path, raw, TEMPLATE_NAMES, 'template');
  const input: TemplateInput = {
    source: r.string('source'),
    destination: r.string('destination'),
    data: r.string('data'),
    changeMode: r.string('change_mode'),
    changeSignal: r.string('change_signal'),
    changeScript: decodeChangeScript(r),
    splayMs: r.duration('splay'),
    perms: r.string('perms'),
    uid: r.int('uid'),
    gid: r.int('gid'),
    leftDelim: r.string('left_delimiter'),
    rightDelim: r.string('right_delimiter'),
    envvars: r.bool('env'),
    wait: decodeWait(r),
    errMissingKey: r.bool('error_on_missing_key'),
    once: r.bool('once'),
    vaultGraceMs: r.duration('vault_grace'),
  };
  const { template, problems } = canonicalTemplate(input);
  for (const p of problems) {
    // The rules name fields by their HCL names.
    const field = p.field === '' ? path : `${path}.${p.field}`;
    if (p.warning) report.warn(field, p.message);
    else report.error(field, p.message);
  }
  return template;
}

function decodeChangeScript(t: BodyReader): TemplateInput['changeScript'] {
  const raw = t.block('change_script');
  if (!raw) return undefined;
  const r = new BodyReader(t.report, t.field('change_script'), raw, CHANGE_SCRIPT_NAMES, 'change_script');
  return {
    command: r.string('command'),
    args: r.stringList('args'),
    timeoutMs: r.duration('timeout'),
    failOnError: r.bool('fail_on_error'),
    runOnFirstRender: r.bool('run_on_first_render'),
  };
}

function decodeWait(t: BodyReader): TemplateInput['wait'] {
  const raw = t.block('wait');
  if (!raw) return undefined;
  const r = new BodyReader(t.report, t.field('wait'), raw, TEMPLATE_WAIT_NAMES, 'wait');
  return { minMs: r.duration('min'), maxMs: r.duration('max') };
}
