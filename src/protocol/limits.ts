import { Type, type Static } from '@sinclair/typebox';

/** The server's fixed limits, which the pages follow as they are (never retyped there). */
export const MESSAGE_MAX_LENGTH = 2000;
/** A timer or session label. */
export const LABEL_MAX_LENGTH = 80;
/** The longest interval a run may target. */
export const TARGET_MAX_MINUTES = 240;
/** A reply's quote of the message it answers: at most this many characters. */
export const EXCERPT_LENGTH = 100;

/** The quote of a message in a reply: whitespace folded, cut with "…" past EXCERPT_LENGTH. */
export function excerpt(content: string): string {
  const flat = content.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH - 1)}…` : flat;
}

/** The limits an operator configures, as the server holds them now (in `hello` and `/auth/me`). */
export const ServerLimitsSchema = Type.Object({
  /** CHAT_EDIT_WINDOW_MINUTES: a message can be edited this long after it was sent. */
  edit_window_minutes: Type.Integer(),
  /** MAX_RUN_HOURS: a run stops by itself after this long. */
  max_run_hours: Type.Integer(),
});
export type ServerLimits = Static<typeof ServerLimitsSchema>;
