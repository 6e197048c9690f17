import { Globe } from 'lucide';
import type { Me } from '../../../protocol/auth.js';
import { formatDate, nameOf } from '../../lib/format.js';
import { Icon } from '../../lib/icon.js';
import { Avatar } from '../../lib/shell.js';
import './profile-summary.css';

/** Who is signed in, their time zone (which decides "today") and a way to edit the profile. */
export function ProfileSummary({ me }: { me: Me }) {
  const name = nameOf(me);
  return (
    <section class="glass-card profile-summary" aria-labelledby="profile-heading">
      <Avatar url={me.avatar_url} name={name} large />
      <div class="profile-summary-text">
        <h2 id="profile-heading" class="profile-summary-name">
          {name}
        </h2>
        {me.username && <p class="muted">@{me.username}</p>}
        <ul class="meta-list">
          <li>
            <Icon icon={Globe} size={16} />
            <span>{me.timezone}</span>
          </li>
          <li>Member since {formatDate(me.created_at)}</li>
        </ul>
      </div>
      <a class="btn btn-secondary" href="/settings">
        Edit profile
      </a>
    </section>
  );
}
