import { describe, expect, it } from 'vitest';
import type { OnlineUser } from './chat.js';
import { applyPresenceChange, presenceChange } from './presence.js';

const user = (id: number, name: string, extra: Partial<OnlineUser> = {}): OnlineUser => ({
  id,
  username: `u${id}`,
  display_name: name,
  status: 'online',
  focusing: null,
  quiet: false,
  ...extra,
});

describe('presence changes', () => {
  const before = [user(1, 'Ada'), user(2, 'Bob'), user(3, 'Cy')];

  it('names who joined, who changed and who left, and nothing when nothing did', () => {
    const after = [user(1, 'Ada', { status: 'idle' }), user(3, 'Cy'), user(4, 'Dee')];
    expect(presenceChange(before, after)).toEqual({ set: [after[0], after[2]], removed: [2] });
    expect(presenceChange(before, [...before])).toBeNull();
  });

  it('rebuilds the next list from the previous one and the change, in name order', () => {
    const after = [
      user(4, 'Aaron'),
      user(1, 'Ada', { focusing: { since: '2026-11-29T03:00:00.000Z', label: 'x', ends_at: null } }),
      user(3, 'Cy'),
    ];
    const change = presenceChange(before, after);
    expect(change).not.toBeNull();
    expect(applyPresenceChange(before, change!)).toEqual(after);
  });
});
