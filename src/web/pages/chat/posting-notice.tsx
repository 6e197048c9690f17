import { Clock3, Hourglass } from 'lucide';
import { Icon } from '../../lib/icon.js';
import type { Posting } from './posting.js';
import { clock } from './time.js';
import './posting-notice.css';

/** Why the composer is held, by the composer: a timeout, or slow mode's countdown. */
export function PostingNotice({ posting, now }: { posting: Posting; now: number }) {
  const timedOut = posting.timedOutUntil !== null && posting.timedOutUntil > now ? posting.timedOutUntil : null;
  if (timedOut !== null) {
    return (
      <p class="posting-notice posting-notice-blocked" role="status" data-testid="posting-notice">
        <Icon icon={Hourglass} size={16} />
        <span>
          An admin timed you out until {clock(new Date(timedOut).toISOString())}: you can read, but not post, edit or
          react until then.
        </span>
      </p>
    );
  }
  if (posting.slowModeSeconds === 0) return null;
  const wait = posting.nextPostAt === null ? 0 : Math.ceil((posting.nextPostAt - now) / 1000);
  return (
    <p class="posting-notice" role="status" data-testid="posting-notice">
      <Icon icon={Clock3} size={16} />
      <span>
        Slow mode: one message every {posting.slowModeSeconds} s{posting.exempt ? ' (admins are exempt)' : ''}.
        {!posting.exempt && wait > 0 && <strong> You can post again in {wait} s.</strong>}
      </span>
    </p>
  );
}

/** True while the composer may not send. */
export function postingHeld(posting: Posting, now: number): boolean {
  if (posting.timedOutUntil !== null && posting.timedOutUntil > now) return true;
  return !posting.exempt && posting.nextPostAt !== null && posting.nextPostAt > now;
}
