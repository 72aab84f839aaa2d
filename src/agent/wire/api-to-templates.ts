/**
 * Nomad's api.Template JSON (Task.Templates) → TemplateSpec, with the same
 * defaults and checks as the HCL jobspec (model/template.ts); problems name
 * the JSON path (`Job.TaskGroups[0].Tasks[0].Templates[1].ChangeMode`).
 */
import { canonicalTemplate, duplicateTemplateProblems, type TemplateField, type TemplateInput, type TemplateSpec } from '../../model/index.js';
import type { JsonFields, JsonReader } from './json-reader.js';

const TEMPLATE: JsonFields = {
  decoded: [
    'SourcePath', 'DestPath', 'EmbeddedTmpl', 'ChangeMode', 'ChangeSignal', 'ChangeScript', 'Splay', 'Perms', 'Uid', 'Gid',
    'LeftDelim', 'RightDelim', 'Envvars', 'VaultGrace', 'Wait', 'ErrMissingKey', 'Once',
  ],
};
const CHANGE_SCRIPT: JsonFields = { decoded: ['Command', 'Args', 'Timeout', 'FailOnError', 'RunOnFirstRender'] };
const WAIT: JsonFields = { decoded: ['Min', 'Max'] };

/** JSON names of the fields the template rules name. */
const JSON_FIELDS: Readonly<Record<Exclude<TemplateField, ''>, string>> = {
  source: 'SourcePath',
  destination: 'DestPath',
  data: 'EmbeddedTmpl',
  change_mode: 'ChangeMode',
  change_signal: 'ChangeSignal',
  change_script: 'ChangeScript',
  'change_script.command': 'ChangeScript.Command',
  splay: 'Splay',
  perms: 'Perms',
  wait: 'Wait',
  env: 'Envvars',
  once: 'Once',
  vault_grace: 'VaultGrace',
};

/** Decodes a task's Templates. */
export function decodeApiTemplates(task: JsonReader): TemplateSpec[] {
  const readers = task.list('Templates', TEMPLATE);
  const templates = readers.map(decodeTemplate);
  for (const p of duplicateTemplateProblems(templates)) {
    const r = readers[p.template];
    task.problems.error(r ? r.field('DestPath') : task.field('Templates'), p.message);
  }
  return templates;
}

function decodeTemplate(r: JsonReader): TemplateSpec {
  const script = r.nested('ChangeScript', CHANGE_SCRIPT);
  const wait = r.nested('Wait', WAIT);
  const uid = r.int('Uid');
  const gid = r.int('Gid');
  const input: TemplateInput = {
    // Nomad's canonical JSON writes "" for unset strings.
    source: r.string('SourcePath') || undefined,
    destination: r.string('DestPath'),
    data: r.string('EmbeddedTmpl') || undefined,
    changeMode: r.string('ChangeMode') || undefined,
    changeSignal: r.string('ChangeSignal') || undefined,
    changeScript: script && {
      command: script.string('Command'),
      args: script.stringList('Args'),
      timeoutMs: script.durationNs('Timeout'),
      failOnError: script.bool('FailOnError'),
      runOnFirstRender: script.bool('RunOnFirstRender'),
    },
    splayMs: r.durationNs('Splay'),
    perms: r.string('Perms') || undefined,
    uid,
    gid,
    leftDelim: r.string('LeftDelim'),
    rightDelim: r.string('RightDelim'),
    envvars: r.bool('Envvars'),
    wait: wait && { minMs: wait.durationNs('Min'), maxMs: wait.durationNs('Max') },
    errMissingKey: r.bool('ErrMissingKey'),
    once: r.bool('Once'),
    vaultGraceMs: r.durationNs('VaultGrace'),
  };
  const { template, problems } = canonicalTemplate(input);
  for (const p of problems) {
    const field = p.field === '' ? r.path : `${r.path}.${JSON_FIELDS[p.field]}`;
    if (p.warning) r.problems.warn(field, p.message);
    else r.problems.error(field, p.message);
  }
  return template;
}
