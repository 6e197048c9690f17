import { useState } from 'preact/hooks';
import { changePassword } from '../../lib/endpoints.js';
import { inputValue, PasswordField, useSubmit } from '../../lib/forms.js';
import { checkNewPassword, NewPasswordFields } from '../../lib/new-password-fields.js';
import { FormMessage, SubmitButton } from '../../lib/ui.js';

interface PasswordCardProps {
  /** False for an account without a password yet (Google/GitHub there): it sets a first one. */
  hasPassword: boolean;
  onPasswordSet: () => void;
}

export function PasswordCard({ hasPassword, onPasswordSet }: PasswordCardProps) {
  const form = useSubmit();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');

  const submit = form.onSubmit(async () => {
    checkNewPassword(next, confirm);
    const result = await changePassword(
      hasPassword ? { current_password: current, new_password: next } : { new_password: next },
    );
    onPasswordSet();
    setCurrent('');
    setNext('');
    setConfirm('');
    return result.message;
  });

  return (
    <section class="glass-card settings-card" aria-labelledby="password-title">
      <h2 id="password-title" class="card-title">
        Password
      </h2>
      <p class="muted">
        {hasPassword
          ? 'Changing it signs you out on every other device.'
          : 'Your account has no password yet: set one to sign in with your email.'}
      </p>
      <form class="form" noValidate onSubmit={submit}>
        {hasPassword && (
          <PasswordField
            id="current_password"
            label="Current password"
            autocomplete="current-password"
            value={current}
            onInput={(event) => setCurrent(inputValue(event))}
            error={form.fieldErrors.current_password}
            required
          />
        )}
        <NewPasswordFields
          password={next}
          confirm={confirm}
          onPassword={setNext}
          onConfirm={setConfirm}
          errors={form.fieldErrors}
        />
        <FormMessage error={form.error} success={form.success} />
        <SubmitButton busy={form.busy} busyLabel={hasPassword ? 'Changing…' : 'Setting…'}>
          {hasPassword ? 'Change password' : 'Set password'}
        </SubmitButton>
      </form>
    </section>
  );
}
