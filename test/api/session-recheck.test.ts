import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeUser } from '../../src/server/admin/account.commands.js';
import { activeSessions } from '../../src/server/auth/auth.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDialects } from '../helpers/database.js';
import { makeUser } from '../helpers/users.js';

describe.each(testDialects())("the sockets' session re-check on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t?.close());

  it('answers for more people online than one SQL statement can name', async () => {
    const ann = await makeUser(t); // the place's first account: its admin
    const bob = await makeUser(t);
    const cy = await makeUser(t);
    await changeUser(t.services, { kind: 'cli' }, cy.id, { disabled: true });
    // 70,000 ids: past both SQLite's 32,766 and PostgreSQL's 65,535 parameters per statement.
    const nobody = Array.from({ length: 70_000 }, (_, i) => 100_000_000 + i);
    const ids = [ann.id, ...nobody.slice(0, 40_000), cy.id, ...nobody.slice(40_000), bob.id];

    const sessions = await activeSessions(t.services, ids);

    expect([...sessions.keys()].sort((a, b) => a - b)).toEqual([ann.id, bob.id].sort((a, b) => a - b));
    expect(sessions.get(ann.id)).toEqual({ tokenVersion: expect.any(Number), role: 'admin' });
    expect(sessions.get(bob.id)).toEqual({ tokenVersion: expect.any(Number), role: 'user' });
    expect(await activeSessions(t.services, [])).toEqual(new Map());
  });
});
