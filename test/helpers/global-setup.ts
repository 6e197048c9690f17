import type { TestProject } from 'vitest/node';
import { startPostgres, type PostgresServer } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin URL of a real PostgreSQL, or null where none could be had (then its suites skip). */
    postgresUrl: string | null;
  }
}

let server: PostgresServer | undefined;

export default async function setup(project: TestProject) {
  const inCi = process.env.CI === 'true';
  let url = process.env.TEST_DATABASE_URL ?? null;
  if (url === null) {
    try {
      server = await startPostgres();
      url = server?.url ?? null;
    } catch (error) {
      if (inCi) throw error;
      console.warn(`\n!!! Could not start PostgreSQL: ${String(error)}\n`);
    }
  }
  if (url === null) {
    if (inCi) throw new Error('CI=true but no PostgreSQL: set TEST_DATABASE_URL or install postgresql');
    console.warn('\n!!! No PostgreSQL here (no TEST_DATABASE_URL, no initdb): the PostgreSQL suites are SKIPPED.\n');
  }
  project.provide('postgresUrl', url);
  return () => server?.stop();
}
