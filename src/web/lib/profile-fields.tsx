import { useMemo } from 'preact/hooks';
import { inputValue, SelectField, TextAreaField, TextField } from './forms.js';
import { BIO_MAX, type ProfileValues } from './profile-form.js';
import { timeZoneOptions } from './timezones.js';

interface ProfileFieldsProps {
  values: ProfileValues;
  onChange: (changes: Partial<ProfileValues>) => void;
  errors: Readonly<Record<string, string>>;
  /** Hint under the display name. */
  displayNameHint?: string;
}

/** Username, display name, age, bio and time zone: shared by onboarding and settings. */
export function ProfileFields({ values, onChange, errors, displayNameHint }: ProfileFieldsProps) {
  const zones = useMemo(() => timeZoneOptions(values.timezone), [values.timezone]);
  return (
    <>
      <div class="form-row">
        <TextField
          id="username"
          label="Username"
          autocomplete="username"
          autoCapitalize="none"
          spellcheck={false}
          placeholder="e.g. ada_codes"
          hint="3–30 letters, digits or underscores."
          value={values.username}
          onInput={(event) => onChange({ username: inputValue(event) })}
          error={errors.username}
          required
        />
        <TextField
          id="display_name"
          label="Display name"
          optional
          autocomplete="nickname"
          placeholder="e.g. Ada Lovelace"
          hint={displayNameHint ?? 'How others see you, up to 50 characters.'}
          maxLength={50}
          value={values.display_name}
          onInput={(event) => onChange({ display_name: inputValue(event) })}
          error={errors.display_name}
        />
      </div>
      <div class="form-row">
        <TextField
          id="age"
          label="Age"
          optional
          type="number"
          inputMode="numeric"
          min={13}
          max={120}
          step={1}
          placeholder="13–120"
          value={values.age}
          onInput={(event) => onChange({ age: inputValue(event) })}
          error={errors.age}
        />
        <SelectField
          id="timezone"
          label="Time zone"
          hint="Your day on the dashboard starts at midnight here."
          options={zones}
          value={values.timezone}
          onChange={(event) => onChange({ timezone: inputValue(event) })}
          error={errors.timezone}
        />
      </div>
      <TextAreaField
        id="bio"
        label="Bio"
        optional
        rows={4}
        maxLength={BIO_MAX}
        placeholder="What are you building or learning?"
        hint={`${values.bio.length} / ${BIO_MAX} characters`}
        value={values.bio}
        onInput={(event) => onChange({ bio: inputValue(event) })}
        error={errors.bio}
      />
    </>
  );
}

export type OptIn = 'share_focus' | 'leaderboard' | 'quiet_while_focusing';

/** The profile's opt-in settings, each off until the person turns it on. */
const OPT_INS: { name: OptIn; label: string; hint: string }[] = [
  {
    name: 'share_focus',
    label: 'Share my focus status',
    hint: 'When on, others see in chat that you are focusing and on what.',
  },
  {
    name: 'leaderboard',
    label: 'Show me on the weekly leaderboard',
    hint: 'When on, your focus this week (Monday to Sunday, your time zone) is ranked on the dashboard.',
  },
  {
    name: 'quiet_while_focusing',
    label: 'Quiet while focusing',
    hint: 'When on, mentions wait without notifications or sounds while your timer runs; you see them when it ends.',
  },
];

/** The opt-in switches, as onboarding and Settings ask them. */
export function OptInFields({
  values,
  onChange,
}: {
  values: Record<OptIn, boolean>;
  onChange: (changes: Partial<Record<OptIn, boolean>>) => void;
}) {
  return (
    <>
      {OPT_INS.map(({ name, label, hint }) => (
        <div class="switch-field" key={name}>
          <input
            id={name}
            name={name}
            type="checkbox"
            class="switch"
            role="switch"
            checked={values[name]}
            aria-describedby={`${name}-hint`}
            onChange={(event) => onChange({ [name]: event.currentTarget.checked })}
          />
          <div>
            <label for={name} class="field-label">
              {label}
            </label>
            <p id={`${name}-hint`} class="field-hint">
              {hint}
            </p>
          </div>
        </div>
      ))}
    </>
  );
}
