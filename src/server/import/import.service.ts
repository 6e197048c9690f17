import { usernameStem } from '../auth/auth.service.js';
import type { Db } from '../db/database.js';
import type { LegacyMessageStagingTable, NewUserRow } from '../db/schema.js';
import { DocumentSyntaxError, splitDocuments } from './document-stream.js';
import { decodeExtendedJson, ExtendedJsonError } from './extended-json.js';
import { mapMessage, mapUser, MappingError, type LegacyUser } from './legacy-mapping.js';
import * as repo from './import.repository.js';
import { emptyReport, listed, type ImportReport } from './import-report.js';

/** One mongoexport file: a name for messages and a way to read it (again) as chunks. */
export interface ImportSource {
  name: string;
  size: number;
  read(): AsyncIterable<string | Buffer>;
}

export interface ImportProgress {
  phase: 'users' | 'messages' | 'writing';
  documents: number;
  bytesRead: number;
  totalBytes: number;
}

export interface ImportOptions {
  dryRun: boolean;
  now: number;
  onProgress?(progress: ImportProgress): void;
}

/** The input is not what mongoexport writes: one line naming the file and line, nothing written. */
export class ImportInputError extends Error {
  constructor(file: string, line: number, detail: string) {
    super(`${file} line ${line}: ${detail}`);
  }
}

// Rows per statement: few round trips, and far below SQLite's 32,766 bound variables.
const USER_BATCH = 500;
const STAGING_BATCH = 1000;
const UNKNOWN_SENDERS_LISTED = 20;

class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

/**
 * Brings the Python version's users and messages in, in one transaction: a failure or bad input
 * anywhere leaves the database as it was, and a second run adds nothing.
 */
