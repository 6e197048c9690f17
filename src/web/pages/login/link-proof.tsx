import { useState } from 'preact/hooks';
import { OAUTH_ERRORS } from '../../../protocol/oauth.js';
import { AuthLayout } from '../../lib/auth-layout.js';
import { confirmLink, getPendingLink } from '../../lib/endpoints.js';
import { PasswordField, inputValue, useSubmit } from '../../lib/forms.js';
import { FormMessage, PageLoading, SubmitButton } from '../../lib/ui.js';
import { useLoad } from '../../lib/use-load.js';
import './link-proof.css';

/**
 * A provider vouched for an email that already has an account: the account is linked only once
 * its owner proves it is theirs by its password (never on the email alone).
 */
export function LinkProof({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const { state } = useLoad(getPendingLink);
  const form = useSubmit();
  const [password, setPassword] = useState('');

  const submit = form.onSubmit(async () => {
    await confirmLink({ password });
    await onSignedIn();
    return 'Linked. Taking you there…';
  });

  const footer = <a href="/">Back to sign in</a>;
  if (state.status === 'loading') {
    return (
      <AuthLayout title="Link your sign-in" footer={footer}>
        <PageLoading label="Loading…" />
      </AuthLayout>
    );
  }
  if (state.status === 'error') {
    return (
      <AuthLayout title="Link your sign-in" footer={footer}>
        <p class="form-message form-message-error" role="alert">
          {OAUTH_ERRORS.link_expired}
        </p>
      </AuthLayout>
    );
  }
  const pending = state.data;
  return (
    <AuthLayout
      title={`Link ${pending.provider_name}`}
      subtitle={
        <>
          An account with <strong>{pending.email}</strong> already exists. Enter its password to prove it is yours; then{' '}
          {pending.provider_name} signs you into it from now on.
        </>
      }
      footer={footer}
    >
      <form class="form" noValidate onSubmit={submit}>
        <PasswordField
          id="password"
          label="Password of this account"
          autocomplete="current-password"
          value={password}
          onInput={(event) => setPassword(inputValue(event))}
          error={form.fieldErrors.password}
          required
        />
        <FormMessage error={form.error} success={form.success} />
        <SubmitButton busy={form.busy} busyLabel="Linking…">
          Link and sign in
        </SubmitButton>
      </form>
      <p class="muted link-proof-note">
        That account signs in with another provider instead? Sign in with it, then link {pending.provider_name} in
        Settings.
      </p>
    </AuthLayout>
  );
}
