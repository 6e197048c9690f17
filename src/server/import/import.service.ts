import type { Kysely } from 'kysely';
import { usernameStem } from '../auth/auth.service.js';
import type { Database, LegacyMessageStagingTable } from '../db/schema.js';
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

const STAGING_BATCH = 500;
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
  db: Kysely<Database>,
  sources: { users: ImportSource; messages: ImportSource },
  options: ImportOptions,
): Promise<ImportReport> {
  try {
    return await db.transaction().execute(async (trx) => {
      const report = emptyReport(options.dryRun);
      for await (const { value, line } of documents(sources.users, 'users', options)) {
        let user: LegacyUser;
        try {
          user = mapUser(value, options.now);
        } catch (error) {
          throw asInputError(error, sources.users.name, line);
        }
        await importUser(trx, user, report);
      }
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

async function importUser(db: Kysely<Database>, user: LegacyUser, report: ImportReport): Promise<void> {
  const users = report.users;
  users.read++;
  if ((await repo.findNewId(db, 'user', user.legacyId)) !== undefined) {
    users.alreadyThere++;
    return;
  }
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
  const existing = await repo.findUserByEmail(db, user.email);
  if (existing !== undefined) {
    // Emails differed only by case there (or the person registered here already): one account,
    // the older one's data, and every message of both.
    const imported = await repo.wasImported(db, 'user', existing.id);
    const incomingIsOlder = imported && user.createdAt < existing.created_at;
    if (incomingIsOlder) await repo.updateUser(db, existing.id, fields);
    await repo.recordLegacyId(db, 'user', user.legacyId, existing.id);
    listed(users.merged, {
      email: user.email,
      reason: imported
        ? 'two accounts whose emails differ only in case: the older one is kept'
        : 'an account with this email exists here already: kept it',
    });
    return;
  }
  const username = await freeUsername(db, user, report);
  const id = await repo.insertUser(db, { ...fields, email: user.email, username });
  await repo.recordLegacyId(db, 'user', user.legacyId, id);
  users.imported++;
  if (user.passwordHash === null) users.withoutPassword++;
}

/** The user's own username when it meets the rules and is free, else a generated one (reported). */
async function freeUsername(db: Kysely<Database>, user: LegacyUser, report: ImportReport): Promise<string> {
  if (user.username !== null && !(await repo.usernameInUse(db, user.username))) return user.username;
  const stem = usernameStem(user.email);
  let candidate = stem;
  for (let n = 2; await repo.usernameInUse(db, candidate); n++) {
    candidate = n < 10 ? `${stem}${n}` : `${stem}${Math.floor(10_000 + Math.random() * 90_000)}`;
  }
  const reason =
    user.usernameProblem ??
    (user.username === null ? 'had no username' : `"${user.username}" is taken (ignoring case)`);
  listed(report.users.renamed, { email: user.email, username: candidate, reason });
  return candidate;
}

async function stageAllMessages(
  db: Kysely<Database>,
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
