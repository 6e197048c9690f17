import type { Profile, ProfilePatch } from '../../protocol/profile.js';
import { invalidField } from './forms.js';

export const BIO_MAX = 500;

/** A profile as the form edits it: text as typed, empty for "none". */
export interface ProfileValues {
  username: string;
  display_name: string;
  age: string;
  bio: string;
  avatar_url: string;
  timezone: string;
  share_focus: boolean;
  leaderboard: boolean;
  quiet_while_focusing: boolean;
}

export function valuesOf(profile: Profile): ProfileValues {
  return {
    username: profile.username ?? '',
    display_name: profile.display_name ?? '',
    age: profile.age === null ? '' : String(profile.age),
    bio: profile.bio ?? '',
    avatar_url: profile.avatar_url ?? '',
    timezone: profile.timezone,
    share_focus: profile.share_focus,
    leaderboard: profile.leaderboard,
    quiet_while_focusing: profile.quiet_while_focusing,
  };
}

/** The age typed, or null when the field is empty; a fraction is refused here already. */
export function parseAge(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const age = Number(trimmed);
  if (!Number.isInteger(age)) throw invalidField('age', 'Age must be a whole number');
  return age;
}

/** Empty text is "none": null, so the server clears the field. */
function optionalText(text: string): string | null {
  return text.trim() === '' ? null : text.trim();
}

/** Only the keys that changed; an emptied optional field becomes null. */
export function diffProfile(initial: Profile, values: ProfileValues): ProfilePatch {
  const patch: ProfilePatch = {};
  const username = values.username.trim();
  if (username !== (initial.username ?? '')) patch.username = username;
  const displayName = optionalText(values.display_name);
  if (displayName !== initial.display_name) patch.display_name = displayName;
  const age = parseAge(values.age);
  if (age !== initial.age) patch.age = age;
  const bio = optionalText(values.bio);
  if (bio !== initial.bio) patch.bio = bio;
  const avatarUrl = optionalText(values.avatar_url);
  if (avatarUrl !== initial.avatar_url) patch.avatar_url = avatarUrl;
  if (values.timezone !== initial.timezone) patch.timezone = values.timezone;
  if (values.share_focus !== initial.share_focus) patch.share_focus = values.share_focus;
  if (values.leaderboard !== initial.leaderboard) patch.leaderboard = values.leaderboard;
  if (values.quiet_while_focusing !== initial.quiet_while_focusing) {
    patch.quiet_while_focusing = values.quiet_while_focusing;
  }
  return patch;
}
