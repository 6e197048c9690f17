import { useEffect, useState } from 'preact/hooks';
import { safeNextPath } from '../../../protocol/next-path.js';
import { oauthErrorMessage } from '../../../protocol/oauth.js';
import { AuthLayout } from '../../lib/auth-layout.js';
import { getRecoveryAvailable, getStatusAfterLogin, login } from '../../lib/endpoints.js';
import { EmailField, PasswordField, inputValue, useSubmit } from '../../lib/forms.js';
import { mount } from '../../lib/mount.js';
import { ProviderButtons } from '../../lib/provider-buttons.js';
import { FormMessage, SubmitButton } from '../../lib/ui.js';
import { LinkProof } from './link-proof.js';
import './main.css';

const params = new URLSearchParams(location.search);
// Only a path on this site: never `https://evil.example` or `//evil.example`.
const next = safeNextPath(params.get('next'));

/** Where a signed-in person goes: where they were heading, or onboarding/dashboard as the server says. */
async function goOnAfterSignIn(): Promise<void> {
  const target = next ?? (await getStatusAfterLogin()).redirect_to;
  location.assign(safeNextPath(target) ?? '/dashboard');
}

function LoginPage() {
  const form = useSubmit();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Hidden where recovery cannot mail (production without SMTP: the route answers 404).
  const [canRecover, setCanRecover] = useState(false);
  useEffect(() => {
    getRecoveryAvailable().then(
      () => setCanRecover(true),
      () => setCanRecover(false),
    );
  }, []);
  // A provider sign-in that came back without one: a fixed sentence per code, never the provider's words.
  const providerError = oauthErrorMessage(params.get('error'));

  const submit = form.onSubmit(async () => {
    await login({ email: email.trim(), password });
    await goOnAfterSignIn();
    return 'Signed in. Taking you there…';
  });

  if (params.has('link')) return <LinkProof onSignedIn={goOnAfterSignIn} />;

  return (
    <AuthLayout
      title="Welcome back"
      subtitle={
        next ? 'Sign in to continue where you were.' : 'Sign in to chat, focus and see how the community is doing.'
      }
      footer={
        <>
          New to CodeChicks? <a href="/register">Create an account</a>
        </>
      }
    >
      {providerError && (
        <p class="form-message form-message-error provider-error" role="alert">
          {providerError}
        </p>
      )}
      <form class="form" noValidate onSubmit={submit}>
        <EmailField value={email} onChange={setEmail} error={form.fieldErrors.email} />
        <PasswordField
          id="password"
          label="Password"
          autocomplete="current-password"
          placeholder="Your password"
          value={password}
          onInput={(event) => setPassword(inputValue(event))}
          error={form.fieldErrors.password}
          required
        />
        {canRecover && (
          <p class="form-aside">
            <a href="/forgot">Forgot password?</a>
          </p>
        )}
        <FormMessage error={form.error} success={form.success} />
        <SubmitButton busy={form.busy} busyLabel="Signing in…">
          Sign in
        </SubmitButton>
      </form>
      <ProviderButtons next={next} />
    </AuthLayout>
  );
}

mount(<LoginPage />);
