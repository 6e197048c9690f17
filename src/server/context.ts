import type { TokenService } from './auth/tokens.js';
import type { Bus } from './bus/bus.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { AttemptLimiter } from './http/attempt-limiter.js';

/** Time as epoch milliseconds; tests pass a fake one. */
export interface Clock {
  now(): number;
  /** A fake clock says when it moves, so what waits for one of its times can look again (tests). */
  onChange?(listener: () => void): () => void;
}

export const systemClock: Clock = { now: () => Date.now() };

/** What services need, built once in the composition root (app.ts) and passed in. */
export interface AppContext {
  readonly config: Config;
  readonly db: Db;
  readonly clock: Clock;
  readonly bus: Bus;
  readonly tokens: TokenService;
  readonly loginLimits: {
    /** Failed logins per account and per address. */
    readonly perAccount: AttemptLimiter;
    readonly perAddress: AttemptLimiter;
    /** Every login attempt per address, failed or not: each costs a password hash. */
    readonly attemptsPerAddress: AttemptLimiter;
  };
  /**
   * Per user: timer changes (start, pause, reset), message edits, and messages sent (5 in 5 s and
   * 30 a minute, times RATE_LIMIT_FACTOR: chat messages and check-ins share them).
   */
  readonly actionLimits: {
    readonly timerChanges: AttemptLimiter;
    readonly messageEdits: AttemptLimiter;
    readonly messageSends: readonly AttemptLimiter[];
  };
}
