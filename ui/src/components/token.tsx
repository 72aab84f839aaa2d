/** The ACL token in use, as hooks: the secret (re-renders when it changes) and, for the top bar, its name. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ApiAclToken } from '../../../src/model/nomad-api/index';
import { api, getToken, onTokenChange } from '../api';

/** The secret ID set in this browser ('' when none); follows setToken. */
export function useToken(): string {
  const [token, set] = useState(getToken);
  useEffect(() => onTokenChange(() => set(getToken())), []);
  return token;
}

/** The top bar's note that a token is set: its name once the agent says it (nothing when no token is set). */
export function TokenBadge(): JSX.Element | null {
  const token = useToken();
  const [name, setName] = useState<string | undefined>(undefined);
  useEffect(() => {
    setName(undefined);
    if (!token) return;
    let live = true;
    api<ApiAclToken>('/v1/acl/token/self').then(
      (t) => live && setName(t.Name || t.Type),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [token]);
  if (!token) return null;
  return (
    <span class="token-badge" title={name ? `ACL token: ${name}` : 'An ACL token is set'}>
      <span class="dot" aria-hidden="true" />
      <span class="visually-hidden">(token set{name ? `: ${name}` : ''})</span>
      {name ? <span class="token-name" aria-hidden="true">{name}</span> : null}
    </span>
  );
}
