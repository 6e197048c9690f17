import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { registerUser } from '../helpers/users.js';

const HOUR = 3_600_000;

describe.each(testDialects())('dashboard user stats on %s', (dialect) => {
  let t: TestApp;
  // 2026-03-10 20:00 UTC: already March 11 in Asia/Kolkata (UTC+5:30), still March 10 in Los Angeles.
  const now = Date.UTC(2026, 2, 10, 20, 0);
  beforeAll(async () => {
    t = await createTestApp(dialect, { clock: { now: () => now } });
  });
  afterAll(() => t.close());

  it("counts users, users seen in 24 h, and joins since the caller's local midnight", async () => {
    const kolkata = await registerUser(t.app);
    const angeleno = await registerUser(t.app);
    const idle = await registerUser(t.app);
    const db = t.database.db;
    await db
      .updateTable('users')
      .set({ timezone: 'Asia/Kolkata', created_at: now - HOUR })
      .where('id', '=', kolkata.id)
      .execute();
    // 19:00 UTC on March 10: before Kolkata's midnight (18:30 UTC), after Los Angeles' (07:00 UTC).
    await db
      .updateTable('users')
      .set({ timezone: 'America/Los_Angeles', created_at: now - 10 * HOUR })
      .where('id', '=', angeleno.id)
      .execute();
    await db
      .updateTable('users')
      .set({ created_at: now - 72 * HOUR, last_seen_at: now - 25 * HOUR })
      .where('id', '=', idle.id)
      .execute();

    const forKolkata = await t.app.inject({ method: 'GET', url: '/api/dashboard', headers: kolkata.auth });
    expect(forKolkata.json()).toEqual({
      user_stats: { total_users: 3, active_users: 2, new_users_today: 1 },
      last_updated: '2026-03-10T20:00:00.000Z',
    });
    const forAngeleno = await t.app.inject({ method: 'GET', url: '/api/dashboard', headers: angeleno.auth });
    expect(forAngeleno.json().user_stats).toEqual({ total_users: 3, active_users: 2, new_users_today: 2 });
  });
});
