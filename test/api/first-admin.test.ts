import { describe, expect, it } from 'vitest';
import type { Me } from '../../src/protocol/auth.js';
import { createTestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { as } from '../helpers/client.js';
import { makeUser, type TestUser } from '../helpers/users.js';

describe.each(testDialects())('the first account on %s', (dialect) => {
  const roleOf = async (user: TestUser) => (await as(user).get<Me>('/auth/me')).json().role;

  it('is the admin of an empty instance; the next one is a member', async () => {
    const t = await createTestApp(dialect);
    try {
      const first = await makeUser(t, { complete: false });
      const second = await makeUser(t, { complete: false });
      expect(await roleOf(first)).toBe('admin');
      expect(await roleOf(second)).toBe('user');
      // It can run the place at once, without the shell.
      const users = await as(first).get('/api/admin/users');
      expect(users.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('is exactly one admin when ten register at the same moment on an empty instance', async () => {
    const t = await createTestApp(dialect);
    try {
      // Connections opened beforehand, so the registrations really overlap on PostgreSQL.
      await Promise.all([1, 2, 3, 4, 5].map(() => t.database.db.selectFrom('users').select('id').execute()));
      const people = await Promise.all(
        Array.from({ length: 10 }, (_, i) => makeUser(t, { email: `racer${i}@example.com`, complete: false })),
      );
      const roles = await Promise.all(people.map((p) => roleOf(p)));
      expect(roles.filter((r) => r === 'admin')).toHaveLength(1);
      expect(roles.filter((r) => r === 'user')).toHaveLength(9);
      const admins = await t.database.db.selectFrom('users').select('id').where('role', '=', 'admin').execute();
      expect(admins).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});
