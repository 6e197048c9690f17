import { describe, expect, it } from 'vitest';
import { FORMATTER_CACHE_SIZE, formatterCacheSize, startOfLocalDay, WALL_CLOCK_FORMAT, wallClock } from './time.js';
import { canonicalTimeZone } from '../../protocol/timezones.js';

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

/** Every upper/lower-case spelling of a name, up to `count` of them. */
function caseVariants(name: string, count: number): string[] {
  const letters = [...name].map((c, i) => [c, i] as const).filter(([c]) => /[a-z]/i.test(c));
  return Array.from({ length: Math.min(count, 2 ** letters.length) }, (_, n) => {
    const chars = [...name.toLowerCase()];
    letters.forEach(([, at], bit) => {
      if ((n >> bit) & 1) chars[at] = chars[at]!.toUpperCase();
    });
    return chars.join('');
  });
}

describe('time zone names', () => {
  it('spells a known zone the runtime way and knows no unknown one', () => {
    expect(canonicalTimeZone('aMeRiCa/NeW_yOrK')).toBe('America/New_York');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('US/Eastern')).toBe('America/New_York');
    // The current IANA name, whichever the runtime's ICU prefers.
    expect(canonicalTimeZone('asia/calcutta')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('ASIA/KOLKATA')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeUndefined();
  });

  it('holds a bounded number of formatters whatever spellings it is asked for', () => {
    const variants = caseVariants('America/New_York', 4_000);
    expect(variants).toHaveLength(4_000);
    const expected = wallClock(Date.UTC(2026, 0, 1, 12), 'America/New_York');
    for (const name of variants) expect(wallClock(Date.UTC(2026, 0, 1, 12), name)).toEqual(expected);
    expect(formatterCacheSize()).toBeLessThanOrEqual(FORMATTER_CACHE_SIZE);
    for (const zone of Intl.supportedValuesOf('timeZone')) wallClock(0, zone);
    expect(formatterCacheSize()).toBe(FORMATTER_CACHE_SIZE);
  });
});
