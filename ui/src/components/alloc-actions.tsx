/**
 * What an operator does to an allocation (Nomad UI's alloc and task buttons): stop,
 * restart (running tasks, or all tasks), and per task restart and signal. Each shows
 * what happened, or the API's error (a 403 says the token may not).
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiAllocation, ApiAllocStopResponse } from '../../../src/model/nomad-api/index';
import { api, seg } from '../api';
import { ActionButton } from './action';
import { shortId } from './common';
import { isLive } from './alloc-tasks';

/** Signals a task can be sent from the UI (Nomad's api accepts any; these are the usual ones). */
export const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGKILL', 'SIGUSR1', 'SIGUSR2', 'SIGCONT', 'SIGSTOP', 'SIGWINCH'];

function useResult(): [string | undefined, (s: string) => void] {
  const [msg, setMsg] = useState<string | undefined>(undefined);
  return [msg, setMsg];
}

function Result(props: { msg: string | undefined }): JSX.Element {
  return (
    <p class="action-result" role="status" aria-live="polite">
      {props.msg ?? ''}
    </p>
  );
}

export function AllocActions(props: { alloc: ApiAllocation; onDone: () => void }): JSX.Element | null {
  const a = props.alloc;
  const [msg, setMsg] = useResult();
  const path = `/v1/client/allocation/${seg(a.ID)}`;
  if (!isLive(a)) return msg ? <Result msg={msg} /> : null;
  return (
    <div class="alloc-actions">
      <ActionButton
        run={async () => {
          await api(`${path}/restart`, { method: 'PUT', body: {} });
          setMsg('Restart requested: the running tasks restart in place.');
        }}
        confirm="Restart this allocation's running tasks in place?"
        onDone={props.onDone}
      >
        Restart Alloc
      </ActionButton>
      <ActionButton
        run={async () => {
          await api(`${path}/restart`, { method: 'PUT', body: { AllTasks: true } });
          setMsg('Restart requested: all tasks restart in place, prestart ones included.');
        }}
        confirm="Restart all tasks of this allocation in place?"
        onDone={props.onDone}
      >
        Restart All Tasks
      </ActionButton>
      <ActionButton
        run={async () => {
          const r = await api<ApiAllocStopResponse>(`/v1/allocation/${seg(a.ID)}/stop`, { method: 'PUT' });
          setMsg(`Stop requested (evaluation ${shortId(r.EvalID)}): the scheduler may place a replacement.`);
        }}
        confirm="Stop this allocation? The scheduler may place a replacement."
        danger
        onDone={props.onDone}
      >
        Stop Alloc
      </ActionButton>
      <Result msg={msg} />
    </div>
  );
}

export function TaskActions(props: { alloc: ApiAllocation; task: string; onDone: () => void }): JSX.Element | null {
  const a = props.alloc;
  const [msg, setMsg] = useResult();
  const [signal, setSignal] = useState('SIGHUP');
  const path = `/v1/client/allocation/${seg(a.ID)}`;
  if (!isLive(a)) return msg ? <Result msg={msg} /> : null;
  return (
    <div class="alloc-actions">
      <ActionButton
        run={async () => {
          await api(`${path}/restart`, { method: 'PUT', body: { TaskName: props.task } });
          setMsg(`Restart of ${props.task} requested.`);
        }}
        confirm={`Restart task ${props.task} in place?`}
        onDone={props.onDone}
      >
        Restart Task
      </ActionButton>
      <span class="signal-form">
        <label>
          Signal
          <select value={signal} onChange={(e) => setSignal((e.target as HTMLSelectElement).value)}>
            {SIGNALS.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <ActionButton
          run={async () => {
            await api(`${path}/signal`, { method: 'PUT', body: { Task: props.task, Signal: signal } });
            setMsg(`${signal} sent to ${props.task}.`);
          }}
          confirm={signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGSTOP' ? `Send ${signal} to ${props.task}?` : undefined}
          onDone={props.onDone}
        >
          Send Signal
        </ActionButton>
      </span>
      <Result msg={msg} />
    </div>
  );
}
