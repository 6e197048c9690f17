import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me, TokenResponse } from '../../src/protocol/auth.js';
import type { Static } from '@sinclair/typebox';
import type { ApiMessage, ChatStatusSchema, MessageList } from '../../src/protocol/chat.js';
import { fileSource } from '../../src/server/import/import-cli.js';
import { formatReport, type ImportReport } from '../../src/server/import/import-report.js';
import { importLegacyData, ImportInputError } from '../../src/server/import/import.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import type { TestUser } from '../helpers/users.js';
import { as, guest } from '../helpers/client.js';
import { testDialects } from '../helpers/database.js';
import { exportFile, objectId, passlibHash, type Mode, type Value } from '../helpers/mongoexport.js';

const OLD_PASSWORD = 'my old python password';
const at = (iso: string) => new Date(iso);

/** The Python version's documents, with every field it stored (nulls explicit, as Beanie writes them). */
function pythonUser(n: number, fields: Record<string, Value>): Value {
  return {
    _id: objectId(n),
    email: `user${n}@example.com`,
    hashed_password: passlibHash(`password ${n}`),
    disabled: false,
    username: null,
    display_name: null,
    age: null,
    bio: null,
    avatar_url: null,
    profile_complete: false,
    created_at: at('2026-01-05T04:30:00.000Z'),
    updated_at: null,
    role: 'user',
    provider: 'local',
    ...fields,
  };
}

function pythonMessage(n: number, fields: Record<string, Value>): Value {
  return {
    _id: objectId(1000 + n),
    sender_id: 'ann@example.com',
    sender_name: 'Spoofed Name',
    content: `message ${n}`,
    timestamp: at('2026-01-11T10:00:00.000Z'),
    room_id: 'global',
    message_type: 'text',
    is_deleted: false,
    reply_to_id: null,
    reply_to_username: null,
    reply_to_content: null,
    ...fields,
  };
}

const USERS: Value[] = [
  pythonUser(1, {
    email: 'Ann@Example.com',
    hashed_password: passlibHash(OLD_PASSWORD),
    username: 'ann',
    display_name: 'Ann Lee',
    age: 30,
    bio: 'Rust and tea',
    profile_complete: true,
    role: 'admin',
    created_at: at('2026-01-10T04:30:00.000Z'),
    updated_at: at('2026-01-12T04:30:00.000Z'),
  }),
  // The same person again, the email differing only in case, registered later: merged into the first.
  pythonUser(2, { email: 'ann@example.com', username: 'ann_again', created_at: at('2026-01-20T04:30:00.000Z') }),
  pythonUser(3, { email: 'nobody@example.com' }),
  pythonUser(4, { email: 'bad@example.com', username: 'bad name!', profile_complete: true, age: 7 }),
  pythonUser(5, {
    email: 'gina@example.com',
    hashed_password: null,
    provider: 'google',
    username: 'gina',
    display_name: 'Gina',
    profile_complete: true,
    disabled: true,
  }),
  // "ANN" is ann's username ignoring case: a generated one replaces it.
  pythonUser(6, { email: 'bob@example.com', username: 'ANN', profile_complete: true }),
];

// Not in time order in the file: the ids must follow the timestamps.
const MESSAGES: Value[] = [
  pythonMessage(1, { content: 'hello everyone', timestamp: at('2026-01-11T10:00:00.000Z') }),
  pythonMessage(2, {
    sender_id: 'gina@example.com',
    content: 'hi ann',
    timestamp: at('2026-01-11T10:05:00.000Z'),
    reply_to_id: objectId(1001).hex,
    reply_to_username: 'Mallory',
    reply_to_content: 'what ann never said',
  }),
  pythonMessage(3, { content: 'oops, wrong room', is_deleted: true, timestamp: at('2026-01-11T10:02:00.000Z') }),
  pythonMessage(4, { sender_id: 'ghost@example.com', content: 'who am I', timestamp: at('2026-01-11T10:03:00.000Z') }),
  pythonMessage(5, {
    sender_id: 'ANN@example.com',
    content: 'from my other account',
    timestamp: at('2026-01-11T10:04:00.000Z'),
  }),
];

const FORMATS: { mode: Mode; jsonArray: boolean }[] = [
  { mode: 'relaxed', jsonArray: false },
  { mode: 'canonical', jsonArray: false },
  { mode: 'relaxed', jsonArray: true },
  { mode: 'canonical', jsonArray: true },
];

