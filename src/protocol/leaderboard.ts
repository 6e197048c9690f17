import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './schema.js';

/** How many people the weekly leaderboard lists (the caller's own line comes besides, as `me`). */
export const LEADERBOARD_SIZE = 20;

/**
 * A page reads the leaderboard again at most this often after `leaderboard.changed` (each run
 * that ends is one change; with many people at once, the board would otherwise be read for
 * every one of them), and spreads its reads over `LEADERBOARD_REFRESH_SPREAD_MS` so that open
 * dashboards do not all ask in the same second.
 */
export const LEADERBOARD_REFRESH_MS = 30_000;
export const LEADERBOARD_REFRESH_SPREAD_MS = 5_000;

export const LeaderboardQuerySchema = Type.Object(
  { week: Type.Optional(Type.Union([Type.Literal('current'), Type.Literal('previous')])) },
  { additionalProperties: false },
);
export type LeaderboardQuery = Static<typeof LeaderboardQuerySchema>;

const entryFields = {
  user: Type.Object({ id: Type.Integer(), username: Nullable(Type.String()), display_name: Type.String() }),
  focus_seconds: Type.Integer(),
  /** Consecutive local days with focus up to today (or yesterday). */
  streak_days: Type.Integer(),
};

export const LeaderboardEntrySchema = Type.Object({
  /** 1, 2, 3…: equal focus is ranked by who joined first, so no two people share a rank. */
  rank: Type.Integer(),
  ...entryFields,
});
export type LeaderboardEntry = Static<typeof LeaderboardEntrySchema>;

export const LeaderboardSchema = Type.Object({
  /** `YYYY-MM-DD`: the Monday the week began on in the caller's time zone (each person's own week counts for them). */
  week_start: Type.String(),
  entries: Type.Array(LeaderboardEntrySchema),
  /** The caller's line; `rank` null while they have no focus that week; `null` itself when they have not opted in. */
  me: Type.Union([Type.Object({ rank: Nullable(Type.Integer()), ...entryFields }), Type.Null()]),
});
export type Leaderboard = Static<typeof LeaderboardSchema>;
