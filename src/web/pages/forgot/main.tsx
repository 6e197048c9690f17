import { useEffect, useState } from 'preact/hooks';
import { AuthLayout } from '../../lib/auth-layout.js';
import { forgotPassword, getRecoveryAvailable } from '../../lib/endpoints.js';
import { EmailField, useSubmit } from '../../lib/forms.js';
import { mount } from '../../lib/mount.js';
import { FormMessage, SubmitButton } from '../../lib/ui.js';

function ForgotPage() {
  const form = useSubmit();
  const [email, setEmail] = useState('');
  const [available, setAvailable] = useState(true);

  useEffect(() => {
    getRecoveryAvailable().catch(() => setAvailable(false));
  }, []);

  const submit = form.onSubmit(async () => (await forgotPassword({ email: email.trim() })).detail);

  return (
    <AuthLayout
      title="Forgot your password?"
      subtitle="Give the email of your account: we mail you a link to choose a new password."
      footer={
        <>
          Remembered it? <a href="/">Sign in</a>
        </>
      }
    >
      {available ? (
        <form class="form" noValidate onSubmit={submit}>
          <EmailField value={email} onChange={setEmail} error={form.fieldErrors.email} />
          <FormMessage error={form.error} success={form.success} />
          <SubmitButton busy={form.busy} busyLabel="Sending…">
            Send the link
          </SubmitButton>
        </form>
      ) : (
        <FormMessage error="Password recovery by mail is not set up here: ask an administrator for a link." />
      )}
    </AuthLayout>
  );
}

mount(<ForgotPage />);
