import { describe, expect, it } from 'vitest';
import { LegacyDate } from './extended-json.js';
import { mapMessage, mapUser, MappingError } from './legacy-mapping.js';

const NOW = Date.UTC(2026, 10, 1);

describe('mapUser', () => {
  const base = { _id: 'a1', email: ' Ann@Example.COM ', hashed_password: '$pbkdf2-sha256$29000$x$y' };

  it('lower-cases the email and keeps the passlib hash as it is', () => {
    const user = mapUser({ ...base, created_at: new LegacyDate(5), provider: 'local' }, NOW);
    expect(user).toMatchObject({ email: 'ann@example.com', passwordHash: base.hashed_password, createdAt: 5 });
    expect(user).toMatchObject({ updatedAt: 5, provider: null, role: 'user', disabled: false });
  });

  it('keeps a username only when it meets the rules, and clears fields that do not', () => {
    expect(mapUser({ ...base, username: 'ann_1' }, NOW).username).toBe('ann_1');
    const bad = mapUser({ ...base, username: 'a b', age: 200, avatar_url: 'javascript:x', bio: null }, NOW);
    expect(bad).toMatchObject({ username: null, usernameProblem: '"a b" is not 3–30 letters, digits or underscores' });
    expect(bad.cleared).toEqual(['age', 'avatar_url']);
  });

  it('reads the provider of a Google or GitHub account without a password', () => {
    expect(mapUser({ ...base, hashed_password: null, provider: 'github' }, NOW)).toMatchObject({
      passwordHash: null,
      provider: 'github',
    });
  });

  it('reads a time kept as text: with its offset, or naive as UTC', () => {
    expect(mapUser({ ...base, created_at: '2026-01-28T15:30:00+05:30' }, NOW).createdAt).toBe(
      Date.UTC(2026, 0, 28, 10),
    );
    expect(mapUser({ ...base, created_at: '2026-01-28T10:00:00' }, NOW).createdAt).toBe(Date.UTC(2026, 0, 28, 10));
  });

  it('names what is wrong', () => {
    expect(() => mapUser({ _id: 'm', sender_id: 'a@b.c', content: 'x' }, NOW)).toThrow(/messages collection/);
    expect(() => mapUser({ ...base, email: 'nope' }, NOW)).toThrow('"nope" is not an email');
    expect(() => mapUser({ ...base, age: '30' }, NOW)).toThrow('age must be a number or null');
    expect(() => mapUser({ email: 'a@b.c' }, NOW)).toThrow(MappingError);
  });
});

describe('mapMessage', () => {
  it('maps the sender by email and keeps the reply target and the soft delete', () => {
    const message = mapMessage({
      _id: 'm1',
      sender_id: 'Ann@Example.com',
      sender_name: 'ignored',
      content: 'hi',
      timestamp: new LegacyDate(7),
      is_deleted: true,
      reply_to_id: '65B6A1F0C2D3E4F500000001',
    });
    expect(message).toEqual({
      legacyId: 'm1',
      senderEmail: 'ann@example.com',
      content: 'hi',
      createdAt: 7,
      deleted: true,
      replyToLegacyId: '65b6a1f0c2d3e4f500000001',
    });
  });

  it('names what is wrong', () => {
    expect(() => mapMessage({ _id: 'u', email: 'a@b.c' })).toThrow(/users collection/);
    expect(() => mapMessage({ _id: 'm', sender_id: 'a@b.c', content: 'x' })).toThrow('timestamp is missing');
  });
});
