import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { keepStatements } from './statement-cache.js';

describe('keepStatements', () => {
  it('prepares a repeated query once, keeps at most `max`, and follows schema changes', async () => {
    const database = new SQLite(':memory:');
    const prepared: string[] = [];
    const prepare = database.prepare.bind(database);
    database.prepare = (text: string) => {
      prepared.push(text);
      return prepare(text);
    };
    const kept = keepStatements(database, 3);
    const db = new Kysely<{ t: { a: number; b?: number } }>({ dialect: new SqliteDialect({ database: kept }) });
    await sql`create table t (a integer)`.execute(db);
    for (let i = 0; i < 5; i++) await db.insertInto('t').values({ a: i }).execute();
    expect(prepared.filter((text) => text.startsWith('insert'))).toHaveLength(1);

    const fourth = () => db.selectFrom('t').selectAll().where('a', '=', 4).execute();
    expect(await fourth()).toEqual([{ a: 4 }]);
    await sql`alter table t add column b integer default 7`.execute(db);
    expect(await fourth()).toEqual([{ a: 4, b: 7 }]);

    for (let i = 0; i < 10; i++) await sql.raw(`select ${i} as n`).execute(db);
    expect(kept.kept()).toBe(3);
    await db.destroy();
  });
});
