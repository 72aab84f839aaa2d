/**
 * The ACL token screen (Nomad UI's /ui/settings/tokens): paste a token's secret
 * ID; it is verified with GET /v1/acl/token/self, kept in local storage and sent
 * as X-Nomad-Token with every request. Shows the token's name, type and policies,
 * says so when the token is unknown, and when the agent runs without ACLs.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ApiAclToken } from '../../../src/model/nomad-api/index';
import { api, ApiError, setToken } from '../api';
import { ErrorMessage, Loading, PageHeader } from '../components/common';
import { useToken } from '../components/token';

/** What token/self said about a secret. */
type SelfState =
  | { kind: 'none' }
  | { kind: 'checking' }
  | { kind: 'ok'; token: ApiAclToken }
  | { kind: 'not-found' }
  | { kind: 'acl-disabled' }
  | { kind: 'error'; error: unknown };

/** Asks the agent who `secret` is ('' : no token; the agent still says whether ACLs are on). */
async function whoAmI(secret: string): Promise<SelfState> {
  if (!secret) {
    // Without a token: the agent's own config says whether ACLs are on (a 403 says they are).
    try {
      const self = await api<{ config?: { ACL?: { Enabled?: boolean } } }>('/v1/agent/self', { token: '' });
      return self.config?.ACL?.Enabled === false ? { kind: 'acl-disabled' } : { kind: 'none' };
    } catch (err) {
      return err instanceof ApiError && err.unreachable ? { kind: 'error', error: err } : { kind: 'none' };
    }
  }
  try {
    const token = await api<ApiAclToken>('/v1/acl/token/self', { token: secret });
    return secret ? { kind: 'ok', token } : { kind: 'none' };
  } catch (err) {
    // drover and Nomad answer 400 "ACL support disabled" when the agent runs without ACLs.
    if (err instanceof ApiError && err.status === 400 && /ACL support disabled/i.test(err.message)) return { kind: 'acl-disabled' };
    if (!secret) return { kind: 'none' };
    // An unknown secret: 403 "ACL token not found" (404 for a workload identity, which is no ACL token).
    if (err instanceof ApiError && (err.status === 404 || (err.forbidden && /not found/i.test(err.message)))) return { kind: 'not-found' };
    return { kind: 'error', error: err };
  }
}

export function TokensPage(): JSX.Element {
  const current = useToken();
  const [secret, setSecret] = useState('');
  /** The stored token's state. */
  const [self, setSelf] = useState<SelfState>({ kind: 'checking' });
  /** The outcome of the last secret submitted with the form (kept only when the agent knows it). */
  const [tried, setTried] = useState<SelfState | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    setSelf({ kind: 'checking' });
    void whoAmI(current).then((s) => live && setSelf(s));
    return () => {
      live = false;
    };
  }, [current]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const s = secret.trim();
    if (!s || busy) return;
    setBusy(true);
    const outcome = await whoAmI(s);
    setBusy(false);
    setTried(outcome);
    if (outcome.kind === 'ok') {
      setSecret('');
      setToken(s);
    }
  };
  const clear = () => {
    setTried(undefined);
    setToken('');
  };

  const disabled = self.kind === 'acl-disabled' || tried?.kind === 'acl-disabled';
  return (
    <section class="tokens">
      <PageHeader title="ACL Tokens">
        {current ? (
          <button type="button" class="danger" onClick={clear}>
            Clear token
          </button>
        ) : null}
      </PageHeader>
      {disabled ? (
        <div class="message info" role="status">
          <strong>ACLs are disabled on this agent.</strong> Every request is allowed without a token{current ? ' (the one set is sent but not checked)' : ''}. An agent enforces
          tokens with <code>{'acl { enabled = true }'}</code> in its configuration.
        </div>
      ) : null}
      {tried?.kind === 'not-found' ? (
        <div class="message error" role="alert">
          <strong>Token not found.</strong> No token has this secret ID: it may have expired or been deleted, or been entered incorrectly. It was not saved.
        </div>
      ) : null}
      {tried?.kind === 'error' ? <ErrorMessage error={tried.error} what="verifying the token" /> : null}
      {tried?.kind === 'ok' && self.kind === 'ok' ? (
        <div class="message ok" role="status">
          <strong>Token accepted.</strong> It is sent with every request from this browser.
        </div>
      ) : null}

      {self.kind === 'checking' ? <Loading what="token" /> : null}
      {self.kind === 'not-found' ? (
        <div class="message error" role="alert">
          <strong>Token not found.</strong> The token set in this browser is unknown to the agent: it may have expired or been deleted. Clear it or set another.
        </div>
      ) : null}
      {self.kind === 'error' ? <ErrorMessage error={self.error} what="verifying the token" /> : null}
      {self.kind === 'ok' ? <TokenDetails token={self.token} /> : null}
      {self.kind === 'none' ? <p class="muted">No token is set: requests are anonymous.</p> : null}

      <form class="token-form" onSubmit={(e) => void submit(e)}>
        <h2>{current ? 'Use another token' : 'Set a token'}</h2>
        <p>
          Agents with ACLs enabled require a token for most requests. Paste a token's secret ID: once the agent knows it, it is kept in this browser's local storage and sent as{' '}
          <code>X-Nomad-Token</code> with every request.
        </p>
        <label for="token-secret">Secret ID</label>
        <div class="token-row">
          <input
            id="token-secret"
            type="password"
            autoComplete="off"
            spellcheck={false}
            placeholder="XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX"
            value={secret}
            onInput={(e) => setSecret((e.target as HTMLInputElement).value)}
          />
          <button type="submit" class="primary" disabled={secret.trim() === '' || busy} aria-busy={busy}>
            Set token
          </button>
        </div>
      </form>
    </section>
  );
}

function TokenDetails(props: { token: ApiAclToken }): JSX.Element {
  const t = props.token;
  return (
    <div class="token-details">
      <h2>Token: {t.Name || <span class="muted">(no name)</span>}</h2>
      <dl class="facts">
        <dt>Name</dt>
        <dd>{t.Name || '–'}</dd>
        <dt>Type</dt>
        <dd>{t.Type}</dd>
        <dt>Accessor ID</dt>
        <dd class="mono">{t.AccessorID}</dd>
        <dt>Policies</dt>
        <dd>
          {t.Type === 'management' ? (
            'The management token has all permissions.'
          ) : (t.Policies ?? []).length > 0 ? (
            <ul class="policies">
              {(t.Policies ?? []).map((p) => (
                <li>
                  <code>{p}</code> {POLICY_TEXT[p] ?? ''}
                </li>
              ))}
            </ul>
          ) : (
            'none'
          )}
        </dd>
      </dl>
    </div>
  );
}

/** drover's built-in policies. */
const POLICY_TEXT: Record<string, string> = {
  read: '— read everything (jobs, allocations, logs, files), change nothing',
  write: '— read and change everything but ACL tokens',
};
