/**
 * Who may post, edit or react, and when: pure rules with no clock (the caller passes `now`), like
 * the timer's state machine. The facts come from the database, so every instance decides the same.
 */
export interface PostingFacts {
  /** Admins are not held by slow mode. */
  isAdmin: boolean;
  timedOutUntil: number | null;
  /** When slow mode last let this person post. */
  lastPostAt: number | null;
  slowModeSeconds: number;
}

export type PostVerdict =
  | { kind: 'allowed'; /** This post starts the person's next slow-mode window. */ counts: boolean }
  | { kind: 'timed_out'; until: number }
  | { kind: 'slow_mode'; until: number };

export type ChangeVerdict = { kind: 'allowed' } | { kind: 'timed_out'; until: number };

/** The end of a timeout that still runs, or null. */
export function activeTimeout(facts: Pick<PostingFacts, 'timedOutUntil'>, now: number): number | null {
  return facts.timedOutUntil !== null && facts.timedOutUntil > now ? facts.timedOutUntil : null;
}

/** When slow mode lets this person post again, or null when they may post now. */
export function nextPostAt(facts: PostingFacts, now: number): number | null {
  if (facts.isAdmin || facts.slowModeSeconds === 0 || facts.lastPostAt === null) return null;
  const next = facts.lastPostAt + facts.slowModeSeconds * 1000;
  return next > now ? next : null;
}

export function mayPost(facts: PostingFacts, now: number): PostVerdict {
  const timedOut = activeTimeout(facts, now);
  if (timedOut !== null) return { kind: 'timed_out', until: timedOut };
  const next = nextPostAt(facts, now);
  if (next !== null) return { kind: 'slow_mode', until: next };
  return { kind: 'allowed', counts: !facts.isAdmin && facts.slowModeSeconds > 0 };
}

/** Editing and reacting: only a timeout stops them (slow mode is about new messages). */
export function mayChange(facts: Pick<PostingFacts, 'timedOutUntil'>, now: number): ChangeVerdict {
  const timedOut = activeTimeout(facts, now);
  return timedOut === null ? { kind: 'allowed' } : { kind: 'timed_out', until: timedOut };
}

/** The end of a timeout of `minutes` from now; 0 lifts it. */
export function timeoutEnd(now: number, minutes: number): number | null {
  return minutes === 0 ? null : now + minutes * 60_000;
}
