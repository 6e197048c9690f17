import { sql, type Kysely } from 'kysely';
import { isSqlite } from './columns.js';

// Frozen in time: later changes go in new migrations, never here.
//
// Full-text search over live messages, kept by the database itself on every insert, edit and
// delete, whoever writes: an FTS5 table kept by triggers on SQLite, a generated `tsvector`
// column with a GIN index on PostgreSQL. Both index the same words: ASCII punctuation separates
// words, letters are compared without case, nothing is stemmed (PostgreSQL's `simple`
// configuration; FTS5's `unicode61` without diacritic folding), so the same data gives the same
// results on both. Deleted messages are not indexed at all.
export async function up(db: Kysely<unknown>): Promise<void> {
  await (isSqlite(db) ? sqliteSearch(db) : postgresSearch(db));
}

async function sqliteSearch(db: Kysely<unknown>): Promise<void> {
  await sql`create virtual table messages_fts using fts5(content, content='messages', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0', prefix='2 3')`.execute(db);
  await sql`insert into messages_fts (rowid, content) select id, content from messages where deleted_at is null`.execute(
    db,
  );
  const statements = [
    sql`create trigger messages_fts_insert after insert on messages when new.deleted_at is null begin
      insert into messages_fts (rowid, content) values (new.id, new.content); end`,
    sql`create trigger messages_fts_delete after delete on messages when old.deleted_at is null begin
      insert into messages_fts (messages_fts, rowid, content) values ('delete', old.id, old.content); end`,
    // One trigger, so the old words leave the index before the new ones enter it.
    sql`create trigger messages_fts_update after update of content, deleted_at on messages begin
      insert into messages_fts (messages_fts, rowid, content)
        select 'delete', old.id, old.content where old.deleted_at is null;
      insert into messages_fts (rowid, content) select new.id, new.content where new.deleted_at is null;
      end`,
  ];
  for (const statement of statements) await statement.execute(db);
}

/** The characters `translate` turns into spaces: ASCII punctuation, as FTS5's tokenizer splits on it. */
const ASCII_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

async function postgresSearch(db: Kysely<unknown>): Promise<void> {
  const spaces = ' '.repeat(ASCII_PUNCTUATION.length);
  await sql`alter table messages add column search tsvector generated always as (
    case when deleted_at is null
      then to_tsvector('simple'::regconfig, translate(content, ${sql.lit(ASCII_PUNCTUATION)}, ${sql.lit(spaces)}))
    end) stored`.execute(db);
  await sql`create index messages_search on messages using gin (search)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isSqlite(db)) {
    for (const name of ['insert', 'delete', 'update']) {
      await sql`drop trigger ${sql.raw(`messages_fts_${name}`)}`.execute(db);
    }
    await sql`drop table messages_fts`.execute(db);
  } else {
    await sql`drop index messages_search`.execute(db);
    await sql`alter table messages drop column search`.execute(db);
  }
}
