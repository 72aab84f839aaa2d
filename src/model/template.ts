/**
 * Nomad's template { } block: the model value, its defaults (api Template
 * Canonicalize, jobspec2 normalizeTemplates) and its checks (structs
 * Template.Validate, Task.Validate's duplicate destinations), written once for
 * the HCL jobspec and the JSON decoder.
 */
import { posix } from 'node:path';
import { suggest } from './config-spec.js';
import type { RuleProblem } from './job-rules.js';

export const TemplateChangeMode = { noop: 'noop', restart: 'restart', signal: 'signal', script: 'script' } as const;
export type TemplateChangeMode = (typeof TemplateChangeMode)[keyof typeof TemplateChangeMode];
export const TEMPLATE_CHANGE_MODES: readonly TemplateChangeMode[] = ['noop', 'signal', 'script', 'restart'];

/** change_script { } (Nomad's ChangeScript). */
export interface ChangeScript {
  readonly command: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  readonly failOnError: boolean;
  /** Also run the script once the task is running after the first render. */
  readonly runOnFirstRender: boolean;
}

/** wait { } quiescence bounds; an absent side is unset (as Nomad's pointer fields). */
export interface TemplateWait {
  readonly minMs?: number;
  readonly maxMs?: number;
}

export interface TemplateSpec {
  /** Path of the template file, relative to the task dir; '' when `data` is given. */
  readonly sourcePath: string;
  /** Where the output goes, relative to the task dir. */
  readonly destPath: string;
  /** The template text written in the job (`data`). */
  readonly embeddedTmpl: string;
  readonly changeMode: TemplateChangeMode;
  /** Upper-cased, as Nomad canonicalizes it; '' unless change_mode is signal. */
  readonly changeSignal: string;
  readonly changeScript?: ChangeScript;
  readonly splayMs: number;
  /** Octal file mode as written ("0644"). */
  readonly perms: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly leftDelim: string;
  readonly rightDelim: string;
  /** Output is KEY=VALUE lines merged into the task's environment. */
  readonly envvars: boolean;
  readonly wait?: TemplateWait;
  readonly errMissingKey: boolean;
  /** Render once at start and never watch. */
  readonly once: boolean;
}

/** A template as written (absent fields take Nomad's defaults). */
export interface TemplateInput {
  readonly source?: string;
  readonly destination?: string;
  readonly data?: string;
  readonly changeMode?: string;
  readonly changeSignal?: string;
  readonly changeScript?: {
    readonly command?: string;
    readonly args?: readonly string[];
    readonly timeoutMs?: number;
    readonly failOnError?: boolean;
    readonly runOnFirstRender?: boolean;
  };
  readonly splayMs?: number;
  readonly perms?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly leftDelim?: string;
  readonly rightDelim?: string;
  readonly envvars?: boolean;
  readonly wait?: TemplateWait;
  readonly errMissingKey?: boolean;
  readonly once?: boolean;
  /** Deprecated and ignored (Nomad warns). */
  readonly vaultGraceMs?: number;
}

export type TemplateField =
  | 'source' | 'destination' | 'data' | 'change_mode' | 'change_signal' | 'change_script' | 'change_script.command'
  | 'splay' | 'perms' | 'wait' | 'env' | 'once' | 'vault_grace' | '';

export interface TemplateProblem extends RuleProblem<TemplateField> {
  /** Warnings do not stop the job. */
  readonly warning?: boolean;
}

/** Nomad's defaults. */
export const DEFAULT_TEMPLATE_SPLAY_MS = 5_000;
export const DEFAULT_CHANGE_SCRIPT_TIMEOUT_MS = 5_000;

/** Signal names consul-template's signals.Parse knows (Go's unix signal table). */
export const TEMPLATE_SIGNALS: readonly string[] = [
  'SIGABRT', 'SIGALRM', 'SIGBUS', 'SIGCHLD', 'SIGCONT', 'SIGFPE', 'SIGHUP', 'SIGILL', 'SIGINT', 'SIGIO', 'SIGIOT',
  'SIGKILL', 'SIGPIPE', 'SIGPROF', 'SIGPWR', 'SIGQUIT', 'SIGSEGV', 'SIGSTKFLT', 'SIGSTOP', 'SIGSYS', 'SIGTERM',
  'SIGTRAP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGUSR1', 'SIGUSR2', 'SIGVTALRM', 'SIGWINCH', 'SIGXCPU', 'SIGXFSZ',
];

