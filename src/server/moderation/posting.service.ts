import { emit } from '../realtime/emit.js';
import type { ChatSettings, PostingState } from '../../protocol/moderation.js';
import type { AppContext } from '../context.js';
import { invalidCredentials, refusedUntil } from '../http/errors.js';
import { recordAudit, type Actor } from './audit.service.js';
import * as repo from './posting.repository.js';
import { mayChange, mayPost, nextPostAt, activeTimeout, type PostingFacts } from './posting.rules.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

/** A lost race for the slow-mode window is read again; the second read sees the winner. */
const CLAIM_ATTEMPTS = 3;

async function factsOf(deps: Deps, userId: number): Promise<PostingFacts> {
  const row = await repo.findPostingFacts(deps.db, userId);
  if (row === undefined) throw invalidCredentials();
  return {
    isAdmin: row.role === 'admin',
    timedOutUntil: row.timed_out_until,
    lastPostAt: row.last_post_at,
    slowModeSeconds: Number(row.slow_mode_seconds ?? 0),
  };
}

/**
 * Throws `timed_out` (403) or `slow_mode` (429) when this person may not post now; otherwise, under
 * slow mode, takes their window, so a second message from another tab or instance is refused.
 */
export async function claimPostingSlot(deps: Deps, userId: number): Promise<void> {
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    const facts = await factsOf(deps, userId);
    const verdict = mayPost(facts, now);
    if (verdict.kind !== 'allowed') throw refusedUntil(verdict.kind, verdict.until, now);
    if (!verdict.counts || (await repo.claimPost(deps.db, userId, facts.lastPostAt, now))) return;
  }
  const now = deps.clock.now();
  throw refusedUntil('slow_mode', now + 1000, now);
}

/** Throws `timed_out` (403) while this person is timed out: for editing and reacting. */
export async function assertMayChange(deps: Deps, userId: number): Promise<void> {
  const now = deps.clock.now();
  const verdict = mayChange(await factsOf(deps, userId), now);
  if (verdict.kind === 'timed_out') throw refusedUntil('timed_out', verdict.until, now);
}

/** What the chat page shows by the composer: slow mode, and this person's own limits now. */
export async function postingState(deps: Deps, userId: number): Promise<PostingState> {
  const now = deps.clock.now();
  const facts = await factsOf(deps, userId);
  const timedOut = activeTimeout(facts, now);
  const next = nextPostAt(facts, now);
  return {
    slow_mode_seconds: facts.slowModeSeconds,
    timed_out_until: timedOut === null ? null : new Date(timedOut).toISOString(),
    next_post_at: next === null ? null : new Date(next).toISOString(),
    slow_mode_exempt: facts.isAdmin,
  };
}

export async function getChatSettings(deps: Deps): Promise<ChatSettings> {
  return { slow_mode_seconds: await repo.readSlowMode(deps.db) };
}

/** Sets slow mode (0 = off), kept in the database (every instance, every restart), and tells every page. */
export async function setChatSettings(
  deps: Deps & Pick<AppContext, 'bus'>,
  actor: Actor,
  settings: ChatSettings,
): Promise<ChatSettings> {
  const now = deps.clock.now();
  const seconds = await deps.db.transaction().execute(async (trx) => {
    const before = await repo.readSlowMode(trx);
    const after = await repo.writeSlowMode(trx, settings.slow_mode_seconds, now);
    const details = { slow_mode_seconds: { from: before, to: after } };
    await recordAudit(trx, { actor, action: 'slow_mode.changed', details }, now);
    return after;
  });
  emit(deps, { kind: 'all' }, { type: 'chat.settings', slow_mode_seconds: seconds });
  return { slow_mode_seconds: seconds };
}
