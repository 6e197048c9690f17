import type { CreateSprintBody, Sprint, SprintListQuery } from '../../protocol/sprints.js';
import { SPRINT_LIST_LIMIT, SPRINT_MAX_LEAD_MS, SPRINT_MAX_PARTICIPANTS } from '../../protocol/sprints.js';
import type { SessionUser } from '../auth/auth.service.js';
import { postServerMessage, shownName } from '../chat/chat.service.js';
import type { AppContext } from '../context.js';
import { emit } from '../realtime/emit.js';
import { isUniqueViolation } from '../db/errors.js';
import type { SprintRow } from '../db/schema.js';
import type { AttemptLimiter } from '../http/attempt-limiter.js';
import { forbidden, httpError, notFound, tooManyRequests, validationFailed } from '../http/errors.js';
import { assertMayChange } from '../moderation/posting.service.js';
import { announceDue, type Scheduler } from '../scheduler/scheduler.js';
import { endRunUntil, getTimer, startRunUntil } from '../timer/timer.service.js';
import * as repo from './sprints.repository.js';

export interface SprintDeps extends Pick<AppContext, 'db' | 'clock' | 'bus' | 'config'> {
  /** Per user: sprints created (5 an hour) and joins or leaves (20 a minute), times RATE_LIMIT_FACTOR. */
  createLimit: AttemptLimiter;
  joinLimit: AttemptLimiter;
}

const MINUTE = 60_000;
const QUARTER_HOUR = 15 * MINUTE;

const closed = (detail: string) => httpError('sprint_closed', detail);
const badStart = (detail: string) => validationFailed('starts', detail, 'range');

async function take(limit: AttemptLimiter, userId: number): Promise<void> {
  const wait = await limit.take(String(userId));
  if (wait > 0) throw tooManyRequests(wait);
}

function startTime(starts: CreateSprintBody['starts'], now: number): number {
  if (starts === 'now') return now;
  if (starts === 'next_quarter_hour') return Math.ceil(now / QUARTER_HOUR) * QUARTER_HOUR;
  const at = Date.parse(starts);
  if (at < now - MINUTE) throw badStart('The start is in the past');
  if (at > now + SPRINT_MAX_LEAD_MS) throw badStart('A sprint starts within 24 hours');
  return Math.max(at, now);
}

/** Stores the sprint with its creator in it, posts its card in the chat and tells everyone. */
export async function createSprint(deps: SprintDeps, creator: SessionUser, body: CreateSprintBody): Promise<Sprint> {
  await take(deps.createLimit, creator.id);
  // Its card is a post: someone timed out cannot make one (slow mode is the create limit's job).
  await assertMayChange(deps, creator.id);
  const now = deps.clock.now();
  const startsAt = startTime(body.starts, now);
  let id: number;
  try {
    id = await repo.insertSprint(deps.db, {
      creator_id: creator.id,
      label: body.label.trim(),
      focus_ms: body.focus_minutes * MINUTE,
      break_ms: body.break_minutes * MINUTE,
      starts_at: startsAt,
      created_at: now,
    });
  } catch (error) {
    if (isUniqueViolation(error, 'sprints.open_per_creator')) {
      throw httpError('sprint_open', 'You already have an open sprint: cancel it or let it end first');
    }
    throw error;
  }
  // One sprint at a time: the creator leaves any other they were in.
  const other = await repo.openSprintOf(deps.db, creator.id, id);
  if (other !== undefined) await leaveSprintRow(deps, other, creator.id);
  await postServerMessage(deps, creator.id, `Group sprint: ${body.label.trim()}`, 'sprint', (trx, messageId) =>
    repo.setMessage(trx, id, messageId),
  );
  if (startsAt <= now) {
    await advanceSprint(deps, id);
  } else {
    announceDue(deps.bus, startsAt);
    await publish(deps, id);
  }
  return getSprint(deps, id);
}

