import { useState } from 'preact/hooks';
import { oauthErrorMessage, type Identities, type Provider, type ProviderId } from '../../../protocol/oauth.js';
import { leaveTo } from '../../lib/api.js';
import { getIdentities, getProviders, startLink, unlinkIdentity } from '../../lib/endpoints.js';
import { useSubmit } from '../../lib/forms.js';
import { ErrorBox, FormMessage, PageLoading } from '../../lib/ui.js';
import { useLoad } from '../../lib/use-load.js';
import './sign-in-methods-card.css';

interface Methods {
  providers: readonly Provider[];
  identities: Identities;
}

const loadMethods = async (): Promise<Methods> => {
  const [{ providers }, identities] = await Promise.all([getProviders(), getIdentities()]);
  return { providers, identities };
};

/** What the provider callback said on its way back here (`?linked=github` or `?error=<code>`). */
function messageFromCallback(names: readonly Provider[]): { error: string | null; success: string | null } {
  const params = new URLSearchParams(location.search);
  const linked = names.find((p) => p.id === params.get('linked'));
  return { error: oauthErrorMessage(params.get('error')), success: linked ? `${linked.name} is linked.` : null };
}

/** The providers linked to the account: link another, unlink one (never the last way in; the server says why). */
export function SignInMethodsCard() {
  const { state, retry, setData } = useLoad(loadMethods);
  return (
    <section class="glass-card settings-card" aria-labelledby="methods-title">
      <h2 id="methods-title" class="card-title">
        Sign-in methods
      </h2>
      {state.status === 'loading' && <PageLoading label="Loading your sign-in methods…" />}
      {state.status === 'error' && (
        <ErrorBox title="Could not load your sign-in methods" message={state.message} onRetry={retry} />
      )}
      {state.status === 'ready' && (
        <MethodList methods={state.data} onChanged={(identities) => setData({ ...state.data, identities })} />
      )}
    </section>
  );
}

function MethodList({ methods, onChanged }: { methods: Methods; onChanged: (identities: Identities) => void }) {
  const form = useSubmit();
  const [fromCallback, setFromCallback] = useState(() => messageFromCallback(methods.providers));
  const { identities, has_password: hasPassword } = methods.identities;
  const linkedIds = new Set<ProviderId>(identities.map((i) => i.provider));
  const rows = [
    ...identities.map((i) => ({ id: i.provider, name: i.provider_name, linked: true })),
    ...methods.providers.filter((p) => !linkedIds.has(p.id)).map((p) => ({ id: p.id, name: p.name, linked: false })),
  ];

  const link = (provider: ProviderId) =>
    void form.run(async () => {
      setFromCallback({ error: null, success: null });
      leaveTo((await startLink(provider)).redirect_to);
      return 'Taking you to the provider…';
    });
  const unlink = (provider: ProviderId, name: string) =>
    void form.run(async () => {
      setFromCallback({ error: null, success: null });
      await unlinkIdentity(provider);
      onChanged(await getIdentities());
      return `${name} is unlinked.`;
    });

  return (
    <>
      <p class="muted">
        {hasPassword ? 'You sign in with your password' : 'Your account has no password'}
        {identities.length > 0
          ? ' and the providers linked below.'
          : rows.length > 0
            ? '. Link a provider to sign in with it too.'
            : '.'}
      </p>
      {rows.length > 0 && (
        <ul class="identity-list">
          {rows.map((row) => (
            <li key={row.id} class="identity-row">
              <span>
                <strong>{row.name}</strong> <span class="muted">{row.linked ? 'Linked' : 'Not linked'}</span>
              </span>
              {row.linked ? (
                <button
                  type="button"
                  class="btn btn-ghost"
                  disabled={form.busy}
                  onClick={() => unlink(row.id, row.name)}
                >
                  Unlink {row.name}
                </button>
              ) : (
                <button type="button" class="btn btn-secondary" disabled={form.busy} onClick={() => link(row.id)}>
                  Link {row.name}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <FormMessage error={form.error ?? fromCallback.error} success={form.success ?? fromCallback.success} />
    </>
  );
}
