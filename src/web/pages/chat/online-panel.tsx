import type { Me } from '../../../protocol/auth.js';
import type { OnlineUser, TypingUser } from '../../../protocol/chat.js';
import { byDisplayName } from '../../../protocol/presence.js';
import { useEffect, useState } from 'preact/hooks';
import { initialsOf } from '../../lib/format.js';
import { useMoreOnline } from './more-online.js';
import { clock } from './time.js';
import { Button } from '../../lib/ui.js';
import './online-panel.css';

/**
 * Who is connected: online or idle, and what they focus on when they share it. The socket keeps
 * the first ONLINE_SHOWN people; the rest are loaded on request and kept up to date
 * (`useMoreOnline`).
 */
export function OnlinePanel({
  online,
  onlineCount,
  me,
  open,
  stale,
  onOpenProfile,
}: {
  online: OnlineUser[];
  onlineCount: number;
  me: Me;
  open: boolean;
  stale: boolean;
  onOpenProfile: (username: string) => void;
}) {
  const { more, loading, error: moreError, showMore } = useMoreOnline(online, onlineCount);
  const live = new Set(online.map((user) => user.id));
  const people = [...online, ...more.filter((user) => !live.has(user.id))].sort(byDisplayName);
  const left = onlineCount - people.length;
  // The time left of focus runs moves on by itself: redrawn every 30 s.
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const focusing = people.filter((user) => user.focusing !== null);
  const others = people.filter((user) => user.focusing === null);
  return (
    <aside
      id="online-panel"
      class={`online-panel glass-card${open ? ' is-open' : ''}${stale ? ' is-stale' : ''}`}
      aria-labelledby="online-heading"
    >
      <h2 id="online-heading" class="online-heading">
        Online <span class="online-count">{onlineCount}</span>
      </h2>
      {stale && <p class="online-stale">Last known, while reconnecting</p>}
      {people.length === 0 ? (
        <p class="muted online-empty">Nobody is connected right now.</p>
      ) : (
        <>
          {focusing.length > 0 && (
            <OnlineGroup title="Focusing" users={focusing} me={me} onOpenProfile={onOpenProfile} now={now} />
          )}
          {others.length > 0 && (
            <OnlineGroup
              title={focusing.length > 0 ? 'Around' : null}
              users={others}
              me={me}
              onOpenProfile={onOpenProfile}
              now={now}
            />
          )}
        </>
      )}
      {left > 0 && (
        <p class="online-more">
          <Button variant="secondary" size="small" disabled={loading} onClick={() => void showMore()}>
            and {left} more: show them
          </Button>
        </p>
      )}
      {moreError !== null && (
        <p class="muted" role="alert">
          {moreError}
        </p>
      )}
    </aside>
  );
}

/** "12 min left" of a run with a target; nothing for an open-ended one. */
function timeLeft(endsAt: string | null, now: number): string {
  if (endsAt === null) return '';
  const minutes = Math.ceil((Date.parse(endsAt) - now) / 60_000);
  return minutes > 0 ? ` · ${minutes} min left` : '';
}

/** One part of the online list: the people focusing (who share it), or everyone else. */
function OnlineGroup({
  title,
  users,
  me,
  now,
  onOpenProfile,
}: {
  title: string | null;
  users: OnlineUser[];
  me: Me;
  now: number;
  onOpenProfile: (username: string) => void;
}) {
  const id = title === null ? undefined : `online-group-${title.toLowerCase()}`;
  return (
    <>
      {title !== null && (
        <h3 id={id} class="online-group">
          {title} <span class="online-count">{users.length}</span>
        </h3>
      )}
      <ul class="online-list" aria-labelledby={id}>
        {users.map((user) => (
          <li key={user.id} class="online-user" data-user-id={user.id}>
            <span class="online-avatar" aria-hidden="true">
              {initialsOf(user.display_name)}
              <span class={`presence-dot presence-${user.status}`} />
            </span>
            <span class="online-text">
              <span class="online-name">
                {user.username ? (
                  <button type="button" class="link-button" onClick={() => onOpenProfile(user.username ?? '')}>
                    {user.display_name}
                  </button>
                ) : (
                  user.display_name
                )}
                {user.id === me.id && <span class="muted"> (you)</span>}
              </span>
              <span class={user.status === 'idle' ? 'online-status' : 'online-status visually-hidden'}>
                {user.status === 'idle' ? 'Idle' : 'Online'}
              </span>
              {user.focusing && (
                <span class="online-focus">
                  focusing since {clock(user.focusing.since)}
                  {user.focusing.label.trim() !== '' && ` · ${user.focusing.label}`}
                  {timeLeft(user.focusing.ends_at, now)}
                </span>
              )}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** "Ann is typing…", "Ann and Bob are typing…", "Several people are typing…". */
export function typingText(users: readonly TypingUser[]): string {
  const [first, second] = users;
  if (first === undefined) return '';
  if (second === undefined) return `${first.display_name} is typing…`;
  if (users.length === 2) return `${first.display_name} and ${second.display_name} are typing…`;
  return 'Several people are typing…';
}
