import type { Migration } from 'kysely';
import * as users from './0001-users.js';
import * as chat from './0002-chat.js';
import * as timer from './0003-timer.js';
import * as activityIndexes from './0004-activity-indexes.js';
import * as totals from './0005-totals.js';
import * as legacyProvider from './0006-legacy-provider.js';
import * as userIdentities from './0016-user-identities.js';

/** Every migration in order. Names are sorted by Kysely's Migrator, so keep the numeric prefix. */
export const migrations: Record<string, Migration> = {
  '0001-users': users,
  '0002-chat': chat,
  '0003-timer': timer,
  '0004-activity-indexes': activityIndexes,
  '0005-totals': totals,
  '0006-legacy-provider': legacyProvider,
  '0016-user-identities': userIdentities,
};
