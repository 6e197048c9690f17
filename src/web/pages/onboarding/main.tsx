import { LogOut } from 'lucide';
import { useState } from 'preact/hooks';
import type { Profile } from '../../../protocol/profile.js';
import { safeNextPath } from '../../../protocol/next-path.js';
import { leaveTo } from '../../lib/api.js';
import { AuthLayout } from '../../lib/auth-layout.js';
import { completeProfile, getProfile, logout } from '../../lib/endpoints.js';
import { useSubmit } from '../../lib/forms.js';
import { Icon } from '../../lib/icon.js';
import { mount } from '../../lib/mount.js';
import { ProfileFields, OptInFields } from '../../lib/profile-fields.js';
import { parseAge, valuesOf, type ProfileValues } from '../../lib/profile-form.js';
import { browserTimeZone } from '../../lib/timezones.js';
import { Button, ErrorBox, FormMessage, PageLoading, SubmitButton } from '../../lib/ui.js';
import { useLoad } from '../../lib/use-load.js';

function OnboardingPage() {
  const { state, retry } = useLoad(getProfile);
  const logoutForm = useSubmit();
  const onLogout = () =>
    void logoutForm.run(async () => {
      await logout();
      leaveTo('/');
    });

  return (
    <AuthLayout
      wide
      title="Set up your profile"
      subtitle="Pick the name people will see in chat. Everything else is optional and can be changed later."
      actions={
        <Button variant="ghost" disabled={logoutForm.busy} onClick={onLogout}>
          <Icon icon={LogOut} size={18} />
          <span>Log out</span>
        </Button>
      }
    >
      {state.status === 'loading' && <PageLoading label="Loading your profile…" />}
      {state.status === 'error' && <ErrorBox message={state.message} onRetry={retry} />}
      {state.status === 'ready' && <OnboardingForm profile={state.data} />}
      {logoutForm.error && <FormMessage error={`Could not log out: ${logoutForm.error}`} />}
    </AuthLayout>
  );
}

function initialValues(profile: Profile): ProfileValues {
  const values = valuesOf(profile);
  // A display name the server derived from the email is no choice of the user's: leave it empty.
  if (profile.display_name === profile.username) values.display_name = '';
  values.timezone = browserTimeZone();
  return values;
}

function OnboardingForm({ profile }: { profile: Profile }) {
  const form = useSubmit();
  const [values, setValues] = useState(() => initialValues(profile));

  const submit = form.onSubmit(async () => {
    const username = values.username.trim();
    const age = parseAge(values.age);
    const bio = values.bio.trim();
    const result = await completeProfile({
      username,
      display_name: values.display_name.trim() || username,
      timezone: values.timezone,
      share_focus: values.share_focus,
      leaderboard: values.leaderboard,
      quiet_while_focusing: values.quiet_while_focusing,
      ...(age === null ? {} : { age }),
      ...(bio ? { bio } : {}),
    });
    leaveTo(safeNextPath(result.redirect_to) ?? '/dashboard');
    return 'Profile saved. Taking you to your dashboard…';
  });

  return (
    <form class="form" noValidate onSubmit={submit}>
      <ProfileFields
        values={values}
        onChange={(changes) => setValues({ ...values, ...changes })}
        errors={form.fieldErrors}
        displayNameHint="How others see you. Leave it empty to use your username."
      />
      <OptInFields values={values} onChange={(changes) => setValues({ ...values, ...changes })} />
      <FormMessage error={form.error} success={form.success} />
      <SubmitButton busy={form.busy} busyLabel="Saving…">
        Continue to dashboard
      </SubmitButton>
    </form>
  );
}

mount(<OnboardingPage />);