export async function getSprint(deps: SprintDeps, id: number): Promise<Sprint> {
  const row = await repo.findSprint(deps.db, id);
  if (row === undefined) throw notFound('Sprint');
  const [sprint] = await toSprints(deps, [row]);
  if (sprint === undefined) throw notFound('Sprint');
  return sprint;
}

export async function listSprints(deps: SprintDeps, query: SprintListQuery): Promise<Sprint[]> {
  if (query.message_id !== undefined) {
    const row = await repo.findByMessage(deps.db, query.message_id);
    return toSprints(deps, row === undefined ? [] : [row]);
  }
  return toSprints(deps, await repo.listOpen(deps.db, SPRINT_LIST_LIMIT));
}

/**
 * Puts the user in the sprint (leaving any other open one, whose run ends); in a running sprint
 * their timer starts at once with its label, ending where the sprint's focus ends.
 */
export async function joinSprint(deps: SprintDeps, user: SessionUser, id: number): Promise<Sprint> {
  await take(deps.joinLimit, user.id);
  const sprint = await repo.findSprint(deps.db, id);
  if (sprint === undefined) throw notFound('Sprint');
  if (sprint.state !== 'scheduled' && sprint.state !== 'running') throw closed('This sprint is over');
  if (await repo.isActiveParticipant(deps.db, id, user.id)) return getSprint(deps, id);
  if ((await repo.countActive(deps.db, id)) >= SPRINT_MAX_PARTICIPANTS) {
    throw httpError('sprint_full', `A sprint holds at most ${SPRINT_MAX_PARTICIPANTS} people`);
  }
  const other = await repo.openSprintOf(deps.db, user.id, id);
  if (other !== undefined) await leaveSprintRow(deps, other, user.id);
  await repo.join(deps.db, id, user.id, deps.clock.now());
  const endsAt = focusEnd(sprint);
  if (sprint.state === 'running' && deps.clock.now() < endsAt) {
    await startRunUntil(deps, user.id, sprint.label, endsAt);
  }
  return publish(deps, id);
}

/** Takes the user out; in a running sprint their run ends here and is recorded as usual. */
export async function leaveSprint(deps: SprintDeps, user: SessionUser, id: number): Promise<Sprint> {
  await take(deps.joinLimit, user.id);
  const sprint = await repo.findSprint(deps.db, id);
  if (sprint === undefined) throw notFound('Sprint');
  if (!(await repo.isActiveParticipant(deps.db, id, user.id))) throw notFound('Your place in this sprint');
  if (sprint.state !== 'scheduled' && sprint.state !== 'running') throw closed('This sprint is over');
  await leaveSprintRow(deps, sprint, user.id);
  return publish(deps, id);
}

async function leaveSprintRow(deps: SprintDeps, sprint: SprintRow, userId: number): Promise<void> {
  const started = sprint.state !== 'scheduled';
  await repo.leave(deps.db, sprint.id, userId, deps.clock.now(), started);
  if (sprint.state === 'running') await endRunUntil(deps, userId, focusEnd(sprint));
  if (sprint.state === 'scheduled' || sprint.state === 'running') await publish(deps, sprint.id);
}

/** The creator calls it off before it starts (nobody's timer runs for it yet). */
export async function cancelSprint(deps: SprintDeps, user: SessionUser, id: number): Promise<void> {
  const sprint = await repo.findSprint(deps.db, id);
  if (sprint === undefined) throw notFound('Sprint');
  if (sprint.creator_id !== user.id) throw forbidden('Only the person who started this sprint can cancel it');
  if (!(await repo.transition(deps.db, id, 'scheduled', 'cancelled', null))) {
    throw closed('This sprint has started: it can no longer be cancelled');
  }
  await publish(deps, id);
}

const focusEnd = (sprint: SprintRow) => sprint.starts_at + sprint.focus_ms;
const breakEnd = (sprint: SprintRow) => focusEnd(sprint) + sprint.break_ms;

