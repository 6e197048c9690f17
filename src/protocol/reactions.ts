import type { Reaction, ReactionCount } from './chat.js';

/** Distinct emoji one message may carry. */
export const MAX_EMOJI_PER_MESSAGE = 20;
/** Reactions one person may leave on one message. */
export const MAX_REACTIONS_PER_PERSON = 10;

// Built at run time: the `v` flag is newer than the compile target, not than Node 20 or the browsers.
const ONE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

/** One real emoji: a single grapheme that is an RGI emoji (👍, ❤️, 👩🏽‍💻, 🇩🇪), nothing else. */
export function isReactionEmoji(value: string): boolean {
  return ONE_EMOJI.test(value);
}

/** What a `reactions.updated` event says: the counts, and whose toggle caused them. */
export interface ReactionsUpdate {
  reactions: ReactionCount[];
  actor_id: number;
  emoji: string;
  added: boolean;
}

/**
 * A message's reactions after a `reactions.updated` event, as one viewer sees them. The event
 * carries counts only (one frame serves everyone); the viewer's own `me` flags come from what it
 * knew before, except for the emoji it toggled itself (from another tab, say).
 */
export function applyReactionsUpdate(
  before: readonly Reaction[],
  update: ReactionsUpdate,
  viewerId: number,
): Reaction[] {
  const mine = new Map(before.map((r) => [r.emoji, r.me]));
  if (update.actor_id === viewerId) mine.set(update.emoji, update.added);
  return update.reactions.map((r) => ({ emoji: r.emoji, count: r.count, me: mine.get(r.emoji) ?? false }));
}
