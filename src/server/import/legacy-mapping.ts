import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { DisplayName, Username } from '../../protocol/auth.js';
import { Age, AvatarUrl, Bio } from '../../protocol/profile.js';
import { LegacyDate, parseLegacyTime, type Decoded } from './extended-json.js';

/**
 * The Python version's documents (docs/migrating-from-python.md) mapped to what CodeChicks
 * stores. Pure: a bad document throws a `MappingError` naming the field; the caller adds the
 * file and line.
 */

export class MappingError extends Error {}

export type LegacyProvider = 'google' | 'github';

export interface LegacyUser {
  legacyId: string;
  /** Lower-cased. */
  email: string;
  /** The passlib hash as it is, or null (a Google/GitHub account there). */
  passwordHash: string | null;
  /** The username if it meets today's rules, else null (a generated one replaces it). */
  username: string | null;
  /** Why the username could not be kept, when there was one. */
  usernameProblem: string | null;
  displayName: string | null;
  age: number | null;
  bio: string | null;
  avatarUrl: string | null;
  profileComplete: boolean;
  role: 'user' | 'admin';
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
  provider: LegacyProvider | null;
  /** Fields that did not meet today's rules and were cleared, e.g. `age 7 (13–120)`. */
  cleared: string[];
}

export interface LegacyMessage {
  legacyId: string;
  /** The sender's email, lower-cased: that version identified senders by email. */
  senderEmail: string;
  content: string;
  createdAt: number;
  deleted: boolean;
  replyToLegacyId: string | null;
}

type Doc = { [key: string]: Decoded };

export function mapUser(value: Decoded, now: number): LegacyUser {
  const doc = asDocument(value);
  if (!('email' in doc) && 'sender_id' in doc) {
    throw new MappingError('this is a message, not a user: is this the export of the messages collection?');
  }
  const email = requiredString(doc, 'email').trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) throw new MappingError(`"${email}" is not an email`);
  const cleared: string[] = [];
  const keep = <T>(field: string, rule: TSchema, raw: T | null): T | null => {
    if (raw === null || meets(rule, raw)) return raw;
    cleared.push(field);
    return null;
  };
  const rawUsername = optionalString(doc, 'username');
  const usernameOk = rawUsername !== null && meets(Username, rawUsername);
  const createdAt = optionalTime(doc, 'created_at') ?? now;
  const provider = optionalString(doc, 'provider');
  const role = optionalString(doc, 'role');
  return {
    legacyId: requiredId(doc),
    email,
    passwordHash: optionalString(doc, 'hashed_password'),
    username: usernameOk ? rawUsername : null,
    usernameProblem:
      rawUsername === null ? null : usernameOk ? null : `"${rawUsername}" is not 3–30 letters, digits or underscores`,
    displayName: keep('display_name', DisplayName, optionalString(doc, 'display_name')),
    age: keep('age', Age, optionalNumber(doc, 'age')),
    bio: keep('bio', Bio, optionalString(doc, 'bio')),
    avatarUrl: keep('avatar_url', AvatarUrl, optionalString(doc, 'avatar_url')),
    profileComplete: optionalBoolean(doc, 'profile_complete') ?? false,
    role: role === 'admin' ? 'admin' : 'user',
    disabled: optionalBoolean(doc, 'disabled') ?? false,
    createdAt,
    updatedAt: optionalTime(doc, 'updated_at') ?? createdAt,
    provider: provider === 'google' || provider === 'github' ? provider : null,
    cleared,
  };
}

export function mapMessage(value: Decoded): LegacyMessage {
  const doc = asDocument(value);
  if (!('sender_id' in doc) && 'email' in doc) {
    throw new MappingError('this is a user, not a message: is this the export of the users collection?');
  }
  const replyTo = doc.reply_to_id;
  if (replyTo !== undefined && replyTo !== null && typeof replyTo !== 'string') {
    throw new MappingError('reply_to_id must be a string or null');
  }
  return {
    legacyId: requiredId(doc),
    senderEmail: requiredString(doc, 'sender_id').trim().toLowerCase(),
    content: requiredString(doc, 'content'),
    createdAt: requiredTime(doc, 'timestamp'),
    deleted: optionalBoolean(doc, 'is_deleted') ?? false,
    replyToLegacyId: typeof replyTo === 'string' && replyTo !== '' ? replyTo.toLowerCase() : null,
  };
}

/** Today's rule from `src/protocol` (not a copy of it). */
function meets(rule: TSchema, value: unknown): boolean {
  return Value.Check(rule, value);
}

function asDocument(value: Decoded): Doc {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof LegacyDate) {
    throw new MappingError('a document must be a JSON object');
  }
  return value;
}

function requiredId(doc: Doc): string {
  const id = doc._id;
  if (typeof id !== 'string' || id === '') throw new MappingError('_id is missing');
  return id;
}

function requiredString(doc: Doc, field: string): string {
  const value = doc[field];
  if (typeof value !== 'string')
    throw new MappingError(`${field} ${value === undefined ? 'is missing' : 'must be text'}`);
  return value;
}

function optionalString(doc: Doc, field: string): string | null {
  const value = doc[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new MappingError(`${field} must be text or null`);
  return value;
}

function optionalNumber(doc: Doc, field: string): number | null {
  const value = doc[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number') throw new MappingError(`${field} must be a number or null`);
  return value;
}

function optionalBoolean(doc: Doc, field: string): boolean | null {
  const value = doc[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'boolean') throw new MappingError(`${field} must be true or false`);
  return value;
}

function optionalTime(doc: Doc, field: string): number | null {
  const value = doc[field];
  if (value === undefined || value === null) return null;
  if (value instanceof LegacyDate) return value.epochMs;
  // A time kept as text: with its offset it is that instant; without one it is UTC.
  if (typeof value === 'string') {
    try {
      return parseLegacyTime(value);
    } catch (error) {
      throw new MappingError(`${field}: ${(error as Error).message}`);
    }
  }
  throw new MappingError(`${field} must be a date`);
}

function requiredTime(doc: Doc, field: string): number {
  const time = optionalTime(doc, field);
  if (time === null) throw new MappingError(`${field} is missing`);
  return time;
}
