import { useState } from 'preact/hooks';
import { AuthLayout } from '../../lib/auth-layout.js';
import { getStatusAfterLogin, resetPassword } from '../../lib/endpoints.js';
import { useSubmit } from '../../lib/forms.js';
import { mount } from '../../lib/mount.js';
import { checkNewPassword, NewPasswordFields } from '../../lib/new-password-fields.js';
import { safeNextPath } from '../../../protocol/next-path.js';
import { FormMessage, SubmitButton } from '../../lib/ui.js';

/** The token is in the fragment (`/reset#token=…`): it never reaches a server log or a Referer. */
function tokenFromLocation(): string {
  return new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
}

function ResetPage() {
  const form = useSubmit();
  const [token] = useState(tokenFromLocation);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');

  const submit = form.onSubmit(async () => {
    checkNewPassword(password, confirm);
    await resetPassword({ token, new_password: password });
    history.replaceState(null, '', '/reset');
    const target = (await getStatusAfterLogin()).redirect_to;
    location.assign(safeNextPath(target) ?? '/dashboard');
    return 'Your new password is set. Taking you in…';
  });

  return (
    <AuthLayout
      title="Choose a new password"
      subtitle="It signs you out everywhere else and signs you in here."
      footer={
        <>
          Link not working? <a href="/forgot">Ask for a new one</a>
        </>
      }
    >
      {token === '' ? (
        <FormMessage error="This page needs the link from the recovery mail. Ask for a new one below." />
      ) : (
        <form class="form" noValidate onSubmit={submit}>
          <NewPasswordFields
            password={password}
            confirm={confirm}
            onPassword={setPassword}
            onConfirm={setConfirm}
            errors={form.fieldErrors}
          />
          <FormMessage error={form.error} success={form.success} />
          <SubmitButton busy={form.busy} busyLabel="Saving…">
            Set the new password
          </SubmitButton>
        </form>
      )}
    </AuthLayout>
  );
}

mount(<ResetPage />);