/**
 * Moves the sprint through every state whose time has come (the scheduler's job, also run at
 * once for a sprint that starts now). Each step is claimed by one conditional update, so only the
 * instance that made it starts timers and tells everyone.
 */
export async function advanceSprint(deps: SprintDeps, id: number): Promise<void> {
  for (;;) {
    const sprint = await repo.findSprint(deps.db, id);
    if (sprint === undefined || !(await step(deps, sprint))) return;
    await publish(deps, id);
  }
}

async function step(deps: SprintDeps, sprint: SprintRow): Promise<boolean> {
  const now = deps.clock.now();
  if (sprint.state === 'scheduled' && now >= sprint.starts_at) {
    // Timers first, the claim after: starting a running timer changes nothing, so an instance that
    // stops in between leaves the next one to finish the step, and a sprint is never seen running
    // while its people's timers are not. A sprint whose whole focus passed meanwhile starts nobody's.
    if (now < focusEnd(sprint)) {
      for (const p of await repo.activeParticipants(deps.db, [sprint.id])) {
        await startRunUntil(deps, p.user_id, sprint.label, focusEnd(sprint));
      }
    }
    if (!(await repo.transition(deps.db, sprint.id, 'scheduled', 'running', focusEnd(sprint)))) return false;
    announceDue(deps.bus, focusEnd(sprint));
    return true;
  }
  if (sprint.state === 'running' && now >= focusEnd(sprint)) {
    const everyone = await repo.everyParticipantId(deps.db, sprint.id);
    // Their runs end at this instant by their target: recorded now, so the total counts them.
    for (const userId of everyone) await getTimer(deps, userId);
    const total = await repo.focusInside(deps.db, everyone, sprint.starts_at, focusEnd(sprint));
    const next = sprint.break_ms > 0 ? 'break' : 'ended';
    const due = next === 'break' ? breakEnd(sprint) : null;
    if (!(await repo.transition(deps.db, sprint.id, 'running', next, due, total))) return false;
    if (due !== null) announceDue(deps.bus, due);
    return true;
  }
  if (sprint.state === 'break' && now >= breakEnd(sprint)) {
    return repo.transition(deps.db, sprint.id, 'break', 'ended', null);
  }
  return false;
}

export function registerSprintJobs(scheduler: Scheduler, deps: SprintDeps): void {
  scheduler.register(repo.SPRINT_JOB, (id) => advanceSprint(deps, id));
}

/** Tells every socket the sprint's current state; returns it. */
async function publish(deps: SprintDeps, id: number): Promise<Sprint> {
  const sprint = await getSprint(deps, id);
  emit(deps, { kind: 'all' }, { type: 'sprint.updated', sprint });
  return sprint;
}

async function toSprints(deps: SprintDeps, rows: readonly SprintRow[]): Promise<Sprint[]> {
  const ids = rows.map((r) => r.id);
  const people = await repo.activeParticipants(deps.db, ids);
  const creators = await repo.people(
    deps.db,
    rows.map((r) => r.creator_id),
  );
  const serverTime = new Date(deps.clock.now()).toISOString();
  return rows.map((row) => {
    const creator = creators.get(row.creator_id);
    return {
      id: row.id,
      creator: {
        id: row.creator_id,
        username: creator?.username ?? null,
        display_name: shownName(creator?.display_name ?? null, creator?.username ?? null),
      },
      label: row.label,
      focus_ms: row.focus_ms,
      break_ms: row.break_ms,
      starts_at: new Date(row.starts_at).toISOString(),
      ends_at: new Date(focusEnd(row)).toISOString(),
      state: row.state,
      participants: people
        .filter((p) => p.sprint_id === row.id)
        .map((p) => ({
          id: p.user_id,
          username: p.username,
          display_name: shownName(p.display_name, p.username),
          joined_at: new Date(p.joined_at).toISOString(),
        })),
      total_focus_ms: row.total_focus_ms,
      message_id: row.message_id,
      server_time: serverTime,
    };
  });
}
