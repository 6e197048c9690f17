import { describe, expect, it } from 'vitest';
import { mayChange, mayPost, nextPostAt, timeoutEnd, type PostingFacts } from './posting.rules.js';

const member: PostingFacts = { isAdmin: false, timedOutUntil: null, lastPostAt: null, slowModeSeconds: 0 };
const T = 1_000_000;

describe('posting rules', () => {
  it('lets anyone post while slow mode is off, and counts nothing', () => {
    expect(mayPost({ ...member, lastPostAt: T - 1 }, T)).toEqual({ kind: 'allowed', counts: false });
  });

  it('holds a member to one message per window, to the millisecond', () => {
    const facts = { ...member, slowModeSeconds: 30, lastPostAt: T };
    expect(mayPost({ ...facts, lastPostAt: null }, T)).toEqual({ kind: 'allowed', counts: true });
    expect(mayPost(facts, T + 29_999)).toEqual({ kind: 'slow_mode', until: T + 30_000 });
    expect(mayPost(facts, T + 30_000)).toEqual({ kind: 'allowed', counts: true });
    expect(nextPostAt(facts, T + 10_000)).toBe(T + 30_000);
    expect(nextPostAt(facts, T + 30_000)).toBeNull();
  });

  it('exempts admins from slow mode but not from a timeout', () => {
    const admin = { ...member, isAdmin: true, slowModeSeconds: 30, lastPostAt: T };
    expect(mayPost(admin, T + 1)).toEqual({ kind: 'allowed', counts: false });
    expect(mayPost({ ...admin, timedOutUntil: T + 5 }, T + 1)).toEqual({ kind: 'timed_out', until: T + 5 });
  });

  it('refuses posting, editing and reacting until the timeout ends, then lets them by itself', () => {
    const facts = { ...member, timedOutUntil: T + 60_000 };
    expect(mayPost(facts, T)).toEqual({ kind: 'timed_out', until: T + 60_000 });
    expect(mayChange(facts, T + 59_999)).toEqual({ kind: 'timed_out', until: T + 60_000 });
    expect(mayChange(facts, T + 60_000)).toEqual({ kind: 'allowed' });
    expect(mayPost(facts, T + 60_000)).toEqual({ kind: 'allowed', counts: false });
  });

  it('ends a timeout after its minutes; 0 lifts it', () => {
    expect(timeoutEnd(T, 10)).toBe(T + 600_000);
    expect(timeoutEnd(T, 0)).toBeNull();
  });
});