function writeExport(users: string, messages: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'codechicks-export-'));
  const files = { users: path.join(dir, 'users.json'), messages: path.join(dir, 'messages.json') };
  writeFileSync(files.users, users);
  writeFileSync(files.messages, messages);
  return files;
}

describe.each(testDialects())('the import from the Python version on %s', (dialect) => {
  describe.each(FORMATS)('from $mode Extended JSON, jsonArray $jsonArray', ({ mode, jsonArray }) => {
    let t: TestApp;
    let files: { users: string; messages: string };
    let report: ImportReport;
    const run = (dryRun = false) =>
      importLegacyData(
        t.database.db,
        { users: fileSource(files.users), messages: fileSource(files.messages) },
        { dryRun, now: Date.now() },
      );
    beforeAll(async () => {
      t = await createTestApp(dialect);
      files = writeExport(exportFile(USERS, mode, jsonArray), exportFile(MESSAGES, mode, jsonArray));
      const dry = await run(true);
      expect(await t.database.db.selectFrom('users').select('id').execute()).toEqual([]);
      report = await run();
      expect(dry).toEqual({ ...report, dryRun: true });
    });
    afterAll(() => t.close());

    const login = (email: string, password: string) =>
      guest(t.app).post<TokenResponse>('/auth/login', { email, password });
    /** An imported user, signed in with their password, for `as(user)`. */
    const signIn = async (email: string, password: string): Promise<TestUser> => {
      const response = await login(email, password);
      expect(response.statusCode, response.body).toBe(200);
      const token = response.json().access_token;
      const auth = { authorization: `Bearer ${token}` };
      const { id } = (await guest(t.app).get<Me>('/auth/me', { headers: auth })).json();
      return { id, email, password, token, auth, app: t.app };
    };

    it('reports what it did: imported, merged, renamed, skipped', () => {
      expect(report.users).toMatchObject({ read: 6, imported: 5, alreadyThere: 0, withoutPassword: 1 });
      expect(report.users.merged.items).toEqual([{ email: 'ann@example.com', reason: expect.stringMatching(/case/) }]);
      expect(report.users.renamed.items).toEqual([
        { email: 'nobody@example.com', username: 'nobody', reason: 'had no username' },
        { email: 'bad@example.com', username: 'bad', reason: expect.stringMatching(/"bad name!" is not/) },
        { email: 'bob@example.com', username: 'bob', reason: '"ANN" is taken (ignoring case)' },
      ]);
      expect(report.users.cleared.items).toEqual([{ email: 'bad@example.com', fields: ['age'] }]);
      expect(report.messages).toMatchObject({ read: 5, imported: 4, deleted: 1, replies: 1, unknownSenderMessages: 1 });
      expect(report.messages.unknownSenders).toEqual([{ email: 'ghost@example.com', count: 1 }]);
      const text = formatReport(report).join('\n');
      expect(text).toContain('Users: 5 imported');
      expect(text).toContain('skipped 1 messages of ghost@example.com: no such user');
    });

    it('keeps the passlib hash: the user signs in with the old password, which then becomes argon2id', async () => {
      const ann = await signIn('ANN@example.COM', OLD_PASSWORD);
      const me = (await as(ann).get<Me>('/auth/me')).json();
      expect(me).toMatchObject({
        email: 'ann@example.com',
        username: 'ann',
        display_name: 'Ann Lee',
        role: 'admin',
        profile_complete: true,
        has_password: true,
        created_at: '2026-01-10T04:30:00.000Z',
      });
      const row = await t.database.db
        .selectFrom('users')
        .select(['password_hash', 'age', 'bio'])
        .where('email', '=', 'ann@example.com')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ age: 30, bio: 'Rust and tea' });
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect((await login('ann@example.com', 'password 2')).statusCode).toBe(401);
    });

    it('brings a Google user in without a password, remembering the provider', async () => {
      const row = await t.database.db
        .selectFrom('users')
        .select(['password_hash', 'legacy_provider', 'disabled', 'username'])
        .where('email', '=', 'gina@example.com')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ password_hash: null, legacy_provider: 'google', disabled: 1, username: 'gina' });
      expect((await login('gina@example.com', 'anything at all')).statusCode).toBe(401);
    });

    it('writes the messages in time order, replies to the new ids, deleted ones soft-deleted, totals true', async () => {
      const rows = await t.database.db
        .selectFrom('messages')
        .innerJoin('users', 'users.id', 'messages.user_id')
        .select(['messages.id', 'content', 'users.email', 'reply_to_id', 'deleted_at', 'messages.created_at'])
        .orderBy('messages.id')
        .execute();
      expect(rows.map((r) => [r.content, r.email])).toEqual([
        ['hello everyone', 'ann@example.com'],
        ['oops, wrong room', 'ann@example.com'],
        ['from my other account', 'ann@example.com'],
        ['hi ann', 'gina@example.com'],
      ]);
      const [hello, deleted, , reply] = rows;
      expect(deleted?.deleted_at).not.toBeNull();
      expect(reply?.reply_to_id).toBe(hello?.id);
      expect(hello?.created_at).toBe(Date.parse('2026-01-11T10:00:00.000Z'));

      const ann = await signIn('ann@example.com', OLD_PASSWORD);
      const list = (await as(ann).get<MessageList>('/api/chat/messages')).json();
      expect(list.total_count).toBe(3);
      const shown = list.messages.find((m) => m.content === 'hi ann') as ApiMessage;
      expect(shown.reply_to).toMatchObject({ id: hello?.id, sender_name: 'Ann Lee', excerpt: 'hello everyone' });
      expect(shown.reply_to_content).toBe('hello everyone');
      expect(shown.sender_name).toBe('Gina');
      const status = (await as(ann).get<Static<typeof ChatStatusSchema>>('/api/chat/status')).json();
      expect(status.total_messages).toBe(3);
      // A new message follows the imported ones.
      const sent = await as(ann).post<ApiMessage>('/api/chat/messages', { content: 'first one here' });
      expect(sent.json().id).toBeGreaterThan(reply?.id ?? Infinity);
    });

    it('adds nothing on a second run, and says so', async () => {
      const count = async () =>
        (await t.database.db.selectFrom('messages').select('id').execute()).length +
        (await t.database.db.selectFrom('users').select('id').execute()).length;
      const before = await count();
      const again = await run();
      expect(again.users).toMatchObject({ imported: 0, alreadyThere: 6 });
      expect(again.messages).toMatchObject({ imported: 0, alreadyThere: 4 });
      expect(formatReport(again)[0]).toMatch(/^Nothing to add/);
      expect(await count()).toBe(before);
    });
  });

  it('stops at a file cut off in the middle with one line naming it, and writes nothing', async () => {
    const t = await createTestApp(dialect);
    try {
      const messages = exportFile(MESSAGES, 'relaxed', false);
      const files = writeExport(exportFile(USERS, 'relaxed', false), messages.slice(0, messages.length - 40));
      const error = await importLegacyData(
        t.database.db,
        { users: fileSource(files.users), messages: fileSource(files.messages) },
        { dryRun: false, now: Date.now() },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportInputError);
      expect((error as Error).message).toBe('messages.json line 5: the file ends in the middle of document 5');
      expect(await t.database.db.selectFrom('users').select('id').execute()).toEqual([]);
      expect(await t.database.db.selectFrom('legacy_ids').select('new_id').execute()).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe.each(testDialects())('a large import on %s (users written in batches)', (dialect) => {
  // More users than one batch holds, with merges and username clashes inside a batch and across
  // the boundary between the first two: the outcome is the one of users taken one by one.
  const hash = passlibHash(OLD_PASSWORD);
  const many = Array.from({ length: 1_200 }, (_, i) =>
    pythonUser(100 + i, { hashed_password: hash, username: `member${i}`, display_name: `Member ${i}` }),
  );
  const set = (i: number, fields: Record<string, Value>) => (many[i] = { ...(many[i] as object), ...fields });
  set(10, { email: 'twin@example.com', created_at: at('2026-01-08T00:00:00.000Z') });
  set(11, { email: 'TWIN@example.com', display_name: 'Older twin', created_at: at('2026-01-02T00:00:00.000Z') });
  set(499, { email: 'edge@example.com', created_at: at('2026-01-08T00:00:00.000Z') });
  set(500, { email: 'Edge@Example.com', display_name: 'Older edge', created_at: at('2026-01-02T00:00:00.000Z') });
  set(20, { username: 'same' });
  set(21, { username: 'SAME' });
  set(498, { username: 'Clash' });
  set(501, { username: 'clash' });
  set(502, { username: null, email: 'member503@example.com' });

  it('merges and renames as one by one would, and a second run adds nothing', async () => {
    const t = await createTestApp(dialect);
    try {
      const files = writeExport(exportFile(many, 'relaxed', false), exportFile([], 'relaxed', false));
      const run = () =>
        importLegacyData(
          t.database.db,
          { users: fileSource(files.users), messages: fileSource(files.messages) },
          { dryRun: false, now: Date.now() },
        );
      const report = await run();
      expect(report.users).toMatchObject({ read: 1_200, imported: 1_198, alreadyThere: 0 });
      expect(report.users.merged.items.map((m) => m.email)).toEqual(['twin@example.com', 'edge@example.com']);
      expect(report.users.renamed.items).toEqual([
        { email: 'user121@example.com', username: 'user121', reason: '"SAME" is taken (ignoring case)' },
        { email: 'user601@example.com', username: 'user601', reason: '"clash" is taken (ignoring case)' },
        // The generated name is the own username of a user later in the same batch, who loses it.
        { email: 'member503@example.com', username: 'member503', reason: 'had no username' },
        { email: 'user603@example.com', username: 'user603', reason: '"member503" is taken (ignoring case)' },
      ]);
      const byEmail = async (email: string) =>
        t.database.db
          .selectFrom('users')
          .select(['id', 'display_name', 'created_at', 'username'])
          .where('email', '=', email)
          .executeTakeFirstOrThrow();
      expect(await byEmail('twin@example.com')).toMatchObject({
        display_name: 'Older twin',
        created_at: Date.parse('2026-01-02T00:00:00.000Z'),
      });
      const edge = await byEmail('edge@example.com');
      expect(edge).toMatchObject({ display_name: 'Older edge', created_at: Date.parse('2026-01-02T00:00:00.000Z') });
      const edgeIds = await t.database.db
        .selectFrom('legacy_ids')
        .select('legacy_id')
        .where('kind', '=', 'user')
        .where('new_id', '=', edge.id)
        .execute();
      expect(edgeIds).toHaveLength(2);
      expect((await byEmail('member503@example.com')).username).toBe('member503');
      expect((await byEmail('user603@example.com')).username).toBe('user603');
      expect((await t.database.db.selectFrom('users').select('id').execute()).length).toBe(1_198);

      const again = await run();
      expect(again.users).toMatchObject({ read: 1_200, imported: 0, alreadyThere: 1_200 });
      expect((await t.database.db.selectFrom('users').select('id').execute()).length).toBe(1_198);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('writes nothing when a user after the first batch is malformed', async () => {
    const t = await createTestApp(dialect);
    try {
      const broken = [...many];
      broken[900] = { ...(many[900] as object), age: 'thirty' };
      const files = writeExport(exportFile(broken, 'relaxed', false), exportFile([], 'relaxed', false));
      const error = await importLegacyData(
        t.database.db,
        { users: fileSource(files.users), messages: fileSource(files.messages) },
        { dryRun: false, now: Date.now() },
      ).catch((e: unknown) => e);
      expect((error as Error).message).toBe('users.json line 901: age must be a number or null');
      expect(await t.database.db.selectFrom('users').select('id').execute()).toEqual([]);
      expect(await t.database.db.selectFrom('legacy_ids').select('new_id').execute()).toEqual([]);
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe('npm run import (the command)', () => {
  const execFileAsync = promisify(execFile);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'codechicks-import-cli-'));
  const runCli = (...args: string[]) =>
    execFileAsync(process.execPath, ['--import', 'tsx', 'src/server/import/import-cli.ts', ...args], {
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, NODE_ENV: 'test' },
    }).then(
      (done) => ({ code: 0, ...done }),
      (failed: { code: number; stdout: string; stderr: string }) => failed,
    );

  it('explains bad input in one line with exit code 1, then imports a good file and reports', async () => {
    const bad = writeExport(
      exportFile(USERS, 'relaxed', false),
      '{"_id":{"$oid":"65b6a1f0c2d3e4f500000001"},"x":{"$regex":"a"}}\n',
    );
    const refused = await runCli('--users', bad.users, '--messages', bad.messages);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n').at(-1)).toBe(
      'codechicks import: messages.json line 1: unknown field type $regex (nothing was written)',
    );
    expect(refused.stderr).not.toMatch(/\n\s+at /);

    const good = writeExport(exportFile(USERS, 'canonical', true), exportFile(MESSAGES, 'canonical', true));
    const done = await runCli('--users', good.users, '--messages', good.messages);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('Users: 5 imported');
    expect(done.stderr).toContain('users: 6 documents read');
    const again = await runCli('--users', good.users, '--messages', good.messages);
    expect(again.stdout).toMatch(/^Nothing to add/);
  }, 60_000);
});
