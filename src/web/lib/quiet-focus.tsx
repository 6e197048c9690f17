import { useEffect, useState } from 'preact/hooks';
import type { MentionList } from '../../protocol/chat-read.js';
import type { Message } from '../../protocol/chat.js';
import { sessionApi } from './api.js';
import { getProfile } from './endpoints.js';
import { useTimer, useTimerChange } from './timer-hooks.js';
import './quiet-focus.css';

/** Whether this person holds mention alerts while their timer runs (profile `quiet_while_focusing`). */
export function useQuietWhileFocusing(): boolean {
  const [quiet, setQuiet] = useState(false);
  useEffect(() => {
    getProfile().then(
      (profile) => setQuiet(profile.quiet_while_focusing),
      () => undefined,
    );
  }, []);
  return quiet;
}

/** True while mention alerts wait: the person asked for quiet and their timer runs. */
export function useHoldingMentions(): boolean {
  const quiet = useQuietWhileFocusing();
  const { timer } = useTimer();
  return quiet && timer?.state === 'running';
}

/**
 * After a quiet run ends: "3 mentions while you focused", each a link to the message. Read from
 * `GET /api/chat/mentions` (the latest 50), those sent since the run started.
 */
export function QuietFocusSummary() {
  const quiet = useQuietWhileFocusing();
  const [held, setHeld] = useState<Message[]>([]);
  useTimerChange((previous, next) => {
    if (!quiet || previous?.state !== 'running' || next.state === 'running' || previous.run_started_at === null) return;
    const since = Date.parse(previous.run_started_at);
    sessionApi.get<MentionList>('/api/chat/mentions?limit=50').then(
      (list) => setHeld(list.mentions.map((m) => m.message).filter((m) => Date.parse(m.timestamp) >= since)),
      () => undefined,
    );
  });
  if (held.length === 0) return null;
  return (
    <section class="quiet-summary glass-card" aria-labelledby="quiet-summary-heading">
      <h2 id="quiet-summary-heading" class="quiet-summary-title">
        {held.length === 1 ? '1 mention' : `${held.length} mentions`} while you focused
      </h2>
      <ul>
        {held.map((message) => (
          <li key={message.id}>
            <a href={`/chat?m=${message.id}`}>
              {message.sender_name}: {message.content.slice(0, 80)}
            </a>
          </li>
        ))}
      </ul>
      <button type="button" class="btn btn-secondary btn-small" onClick={() => setHeld([])}>
        Dismiss
      </button>
    </section>
  );
}
