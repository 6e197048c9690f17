import { ShieldCheck, ShieldOff, UserCheck, UserX } from 'lucide';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AdminUser, AdminUserChange } from '../../../protocol/admin.js';
import { formatDate, nameOf } from '../../lib/format.js';
import { useSubmit } from '../../lib/forms.js';
import { Icon } from '../../lib/icon.js';
import { FormMessage, Spinner } from '../../lib/ui.js';
import { TimeoutControl } from './timeout-control.js';
import './user-row.css';

interface UserRowProps {
  user: AdminUser;
  isMe: boolean;
  onChange: (id: number, change: AdminUserChange) => Promise<void>;
  onTimeout: (id: number, minutes: number) => Promise<void>;
}

/** One account: who, since when, last seen; its role, and disabling after a confirmation. */
export function UserRow({ user, isMe, onChange, onTimeout }: UserRowProps) {
  const [confirming, setConfirming] = useState(false);
  const form = useSubmit();
  const cancel = useRef<HTMLButtonElement>(null);
  const name = nameOf(user);

  useEffect(() => {
    if (confirming) cancel.current?.focus();
  }, [confirming]);

  const apply = (change: AdminUserChange, done: string) =>
    form.run(async () => {
      await onChange(user.id, change);
      setConfirming(false);
      return done;
    });

  const timeOut = (minutes: number) =>
    form.run(async () => {
      await onTimeout(user.id, minutes);
      return minutes === 0 ? `${name} may post again.` : `${name} is timed out: they can read but not post.`;
    });

  return (
    <li class={`user-row${user.disabled ? ' user-row-disabled' : ''}`} aria-label={name}>
      <div class="user-main">
        <p class="user-row-name">
          <strong>{name}</strong>
          {user.username !== null && <span class="muted"> @{user.username}</span>}
          {isMe && <span class="badge">You</span>}
          {user.role === 'admin' && <span class="badge badge-accent">Admin</span>}
          {user.disabled && <span class="badge badge-danger">Disabled</span>}
          {user.timed_out_until !== null && (
            <span class="badge badge-danger">Timed out until {formatDate(user.timed_out_until)}</span>
          )}
          {!user.profile_complete && <span class="badge">Onboarding</span>}
        </p>
        <p class="user-meta muted">
          <span>{user.email}</span>
          <span>
            Joined <time dateTime={user.created_at}>{formatDate(user.created_at)}</time>
          </span>
          <span>
            {user.last_seen_at === null ? (
              'Never seen'
            ) : (
              <>
                Last seen <time dateTime={user.last_seen_at}>{formatDate(user.last_seen_at)}</time>
              </>
            )}
          </span>
        </p>
      </div>
      {confirming ? (
        <div class="confirm-row" role="group" aria-label={`Confirm disabling ${name}`}>
          <p>Disable {name}? They are signed out everywhere at once and cannot sign in until enabled.</p>
          <div class="button-row">
            <button
              type="button"
              class="btn btn-danger"
              disabled={form.busy}
              aria-busy={form.busy}
              onClick={() => void apply({ disabled: true }, `${name} is disabled and signed out.`)}
            >
              {form.busy ? <Spinner /> : <Icon icon={UserX} size={16} />}
              <span>Yes, disable</span>
            </button>
            <button
              ref={cancel}
              type="button"
              class="btn btn-ghost"
              disabled={form.busy}
              onClick={() => setConfirming(false)}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div class="user-actions button-row">
          {user.role === 'admin' ? (
            <button
              type="button"
              class="btn btn-secondary btn-small"
              disabled={form.busy}
              onClick={() => void apply({ role: 'user' }, `${name} is no longer an admin.`)}
            >
              <Icon icon={ShieldOff} size={16} />
              <span>Remove admin</span>
            </button>
          ) : (
            <button
              type="button"
              class="btn btn-secondary btn-small"
              disabled={form.busy}
              onClick={() => void apply({ role: 'admin' }, `${name} is now an admin.`)}
            >
              <Icon icon={ShieldCheck} size={16} />
              <span>Make admin</span>
            </button>
          )}
          {user.disabled ? (
            <button
              type="button"
              class="btn btn-secondary btn-small"
              disabled={form.busy}
              onClick={() => void apply({ disabled: false }, `${name} can sign in again.`)}
            >
              <Icon icon={UserCheck} size={16} />
              <span>Enable</span>
            </button>
          ) : (
            user.role !== 'admin' && (
              <TimeoutControl user={user} name={name} busy={form.busy} onTimeout={(m) => void timeOut(m)} />
            )
          )}
          {!user.disabled && !isMe && (
            <button
              type="button"
              class="btn btn-ghost btn-small"
              disabled={form.busy}
              onClick={() => {
                form.clearMessages();
                setConfirming(true);
              }}
            >
              <Icon icon={UserX} size={16} />
              <span>Disable</span>
            </button>
          )}
        </div>
      )}
      <FormMessage error={form.error} success={form.success} />
    </li>
  );
}
