import { describe, expect, it } from 'vitest';
import { startOfLocalDay, WALL_CLOCK_FORMAT, wallClock } from './time.js';

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

describe('wallClock', () => {
  it('reads the same fields as formatToParts, across zones and DST changes', () => {
    const zones = [
      'UTC',
      'Asia/Kathmandu',
      'Pacific/Chatham',
      'America/St_Johns',
      'Australia/Lord_Howe',
      'Europe/Berlin',
    ];
    for (const timeZone of zones) {
      const parts = new Intl.DateTimeFormat('en-US', { ...WALL_CLOCK_FORMAT, timeZone });
      // Every 7 h 13 min 17 s for three years: every hour of the day and both sides of each change.
      for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2028, 0, 1); t += 26_000_000 + 17_000) {
        const expected = Object.fromEntries(
          parts
            .formatToParts(t)
            .filter((p) => p.type !== 'literal')
            .map((p) => [p.type, Number(p.value)]),
        );
        expect(wallClock(t, timeZone)).toEqual(expected);
      }
    }
  });
});
