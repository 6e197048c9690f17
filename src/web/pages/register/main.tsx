import { useState } from 'preact/hooks';
import { AuthLayout } from '../../lib/auth-layout.js';
import { register } from '../../lib/endpoints.js';
import { EmailField, PasswordField, TextField, inputValue, useSubmit } from '../../lib/forms.js';
import { mount } from '../../lib/mount.js';
import { NEW_PASSWORD_PLACEHOLDER } from '../../lib/new-password-fields.js';
import { PASSWORD_HINT } from '../../lib/password-rules.js';
import { ProviderButtons } from '../../lib/provider-buttons.js';
import { FormMessage, SubmitButton } from '../../lib/ui.js';

function RegisterPage() {
  const form = useSubmit();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [username, setUsername] = useState('');

  const submit = form.onSubmit(async () => {
    const chosen = username.trim();
    await register({ email: email.trim(), password, ...(chosen ? { username: chosen } : {}) });
    location.assign('/onboarding');
    return 'Account created. Next: your profile…';
  });

  return (
    <AuthLayout
      title="Create your account"
      subtitle="Join the community: chat with other developers and keep your focus."
      footer={
        <>
          Already have an account? <a href="/">Sign in</a>
        </>
      }
    >
      <form class="form" noValidate onSubmit={submit}>
        <EmailField value={email} onChange={setEmail} error={form.fieldErrors.email} />
        <PasswordField
          id="password"
          label="Password"
          autocomplete="new-password"
          placeholder={NEW_PASSWORD_PLACEHOLDER}
          hint={PASSWORD_HINT}
          value={password}
          onInput={(event) => setPassword(inputValue(event))}
          error={form.fieldErrors.password}
          required
        />
        <TextField
          id="username"
          label="Username"
          optional
          autocomplete="username"
          autoCapitalize="none"
          spellcheck={false}
          placeholder="e.g. ada_codes"
          hint="3–30 letters, digits or underscores. You can also pick it in the next step."
          value={username}
          onInput={(event) => setUsername(inputValue(event))}
          error={form.fieldErrors.username}
        />
        <FormMessage error={form.error} success={form.success} />
        <SubmitButton busy={form.busy} busyLabel="Creating account…">
          Create account
        </SubmitButton>
      </form>
      <ProviderButtons next={null} />
    </AuthLayout>
  );
}

mount(<RegisterPage />);
