import type { AppContext } from '../context.js';
import { postServerMessage, shownName, takeOrRefuse } from '../chat/chat.service.js';
import { AppError } from '../http/errors.js';
import { assertMayChange, claimPostingSlot } from '../moderation/posting.service.js';
import { getProfile } from '../profile/profile.service.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'bus'>;

/** A label inside a check-in stays text: Markdown's punctuation is escaped, line breaks flattened. */
function shownLabel(label: string): string {
  return label.replace(/\s+/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|~<>]/g, (c) => `\\${c}`);
}

function minutes(ms: number): string {
  return ms < 60_000 ? 'under a minute' : `${Math.round(ms / 60_000)} min`;
}

/** "🎯 Ana is focusing on *label* for 50 min"; without a target the run is open-ended. */
export function focusingText(name: string, label: string, targetMs: number | null): string {
  const what = label === '' ? 'is focusing' : `is focusing on *${shownLabel(label)}*`;
  const length = targetMs === null ? ' (no set length)' : ` for ${minutes(targetMs)}`;
  return `🎯 ${name} ${what}${length}`;
}

/** "✅ Ana finished *label* — 52 min"; a ticked task has no duration. */
export function finishedText(name: string, label: string, durationMs: number | null): string {
  const what = label === '' ? 'finished a focus run' : `finished *${shownLabel(label)}*`;
  return `✅ ${name} ${what}${durationMs === null ? '' : ` — ${minutes(durationMs)}`}`;
}

async function nameOf(deps: Deps, userId: number): Promise<string> {
  const profile = await getProfile(deps, userId);
  return shownName(profile.display_name, profile.username);
}

/**
 * A check-in the person asked for counts against their message limits, slow mode and timeout
 * like a message: refused (429/403) before anything else happens.
 */
export async function claimCheckin(deps: Deps & Pick<AppContext, 'actionLimits'>, userId: number): Promise<void> {
  await takeOrRefuse(deps.actionLimits.messageSends, userId);
  await claimPostingSlot(deps, userId);
}

export async function postFocusing(deps: Deps, userId: number, label: string, targetMs: number | null): Promise<void> {
  await postServerMessage(deps, userId, focusingText(await nameOf(deps, userId), label, targetMs), 'checkin');
}

/**
 * The closing half of an announced run (or a ticked task). It rides on the check-in the start
 * claimed, so it takes no slot of its own; a person timed out since then gets none.
 */
export async function postFinished(
  deps: Deps,
  userId: number,
  label: string,
  durationMs: number | null,
): Promise<void> {
  try {
    await assertMayChange(deps, userId);
  } catch (error) {
    if (error instanceof AppError) return;
    throw error;
  }
  await postServerMessage(deps, userId, finishedText(await nameOf(deps, userId), label, durationMs), 'checkin');
}
