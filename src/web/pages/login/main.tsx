import { useEffect, useState } from 'preact/hooks';
import { safeNextPath } from '../../../protocol/next-path.js';
import { AuthLayout } from '../../lib/auth-layout.js';
import { getRecoveryAvailable, getStatusAfterLogin, login } from '../../lib/endpoints.js';
import { EmailField, PasswordField, inputValue, useSubmit } from '../../lib/forms.js';
import { mount } from '../../lib/mount.js';
import { FormMessage, SubmitButton } from '../../lib/ui.js';

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
  // Only a path on this site: never `https://evil.example` or `//evil.example`.
  const next = safeNextPath(new URLSearchParams(location.search).get('next'));

  const submit = form.onSubmit(async () => {
    await login({ email: email.trim(), password });
    const target = next ?? (await getStatusAfterLogin()).redirect_to;
    location.assign(safeNextPath(target) ?? '/dashboard');
    return 'Signed in. Taking you there…';
  });

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
    </AuthLayout>
  );
}

mount(<LoginPage />);
