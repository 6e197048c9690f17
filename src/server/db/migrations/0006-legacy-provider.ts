import type { Kysely } from 'kysely';

// Frozen in time: later changes go in new migrations, never here.
// The sign-in provider ('google' | 'github') an account imported from the Python version used
// there; such an account is linked on its first sign-in with that provider and a verified email.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('legacy_provider', 'varchar(20)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('legacy_provider').execute();
}
