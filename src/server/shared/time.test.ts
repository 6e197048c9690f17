import { describe, expect, it } from 'vitest';
import { startOfLocalDay } from './time.js';

describe('startOfLocalDay', () => {
  it('finds local midnight east and west of UTC', () => {
    const instant = Date.UTC(2026, 2, 10, 20, 0);
    expect(new Date(startOfLocalDay(instant, 'Asia/Kolkata')).toISOString()).toBe('2026-03-10T18:30:00.000Z');
    expect(new Date(startOfLocalDay(instant, 'America/Los_Angeles')).toISOString()).toBe('2026-03-10T07:00:00.000Z');
    expect(new Date(startOfLocalDay(instant, 'UTC')).toISOString()).toBe('2026-03-10T00:00:00.000Z');
  });

  it('gives a DST change day its real length', () => {
    // Los Angeles springs forward on 2026-03-08 (23 h) and falls back on 2026-11-01 (25 h).
    const springStart = startOfLocalDay(Date.UTC(2026, 2, 8, 20), 'America/Los_Angeles');
    const springNext = startOfLocalDay(Date.UTC(2026, 2, 9, 20), 'America/Los_Angeles');
    expect((springNext - springStart) / 3_600_000).toBe(23);
    const fallStart = startOfLocalDay(Date.UTC(2026, 10, 1, 20), 'America/Los_Angeles');
    const fallNext = startOfLocalDay(Date.UTC(2026, 10, 2, 20), 'America/Los_Angeles');
    expect((fallNext - fallStart) / 3_600_000).toBe(25);
  });
});
