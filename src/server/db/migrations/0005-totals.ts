import { sql, type Kysely } from 'kysely';
import { isSqlite } from './columns.js';

// Frozen in time: later changes go in new migrations, never here.
//
// All-time figures (live messages; recorded focus runs and their time) kept in one row each by
// triggers, so the dashboard and every chat list read them instead of counting millions of rows.
// Triggers rather than application code, so that every writer keeps them true: the app, an
// import, a cascade when a user row is removed, or an operator's own SQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('totals')
    .addColumn('name', 'varchar(40)', (col) => col.primaryKey())
    .addColumn('item_count', 'bigint', (col) => col.notNull())
    .addColumn('total_ms', 'bigint', (col) => col.notNull())
    .execute();
  await sql`insert into totals (name, item_count, total_ms)
    select 'live_messages', count(*), 0 from messages where deleted_at is null`.execute(db);
  await sql`insert into totals (name, item_count, total_ms)
    select 'focus_sessions', count(*), coalesce(sum(duration_ms), 0) from focus_sessions`.execute(db);
  await (isSqlite(db) ? sqliteTriggers(db) : postgresTriggers(db));
}

/** Row triggers: SQLite has no other kind. */
async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create trigger messages_total_insert after insert on messages when new.deleted_at is null begin
      update totals set item_count = item_count + 1 where name = 'live_messages'; end`,
    sql`create trigger messages_total_delete after delete on messages when old.deleted_at is null begin
      update totals set item_count = item_count - 1 where name = 'live_messages'; end`,
    sql`create trigger messages_total_update after update of deleted_at on messages
      when (old.deleted_at is null) <> (new.deleted_at is null) begin
      update totals set item_count = item_count + (case when new.deleted_at is null then 1 else -1 end)
      where name = 'live_messages'; end`,
    sql`create trigger focus_sessions_total_insert after insert on focus_sessions begin
      update totals set item_count = item_count + 1, total_ms = total_ms + new.duration_ms
      where name = 'focus_sessions'; end`,
    sql`create trigger focus_sessions_total_delete after delete on focus_sessions begin
      update totals set item_count = item_count - 1, total_ms = total_ms - old.duration_ms
      where name = 'focus_sessions'; end`,
    sql`create trigger focus_sessions_total_update after update of duration_ms on focus_sessions begin
      update totals set total_ms = total_ms + new.duration_ms - old.duration_ms
      where name = 'focus_sessions'; end`,
  ];
  for (const statement of statements) await statement.execute(db);
}

/**
 * Statement triggers over transition tables: one update of the totals row per statement, so a
 * bulk insert of a million rows is one update, not a million. An edit that changes no total
 * (new content, a new label) does not touch the row, so it takes no lock on it.
 */
async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  await sql`create function messages_total() returns trigger language plpgsql as $$
    declare delta bigint := 0;
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        delta := delta + (select count(*) from new_rows where deleted_at is null);
      end if;
      if tg_op in ('UPDATE', 'DELETE') then
        delta := delta - (select count(*) from old_rows where deleted_at is null);
      end if;
      if delta <> 0 then
        update totals set item_count = item_count + delta where name = 'live_messages';
      end if;
      return null;
    end $$`.execute(db);
  await sql`create function focus_total() returns trigger language plpgsql as $$
    declare
      runs bigint := 0;
      ms bigint := 0;
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        select runs + count(*), ms + coalesce(sum(duration_ms), 0) into runs, ms from new_rows;
      end if;
      if tg_op in ('UPDATE', 'DELETE') then
        select runs - count(*), ms - coalesce(sum(duration_ms), 0) into runs, ms from old_rows;
      end if;
      if runs <> 0 or ms <> 0 then
        update totals set item_count = item_count + runs, total_ms = total_ms + ms where name = 'focus_sessions';
      end if;
      return null;
    end $$`.execute(db);
  for (const [table, fn] of [
    ['messages', 'messages_total'],
    ['focus_sessions', 'focus_total'],
  ] as const) {
    await sql`create trigger ${sql.raw(`${table}_total_insert`)} after insert on ${sql.table(table)}
      referencing new table as new_rows for each statement execute function ${sql.raw(fn)}()`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_total_update`)} after update on ${sql.table(table)}
      referencing old table as old_rows new table as new_rows for each statement execute function ${sql.raw(fn)}()`.execute(
      db,
    );
    await sql`create trigger ${sql.raw(`${table}_total_delete`)} after delete on ${sql.table(table)}
      referencing old table as old_rows for each statement execute function ${sql.raw(fn)}()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['messages', 'focus_sessions']) {
    for (const op of ['insert', 'update', 'delete']) {
      const trigger = sql.raw(`${table}_total_${op}`);
      await (isSqlite(db) ? sql`drop trigger ${trigger}` : sql`drop trigger ${trigger} on ${sql.table(table)}`).execute(
        db,
      );
    }
  }
  if (!isSqlite(db)) {
    await sql`drop function messages_total()`.execute(db);
    await sql`drop function focus_total()`.execute(db);
  }
  await db.schema.dropTable('totals').execute();
}
