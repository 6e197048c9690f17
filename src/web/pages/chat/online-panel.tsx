import type { Me } from '../../../protocol/auth.js';
import type { OnlineUser, TypingUser } from '../../../protocol/chat.js';
import { byDisplayName, ONLINE_SHOWN, onlineCursor } from '../../../protocol/presence.js';
import { useState } from 'preact/hooks';
import { errorMessage } from '../../lib/api.js';
import { initialsOf } from '../../lib/format.js';
import { getOnline } from './chat-api.js';
import { clock } from './time.js';

/**
 * Who is connected: online or idle, and what they focus on when they share it. The socket keeps
 * the first ONLINE_SHOWN people; the rest are loaded a page at a time ("Show more").
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
  const [more, setMore] = useState<OnlineUser[]>([]);
  const [loading, setLoading] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const live = new Set(online.map((user) => user.id));
  const people = [...online, ...more.filter((user) => !live.has(user.id))].sort(byDisplayName);
  const left = onlineCount - people.length;
  const showMore = async () => {
    const last = people.at(-1);
    setLoading(true);
    try {
      const page = await getOnline(ONLINE_SHOWN, last === undefined ? undefined : onlineCursor(last));
      setMore([...more, ...page]);
      setMoreError(null);
    } catch (error) {
      setMoreError(errorMessage(error));
    } finally {
      setLoading(false);
    }
  };
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
        <ul class="online-list">
          {people.map((user) => (
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
                  </span>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      {left > 0 && (
        <p class="online-more">
          <button type="button" class="btn btn-secondary btn-small" disabled={loading} onClick={() => void showMore()}>
            and {left} more: show them
          </button>
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

/** "Ann is typing…", "Ann and Bob are typing…", "Several people are typing…". */
export function typingText(users: readonly TypingUser[]): string {
  const [first, second] = users;
  if (first === undefined) return '';
  if (second === undefined) return `${first.display_name} is typing…`;
  if (users.length === 2) return `${first.display_name} and ${second.display_name} are typing…`;
  return 'Several people are typing…';
}
