import { useState } from 'preact/hooks';
import type { Me } from '../../../protocol/auth.js';
import type { Profile } from '../../../protocol/profile.js';
import { updateProfile } from '../../lib/endpoints.js';
import { inputValue, TextField, useSubmit } from '../../lib/forms.js';
import { ProfileFields, OptInFields } from '../../lib/profile-fields.js';
import { diffProfile, valuesOf } from '../../lib/profile-form.js';
import { Avatar } from '../../lib/shell.js';
import { FormMessage, SubmitButton } from '../../lib/ui.js';

interface ProfileCardProps {
  profile: Profile;
  onSaved: (me: Partial<Me>) => void;
}

export function ProfileCard({ profile, onSaved }: ProfileCardProps) {
  const form = useSubmit();
  const [saved, setSaved] = useState(profile);
  const [values, setValues] = useState(() => valuesOf(profile));
  const change = (changes: Partial<typeof values>) => {
    form.clearMessages();
    setValues({ ...values, ...changes });
  };

  const submit = form.onSubmit(async () => {
    const patch = diffProfile(saved, values);
    if (Object.keys(patch).length === 0) return 'Nothing to save: no field was changed.';
    const updated = await updateProfile(patch);
    setSaved(updated);
    setValues(valuesOf(updated));
    onSaved({
      username: updated.username,
      display_name: updated.display_name,
      avatar_url: updated.avatar_url,
      timezone: updated.timezone,
    });
    return 'Profile saved.';
  });

  const previewName = values.display_name.trim() || values.username || profile.email;
  return (
    <section class="glass-card settings-card" aria-labelledby="profile-title">
      <div class="settings-card-head">
        <Avatar url={saved.avatar_url} name={previewName} large />
        <div>
          <h2 id="profile-title" class="card-title">
            Profile
          </h2>
          <p class="muted">Signed in as {profile.email}</p>
        </div>
      </div>
      <form class="form" noValidate onSubmit={submit}>
        <ProfileFields values={values} onChange={change} errors={form.fieldErrors} />
        <TextField
          id="avatar_url"
          label="Avatar URL"
          optional
          type="url"
          inputMode="url"
          placeholder="https://example.com/me.png"
          hint="A link to a picture (http or https)."
          value={values.avatar_url}
          onInput={(event) => change({ avatar_url: inputValue(event) })}
          error={form.fieldErrors.avatar_url}
        />
        <OptInFields values={values} onChange={change} />
        <FormMessage error={form.error} success={form.success} />
        <SubmitButton busy={form.busy} busyLabel="Saving…">
          Save profile
        </SubmitButton>
      </form>
    </section>
  );
}