/** Applies Nomad's defaults and checks one template. */
export function canonicalTemplate(t: TemplateInput): { template: TemplateSpec; problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = [];
  const sourcePath = t.source ?? '';
  const embeddedTmpl = t.data ?? '';
  const destPath = t.destination ?? '';
  if (sourcePath === '' && embeddedTmpl === '') problems.push({ field: 'source', message: 'Must specify a source path or have an embedded template' });
  // consul-template refuses both at render time ("contents and source are mutually exclusive"): say so at submit.
  if (sourcePath !== '' && embeddedTmpl !== '') problems.push({ field: 'data', message: 'source and data are mutually exclusive: give one of them' });
  if (destPath === '') problems.push({ field: 'destination', message: 'Must specify a destination for the template' });
  else if (escapesAllocViaTask(destPath)) problems.push({ field: 'destination', message: 'destination escapes allocation directory' });

  let changeMode: TemplateChangeMode = 'restart';
  const givenMode = t.changeMode ?? 'restart';
  const known = TEMPLATE_CHANGE_MODES.find((m) => m === givenMode);
  if (known) changeMode = known;
  else problems.push({ field: 'change_mode', message: `Invalid change mode ${JSON.stringify(givenMode)}. Must be one of the following: noop, signal, script, restart${suggest(givenMode, TEMPLATE_CHANGE_MODES)}` });

  // api Canonicalize: signal mode defaults to SIGHUP; signals are upper-cased.
  const changeSignal = t.changeSignal !== undefined ? t.changeSignal.trim().toUpperCase() : changeMode === 'signal' ? 'SIGHUP' : '';
  const envvars = t.envvars ?? false;
  if (changeMode === 'signal') {
    if (changeSignal === '') problems.push({ field: 'change_signal', message: 'Must specify signal value when change mode is signal' });
    if (envvars) problems.push({ field: 'env', message: 'cannot use signals with env var templates' });
  }
  if (changeSignal !== '' && !TEMPLATE_SIGNALS.includes(changeSignal)) {
    problems.push({ field: 'change_signal', message: `Failed to parse signal ${JSON.stringify(t.changeSignal)}${suggest(changeSignal, TEMPLATE_SIGNALS)}` });
  }
  let changeScript: ChangeScript | undefined;
  if (t.changeScript) {
    changeScript = {
      command: t.changeScript.command ?? '',
      args: [...(t.changeScript.args ?? [])],
      timeoutMs: t.changeScript.timeoutMs ?? DEFAULT_CHANGE_SCRIPT_TIMEOUT_MS,
      failOnError: t.changeScript.failOnError ?? false,
      runOnFirstRender: t.changeScript.runOnFirstRender ?? false,
    };
  }
  if (changeMode === 'script') {
    if (!changeScript) problems.push({ field: 'change_script', message: 'must specify change script configuration value when change mode is script' });
    else if (changeScript.command === '') problems.push({ field: 'change_script.command', message: 'must specify script path value when change mode is script' });
  }

  const perms = t.perms ?? '0644';
  if (!/^[0-7]{1,4}$/.test(perms)) problems.push({ field: 'perms', message: `Failed to parse ${JSON.stringify(perms)} as octal` });
  const wait = t.wait;
  if (wait?.minMs !== undefined && wait.maxMs !== undefined && wait.minMs > wait.maxMs) {
    problems.push({ field: 'wait', message: `wait min ${wait.minMs}ms is greater than max ${wait.maxMs}ms` });
  }
  const once = t.once ?? false;
  if (once && t.changeMode !== undefined && changeMode !== 'noop') {
    problems.push({ field: 'once', message: `change_mode ${JSON.stringify(changeMode)} has no effect: a template with once = true is rendered once and never re-rendered`, warning: true });
  }
  if ((t.vaultGraceMs ?? 0) !== 0) {
    problems.push({
      field: 'vault_grace',
      message: 'VaultGrace has been deprecated as of Nomad 0.11 and ignored since Vault 0.5. Please remove VaultGrace / vault_grace from template block.',
      warning: true,
    });
  }

  const template: TemplateSpec = {
    sourcePath,
    destPath,
    embeddedTmpl,
    changeMode,
    changeSignal,
    ...(changeScript ? { changeScript } : {}),
    splayMs: t.splayMs ?? DEFAULT_TEMPLATE_SPLAY_MS,
    perms,
    ...(t.uid !== undefined ? { uid: t.uid } : {}),
    ...(t.gid !== undefined ? { gid: t.gid } : {}),
    leftDelim: t.leftDelim || '{{',
    rightDelim: t.rightDelim || '}}',
    envvars,
    ...(wait && (wait.minMs !== undefined || wait.maxMs !== undefined) ? { wait } : {}),
    errMissingKey: t.errMissingKey ?? false,
    once,
  };
  return { template, problems };
}

/** Task.Validate: two templates may not write the same file. `template` is the 0-based index of the later one. */
export function duplicateTemplateProblems(templates: readonly TemplateSpec[]): { template: number; message: string }[] {
  const out: { template: number; message: string }[] = [];
  const seen = new Map<string, number>();
  templates.forEach((t, i) => {
    const first = seen.get(t.destPath);
    if (first !== undefined) out.push({ template: i, message: `Template ${i + 1} has same destination as ${first + 1}` });
    else seen.set(t.destPath, i);
  });
  return out;
}

/** Nomad's escapingfs.PathEscapesAllocViaRelative("task", dest). */
function escapesAllocViaTask(dest: string): boolean {
  const joined = posix.join('/alloc', 'task', dest);
  return !(joined === '/alloc' || joined.startsWith('/alloc/'));
}