export async function importLegacyData(
  db: Db,
  sources: { users: ImportSource; messages: ImportSource },
  options: ImportOptions,
): Promise<ImportReport> {
  try {
    return await db.transaction().execute(async (trx) => {
      const report = emptyReport(options.dryRun);
      let batch: LegacyUser[] = [];
      for await (const { value, line } of documents(sources.users, 'users', options)) {
        try {
          batch.push(mapUser(value, options.now));
        } catch (error) {
          throw asInputError(error, sources.users.name, line);
        }
        if (batch.length >= USER_BATCH) {
          await importUsers(trx, batch, report);
          batch = [];
        }
      }
      await importUsers(trx, batch, report);
      await stageAllMessages(trx, sources.messages, options, report);
      options.onProgress?.({ phase: 'writing', documents: report.messages.read, bytesRead: 0, totalBytes: 0 });
      const staged = await repo.resolveStaged(trx, UNKNOWN_SENDERS_LISTED);
      const written = await repo.writeStagedMessages(trx);
      report.messages.alreadyThere += staged.alreadyImported;
      report.messages.unknownSenders = staged.unknownSenders;
      report.messages.unknownSenderMessages = staged.unknownSenderMessages;
      report.messages.imported = written.written;
      report.messages.replies = written.replies;
      if (options.dryRun) throw new DryRunRollback(report);
      return report;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    throw error;
  }
}

async function* documents(source: ImportSource, phase: 'users' | 'messages', options: ImportOptions) {
  let bytesRead = 0;
  const counted = async function* () {
    for await (const chunk of source.read()) {
      bytesRead += chunk.length;
      yield chunk;
    }
  };
  try {
    for await (const raw of splitDocuments(counted())) {
      let value;
      try {
        value = decodeExtendedJson(JSON.parse(raw.text));
      } catch (error) {
        if (error instanceof SyntaxError) throw new ImportInputError(source.name, raw.line, 'not valid JSON');
        throw asInputError(error, source.name, raw.line);
      }
      options.onProgress?.({ phase, documents: raw.index, bytesRead, totalBytes: source.size });
      yield { value, line: raw.line };
    }
  } catch (error) {
    if (error instanceof DocumentSyntaxError) throw new ImportInputError(source.name, error.line, error.message);
    throw error;
  }
}

function asInputError(error: unknown, file: string, line: number): unknown {
  return error instanceof MappingError || error instanceof ExtendedJsonError
    ? new ImportInputError(file, line, error.message)
    : error;
}

/** A user this batch inserts, and every legacy id (case-variant emails) that maps to it. */
interface PendingUser {
  row: NewUserRow & { email: string; username: string };
  legacyIds: string[];
}

/**
 * One batch of users, in file order, as if one by one: a few queries find what the database has
 * already, the decisions are made in memory (also against the batch's own earlier users), then one
 * insert writes the new users and one their legacy ids.
 */
async function importUsers(db: Db, batch: readonly LegacyUser[], report: ImportReport): Promise<void> {
  if (batch.length === 0) return;
  const users = report.users;
  const known = await repo.importedLegacyIds(
    db,
    'user',
    batch.map((user) => user.legacyId),
  );
  const existingByEmail = await repo.findUsersByEmail(db, [...new Set(batch.map((user) => user.email))]);
  const importedExisting = await repo.importedNewIds(
    db,
    'user',
    [...existingByEmail.values()].map((row) => row.id),
  );
  const taken = await repo.usernamesInUse(db, [
    ...new Set(batch.flatMap((user) => (user.username === null ? [] : [user.username.toLowerCase()]))),
  ]);
  const pending = new Map<string, PendingUser>();
  const mappedToExisting: { legacyId: string; newId: number }[] = [];
  for (const user of batch) {
    users.read++;
    if (known.has(user.legacyId)) {
      users.alreadyThere++;
      continue;
    }
    known.add(user.legacyId);
    const fields = {
      password_hash: user.passwordHash,
      display_name: user.displayName,
      age: user.age,
      bio: user.bio,
      avatar_url: user.avatarUrl,
      profile_complete: user.profileComplete ? 1 : 0,
      role: user.role,
      disabled: user.disabled ? 1 : 0,
      created_at: user.createdAt,
      updated_at: user.updatedAt,
      legacy_provider: user.provider,
    };
    if (user.cleared.length > 0) listed(users.cleared, { email: user.email, fields: user.cleared });
    // Emails differed only by case there (or the person registered here already): one account,
    // the older one's data, and every message of both.
    const earlier = pending.get(user.email);
    if (earlier !== undefined) {
      if (user.createdAt < earlier.row.created_at) Object.assign(earlier.row, fields);
      earlier.legacyIds.push(user.legacyId);
      listed(users.merged, { email: user.email, reason: CASE_VARIANT });
      continue;
    }
    const existing = existingByEmail.get(user.email);
    if (existing !== undefined) {
      const imported = importedExisting.has(existing.id);
      if (imported && user.createdAt < existing.created_at) {
        await repo.updateUser(db, existing.id, fields);
        existing.created_at = user.createdAt;
      }
      mappedToExisting.push({ legacyId: user.legacyId, newId: existing.id });
      listed(users.merged, {
        email: user.email,
        reason: imported ? CASE_VARIANT : 'an account with this email exists here already: kept it',
      });
      continue;
    }
    const username = await freeUsername(db, user, taken, report);
    taken.add(username.toLowerCase());
    pending.set(user.email, { row: { ...fields, email: user.email, username }, legacyIds: [user.legacyId] });
    users.imported++;
    if (user.passwordHash === null) users.withoutPassword++;
  }
  const ids = await repo.insertUsers(
    db,
    [...pending.values()].map((p) => p.row),
  );
  const mappings = [...pending.values()].flatMap((p) => {
    const newId = ids.get(p.row.email);
    if (newId === undefined) throw new Error(`the database returned no id for ${p.row.email}`);
    return p.legacyIds.map((legacyId) => ({ legacyId, newId }));
  });
  await repo.recordLegacyIds(db, 'user', [...mappings, ...mappedToExisting]);
}

const CASE_VARIANT = 'two accounts whose emails differ only in case: the older one is kept';

/**
 * The user's own username when it meets the rules and is free, else a generated one (reported).
 * `taken` holds, lower-cased, the batch's usernames found in the database and every name the
 * batch has given out so far.
 */
async function freeUsername(
  db: Db,
  user: LegacyUser,
  taken: ReadonlySet<string>,
  report: ImportReport,
): Promise<string> {
  if (user.username !== null && !taken.has(user.username.toLowerCase())) return user.username;
  const inUse = async (name: string) => taken.has(name.toLowerCase()) || (await repo.usernameInUse(db, name));
  const stem = usernameStem(user.email);
  let candidate = stem;
  for (let n = 2; await inUse(candidate); n++) {
    candidate = n < 10 ? `${stem}${n}` : `${stem}${Math.floor(10_000 + Math.random() * 90_000)}`;
  }
  const reason =
    user.usernameProblem ??
    (user.username === null ? 'had no username' : `"${user.username}" is taken (ignoring case)`);
  listed(report.users.renamed, { email: user.email, username: candidate, reason });
  return candidate;
}

async function stageAllMessages(
  db: Db,
  source: ImportSource,
  options: ImportOptions,
  report: ImportReport,
): Promise<void> {
  let batch: LegacyMessageStagingTable[] = [];
  for await (const { value, line } of documents(source, 'messages', options)) {
    report.messages.read++;
    let message;
    try {
      message = mapMessage(value);
    } catch (error) {
      throw asInputError(error, source.name, line);
    }
    if (message.content.trim() === '') {
      report.messages.empty++;
      continue;
    }
    if (message.deleted) report.messages.deleted++;
    batch.push({
      legacy_id: message.legacyId,
      sender_email: message.senderEmail,
      content: message.content,
      created_at: message.createdAt,
      deleted: message.deleted ? 1 : 0,
      reply_to_legacy_id: message.replyToLegacyId,
      user_id: null,
      new_id: null,
    });
    if (batch.length >= STAGING_BATCH) {
      await repo.stageMessages(db, batch);
      batch = [];
    }
  }
  await repo.stageMessages(db, batch);
}
