/** A button that runs an API action: disabled while it runs, its error shown beside it, optional confirmation. */
import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorMessage } from './common';

export function ActionButton(props: {
  run: () => Promise<unknown>;
  children: ComponentChildren;
  /** Asked with the browser's confirm() first, for destructive actions. */
  confirm?: string;
  danger?: boolean;
  onDone?: () => void;
  'aria-label'?: string;
}): JSX.Element {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const click = async () => {
    if (props.confirm && !window.confirm(props.confirm)) return;
    setBusy(true);
    setError(undefined);
    try {
      await props.run();
      props.onDone?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="action">
      <button type="button" class={props.danger ? 'danger' : undefined} disabled={busy} aria-busy={busy} aria-label={props['aria-label']} onClick={() => void click()}>
        {props.children}
      </button>
      {error !== undefined ? <ErrorMessage error={error} /> : null}
    </span>
  );
}
