/**
 * What a re-render does to the task (Nomad's onTemplateRendered and its
 * helpers): after a random splay, one restart if any changed template asks
 * for it, otherwise every asked-for signal and change script, each with
 * Nomad's events and messages.
 */
import type { ChangeScript, TemplateSpec } from '../../../model/template.js';
import { newEvent } from '../../../model/task-event.js';
import { DroverError, ErrorCode, errorMessage } from '../../../model/errors.js';
import type { Logger } from '../../../model/logger.js';
import { sleep } from '../../abort.js';
import type { EventEmitter } from '../types.js';
import type { TemplateLifecycle } from './lifecycle.js';

export interface ChangeModeDeps {
  readonly lifecycle: TemplateLifecycle;
  readonly events: EventEmitter;
  readonly now: () => number;
  readonly random: () => number;
  readonly logger: Logger;
}

/** Applies the change modes of the templates that changed on disk; resolves once done (or aborted during the splay). */
export async function applyChangeModes(changed: readonly TemplateSpec[], d: ChangeModeDeps, signal: AbortSignal): Promise<void> {
  let restart = false;
  const signals = new Set<string>();
  const scripts: ChangeScript[] = [];
  let splayMs = 0;
  for (const t of changed) {
    switch (t.changeMode) {
      case 'noop':
        continue;
      case 'restart':
        restart = true;
        break;
      case 'signal':
        signals.add(t.changeSignal);
        break;
      case 'script':
        if (t.changeScript) scripts.push(t.changeScript);
        break;
    }
    splayMs = Math.max(splayMs, t.splayMs);
  }
  if (!restart && signals.size === 0 && scripts.length === 0) return;
  // Splay spreads the change over a fleet rendering the same data.
  if (splayMs > 0 && !(await sleep(Math.floor(d.random() * splayMs), signal))) return;

  if (restart) {
    const event = newEvent('Restart Signaled', d.now(), { restartReason: 'Template with change_mode restart re-rendered' });
    await d.lifecycle.restart(event, false).catch((err: unknown) => d.logger.warn('template: restart failed', { error: errorMessage(err) }));
    return;
  }
  await sendSignals([...signals], d);
  await Promise.all(scripts.map((s) => runScript(s, d)));
}

async function sendSignals(signals: readonly string[], d: ChangeModeDeps): Promise<void> {
  const failures: string[] = [];
  for (const sig of signals) {
    const event = newEvent('Signaling', d.now(), { taskSignal: sig, taskSignalReason: '', display: 'Template re-rendered' });
    try {
      await d.lifecycle.signal(event, sig);
    } catch (err) {
      // Mid-restart: the task comes back with the new render anyway, so this is no failure.
      if (err instanceof DroverError && err.code === ErrorCode.notRunning) {
        d.events.emit(newEvent('Task hook message', d.now(), { message: `Template skipped signal ${goSignalName(sig)}: task is not running` }));
        continue;
      }
      failures.push(errorMessage(err));
    }
  }
  if (failures.length > 0) {
    const names = signals.map(goSignalName).join(' ');
    const reason = failures.length === 1 ? failures[0] : `${failures.length} errors occurred: ${failures.join('; ')}`;
    d.lifecycle.kill(killEvent(d.now(), `Template failed to send signals [${names}]: ${reason}`));
  }
}

/** Runs one change_script inside the task (Nomad's processScript). */
export async function runScript(s: ChangeScript, d: ChangeModeDeps): Promise<void> {
  const args = `[${s.args.join(' ')}]`;
  let exitCode = 0;
  try {
    const result = await d.lifecycle.exec([s.command, ...s.args], s.timeoutMs);
    exitCode = result.exitResult.exitCode;
    if (result.exitResult.err) throw new Error(result.exitResult.err);
  } catch (err) {
    scriptFailed(s, d, `Template failed to run script ${s.command} with arguments ${args} on change: ${errorMessage(err)}. Exit code: ${exitCode}`);
    return;
  }
  if (exitCode !== 0) {
    scriptFailed(s, d, `Template ran script ${s.command} with arguments ${args} on change but it exited with code: ${exitCode}`);
    return;
  }
  d.events.emit(newEvent('Task hook message', d.now(), { message: `Template successfully ran script ${s.command} with arguments: ${args}. Exit code: 0` }));
}

function scriptFailed(s: ChangeScript, d: ChangeModeDeps, message: string): void {
  d.events.emit(newEvent('Task hook failed', d.now(), { message, failsTask: false }));
  if (s.failOnError) d.lifecycle.kill(killEvent(d.now(), 'Template script failed, task is being killed'));
}

/** A "Killing" event that fails the task, with the template's reason as its message. */
export function killEvent(time: number, reason: string) {
  return newEvent('Killing', time, { killTimeoutMs: 0, killReason: reason, failsTask: true });
}

/** How Go prints a signal (syscall.Signal.String), as Nomad's messages show it. */
const GO_SIGNAL_NAMES: Readonly<Record<string, string>> = {
  SIGABRT: 'aborted', SIGALRM: 'alarm clock', SIGBUS: 'bus error', SIGCHLD: 'child exited', SIGCONT: 'continued',
  SIGFPE: 'floating point exception', SIGHUP: 'hangup', SIGILL: 'illegal instruction', SIGINT: 'interrupt',
  SIGIO: 'I/O possible', SIGIOT: 'aborted', SIGKILL: 'killed', SIGPIPE: 'broken pipe', SIGPROF: 'profiling timer expired',
  SIGPWR: 'power failure', SIGQUIT: 'quit', SIGSEGV: 'segmentation fault', SIGSTKFLT: 'stack fault', SIGSTOP: 'stopped (signal)',
  SIGSYS: 'bad system call', SIGTERM: 'terminated', SIGTRAP: 'trace/breakpoint trap', SIGTSTP: 'stopped',
  SIGTTIN: 'stopped (tty input)', SIGTTOU: 'stopped (tty output)', SIGURG: 'urgent I/O condition',
  SIGUSR1: 'user defined signal 1', SIGUSR2: 'user defined signal 2', SIGVTALRM: 'virtual timer expired',
  SIGWINCH: 'window changed', SIGXCPU: 'CPU time limit exceeded', SIGXFSZ: 'file size limit exceeded',
};

export function goSignalName(sig: string): string {
  return GO_SIGNAL_NAMES[sig] ?? sig;
}
