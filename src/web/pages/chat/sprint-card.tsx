import { Users } from 'lucide';
import { useEffect, useState } from 'preact/hooks';
import type { Sprint } from '../../../protocol/sprints.js';
import { errorMessage } from '../../lib/api.js';
import { formatClock } from '../../lib/format.js';
import { Icon } from '../../lib/icon.js';
import { formatCountdown, formatDuration } from '../../lib/timer-format.js';
import { Spinner } from '../../lib/ui.js';
import { useSprint, useSprints } from './sprints.js';
import './chat-dialog.css';
import './sprint-card.css';

/** Ticks once a second while `active`: the card's countdown. */
function useSecond(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function countdown(sprint: Sprint, serverNow: number): string {
  const startsAt = Date.parse(sprint.starts_at);
  const endsAt = Date.parse(sprint.ends_at);
  switch (sprint.state) {
    case 'scheduled':
      return `Starts in ${formatCountdown(startsAt - serverNow)}`;
    case 'running':
      return `Focus: ${formatCountdown(endsAt - serverNow)} left`;
    case 'break':
      return `Break: ${formatCountdown(endsAt + sprint.break_ms - serverNow)} left`;
    case 'ended':
      return 'Ended';
    case 'cancelled':
      return 'Cancelled';
  }
}

/** A group sprint's card in the chat: countdown on the server's clock, who is in, Join or Leave. */
export function SprintCard({ messageId, myUsername }: { messageId: number; myUsername: string | null }) {
  const sprints = useSprints();
  const shown = useSprint(messageId);
  const open = shown !== undefined && ['scheduled', 'running', 'break'].includes(shown.sprint.state);
  const now = useSecond(open);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (shown === undefined) {
    return (
      <p class="sprint-card muted">
        <Spinner /> Loading the sprint…
      </p>
    );
  }
  const { sprint, offset } = shown;
  const inIt = myUsername !== null && sprint.participants.some((p) => p.username === myUsername);
  const joinable = sprint.state === 'scheduled' || sprint.state === 'running';
  const act = async (action: (id: number) => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action(sprint.id);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const titleId = `sprint-${sprint.id}-title`;
  return (
    <section class={`sprint-card is-${sprint.state}`} aria-labelledby={titleId} data-testid="sprint-card">
      <h3 id={titleId} class="sprint-title">
        Group sprint: {sprint.label}
      </h3>
      <p class="sprint-countdown" role="timer" data-testid="sprint-countdown">
        {countdown(sprint, now + offset)}
      </p>
      <p class="sprint-plan muted">
        {formatDuration(sprint.focus_ms)} of focus, {formatClock(sprint.starts_at)}–{formatClock(sprint.ends_at)}
        {sprint.break_ms > 0 ? `, then a ${formatDuration(sprint.break_ms)} break` : ''}
      </p>
      <p class="sprint-people" data-testid="sprint-people">
        <Icon icon={Users} size={16} />
        <span>
          {sprint.participants.length === 0
            ? 'Nobody is in yet'
            : `In: ${sprint.participants.map((p) => p.display_name).join(', ')}`}
        </span>
      </p>
      {(sprint.state === 'break' || sprint.state === 'ended') && (
        <p class="sprint-total" data-testid="sprint-total">
          Together: {formatDuration(sprint.total_focus_ms)} of focus
        </p>
      )}
      {joinable && (
        <div class="button-row sprint-actions">
          {inIt ? (
            <button
              type="button"
              class="btn btn-secondary btn-small"
              disabled={busy}
              onClick={() => void act(sprints.leave)}
            >
              {busy && <Spinner />}
              <span>Leave sprint</span>
            </button>
          ) : (
            <button
              type="button"
              class="btn btn-primary btn-small"
              disabled={busy}
              onClick={() => void act(sprints.join)}
            >
              {busy && <Spinner />}
              <span>Join sprint</span>
            </button>
          )}
        </div>
      )}
      <p class="edit-error" role="alert">
        {error}
      </p>
    </section>
  );
}
