import type { Ref } from 'preact';
import { useImperativeHandle, useRef, useState } from 'preact/hooks';
import type { PublicProfile } from '../../../protocol/users.js';
import { errorMessage } from '../../lib/api.js';
import { Avatar } from '../../lib/shell.js';
import { Spinner } from '../../lib/ui.js';
import { getPublicProfile } from './chat-api.js';
import { clock, fullDate } from './time.js';
import './chat-dialog.css';
import './profile-card.css';

export interface ProfileCardHandle {
  open(username: string): void;
}

/** Who someone is: a modal card from `GET /api/users/{username}` (never their email). */
export function ProfileCard({ handle }: { handle: Ref<ProfileCardHandle> }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [profile, setProfile] = useState<PublicProfile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const wanted = useRef('');

  useImperativeHandle(
    handle,
    () => ({
      open(username) {
        wanted.current = username;
        setProfile(null);
        setError(null);
        if (ref.current && !ref.current.open) ref.current.showModal();
        getPublicProfile(username).then(
          (found) => wanted.current === username && setProfile(found),
          (caught: unknown) => wanted.current === username && setError(errorMessage(caught)),
        );
      },
    }),
    [],
  );

  const hours = (seconds: number) => `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return (
    <dialog ref={ref} class="chat-dialog profile-card" aria-labelledby="profile-title">
      {profile === null ? (
        <>
          <h2 id="profile-title" class="chat-dialog-title">
            Profile
          </h2>
          {error ? (
            <p class="edit-error" role="alert">
              {error}
            </p>
          ) : (
            <Spinner />
          )}
        </>
      ) : (
        <div class="profile-card-body">
          <Avatar url={profile.avatar_url} name={profile.display_name} large />
          <h2 id="profile-title" class="chat-dialog-title">
            {profile.display_name}
          </h2>
          <p class="muted">@{profile.username}</p>
          {profile.bio && <p class="profile-bio">{profile.bio}</p>}
          <dl class="profile-facts">
            <dt>Member since</dt>
            <dd>{fullDate(profile.member_since)}</dd>
            {profile.focus && (
              <>
                <dt>Focusing now</dt>
                <dd>
                  {profile.focus.focusing
                    ? `since ${clock(profile.focus.focusing.since)}${profile.focus.focusing.label ? ` · ${profile.focus.focusing.label}` : ''}`
                    : 'no'}
                </dd>
                <dt>Focus this week</dt>
                <dd>{hours(profile.focus.week_seconds)}</dd>
              </>
            )}
          </dl>
        </div>
      )}
      <div class="button-row chat-dialog-actions">
        <button type="button" class="btn btn-secondary" autoFocus onClick={() => ref.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
