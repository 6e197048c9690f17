import type { Migration } from 'kysely';
import * as users from './0001-users.js';
import * as chat from './0002-chat.js';
import * as timer from './0003-timer.js';
import * as activityIndexes from './0004-activity-indexes.js';
import * as totals from './0005-totals.js';
import * as legacyProvider from './0006-legacy-provider.js';
import * as canonicalTimezones from './0007-canonical-timezones.js';
import * as shareFocusOff from './0008-share-focus-off.js';
import * as focusSessionsById from './0010-focus-sessions-by-id.js';
import * as focusDays from './0011-focus-days.js';
import * as legacyImport from './0013-legacy-import.js';
import * as passwordResets from './0014-password-resets.js';
import * as userIdentities from './0016-user-identities.js';
import * as auditLog from './0019-audit-log.js';
import * as reports from './0020-reports.js';
import * as slowModeTimeouts from './0021-slow-mode-timeouts.js';
import * as chatReadsMentions from './0022-chat-reads-mentions.js';
import * as chatSearch from './0023-chat-search.js';
import * as messageTypes from './0024-message-types.js';
import * as scheduledJobs from './0030-scheduled-jobs.js';
import * as sprints from './0031-sprints.js';
import * as focusTogether from './0035-focus-together.js';

/** Every migration in order. Names are sorted by Kysely's Migrator, so keep the numeric prefix. */
export const migrations: Record<string, Migration> = {
  '0001-users': users,
  '0002-chat': chat,
  '0003-timer': timer,
  '0004-activity-indexes': activityIndexes,
  '0005-totals': totals,
  '0006-legacy-provider': legacyProvider,
  '0007-canonical-timezones': canonicalTimezones,
  '0008-share-focus-off': shareFocusOff,
  '0010-focus-sessions-by-id': focusSessionsById,
  '0011-focus-days': focusDays,
  '0013-legacy-import': legacyImport,
  '0014-password-resets': passwordResets,
  '0016-user-identities': userIdentities,
  '0019-audit-log': auditLog,
  '0020-reports': reports,
  '0021-slow-mode-timeouts': slowModeTimeouts,
  '0022-chat-reads-mentions': chatReadsMentions,
  '0023-chat-search': chatSearch,
  '0024-message-types': messageTypes,
  '0030-scheduled-jobs': scheduledJobs,
  '0031-sprints': sprints,
  '0035-focus-together': focusTogether,
};
