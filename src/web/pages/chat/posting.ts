import { useEffect, useState } from 'preact/hooks';
import type { PostingState } from '../../../protocol/moderation.js';
import type { Live } from '../../lib/live.js';

/** What the server lets this person do now, in epoch ms of the server's clock. */
export interface Posting {
  slowModeSeconds: number;
  exempt: boolean;
  timedOutUntil: number | null;
  nextPostAt: number | null;
}

const at = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

function fromState(state: PostingState): Posting {
  return {
    slowModeSeconds: state.slow_mode_seconds,
    exempt: state.slow_mode_exempt,
    timedOutUntil: at(state.timed_out_until),
    nextPostAt: at(state.next_post_at),
  };
}

/**
 * Slow mode and timeouts as the server enforces them: from `hello`, then from its pushes
 * (`chat.settings`, `timeout.changed`, `role.changed`), our own stored messages (`ack`) and its
 * refusals (`error` with `until`). The page never decides these; it only shows them.
 */
export function usePosting(live: Live): Posting {
  const [posting, setPosting] = useState<Posting>(() => {
    const hello = live.latest('hello');
    return hello
      ? fromState(hello.posting)
      : { slowModeSeconds: 0, exempt: true, timedOutUntil: null, nextPostAt: null };
  });
  useEffect(() => {
    // A hello may have come between the first render and these listeners.
    const hello = live.latest('hello');
    if (hello !== undefined) setPosting(fromState(hello.posting));
    const stops = [
      live.on('hello', ({ posting: state }) => setPosting(fromState(state))),
      live.on('chat.settings', ({ slow_mode_seconds: seconds }) =>
        setPosting((p) => ({ ...p, slowModeSeconds: seconds, nextPostAt: seconds === 0 ? null : p.nextPostAt })),
      ),
      live.on('timeout.changed', ({ timed_out_until: until }) =>
        setPosting((p) => ({ ...p, timedOutUntil: at(until) })),
      ),
      live.on('role.changed', ({ role }) => setPosting((p) => ({ ...p, exempt: role === 'admin' }))),
      live.on('ack', ({ message }) =>
        setPosting((p) =>
          p.exempt || p.slowModeSeconds === 0
            ? p
            : { ...p, nextPostAt: Date.parse(message.timestamp) + p.slowModeSeconds * 1000 },
        ),
      ),
      live.on('error', ({ code, until }) => {
        if (code === 'slow_mode') setPosting((p) => ({ ...p, nextPostAt: at(until) }));
        if (code === 'timed_out') setPosting((p) => ({ ...p, timedOutUntil: at(until) }));
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }, [live]);
  return posting;
}

/** Ticks every second while something counts down, so the numbers stay true. */
export function useCountdownNow(posting: Posting, serverNow: () => number): number {
  const [now, setNow] = useState(serverNow);
  const counting =
    (posting.nextPostAt !== null && posting.nextPostAt > now) ||
    (posting.timedOutUntil !== null && posting.timedOutUntil > now);
  useEffect(() => {
    if (!counting) return;
    const timer = setInterval(() => setNow(serverNow()), 1_000);
    return () => clearInterval(timer);
  }, [counting, serverNow]);
  return counting ? now : serverNow();
}
