/** Calendar arithmetic in a user's IANA time zone, with no library: Intl knows the offsets. */
import { currentZoneName } from '../../protocol/timezones.js';

/** Every wall-clock field, as numbers, on a 24-hour clock (`wallClock` reads what this writes). */
export const WALL_CLOCK_FORMAT: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
};

/**
 * Formatters by canonical zone name, least recently used first. Stored names are canonical
 * (`canonicalTimeZone`), so a handful of zones is the usual working set; the bound keeps memory
 * flat whatever names arrive.
 */
export const FORMATTER_CACHE_SIZE = 64;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', { ...WALL_CLOCK_FORMAT, timeZone });
    const canonical = currentZoneName(formatter.resolvedOptions().timeZone);
    formatter = formatters.get(canonical) ?? formatter;
    timeZone = canonical;
  }
  formatters.delete(timeZone);
  formatters.set(timeZone, formatter);
  if (formatters.size > FORMATTER_CACHE_SIZE) formatters.delete(formatters.keys().next().value!);
  return formatter;
}

/** How many formatters are held (for tests of the bound). */
export function formatterCacheSize(): number {
  return formatters.size;
}

type WallClock = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;

/** `11/28/2026, 23:06:40`: what the en-US formatter above writes. */
const FORMATTED = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

/**
 * The wall-clock fields of an instant in a time zone. Reading `format()` is about four times
 * faster than `formatToParts()` (2 vs 8 µs), which the dashboard calls thousands of times for a
 * long history; the parts are the fallback should an ICU version ever write it differently.
 */
export function wallClock(epochMs: number, timeZone: string): WallClock {
  const formatter = formatterFor(timeZone);
  const match = FORMATTED.exec(formatter.format(epochMs));
  if (match !== null) {
    const [, month, day, year, hour, minute, second] = match.map(Number);
    return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! };
  }
  return Object.fromEntries(formatter.formatToParts(epochMs).map((p) => [p.type, Number(p.value)])) as WallClock;
}

/** How far the zone's wall clock is ahead of UTC at that instant, in ms. */
function offsetAt(epochMs: number, timeZone: string): number {
  const w = wallClock(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (epochMs - (epochMs % 1000));
}

/** The instant at which the local calendar day containing `epochMs` began in `timeZone`. */
export function startOfLocalDay(epochMs: number, timeZone: string): number {
  const w = wallClock(epochMs, timeZone);
  const midnightAsUtc = Date.UTC(w.year, w.month - 1, w.day);
  // The offset at midnight may differ from now (DST): settle it in two steps.
  const first = midnightAsUtc - offsetAt(midnightAsUtc, timeZone);
  return midnightAsUtc - offsetAt(first, timeZone);
}

/** `YYYY-MM-DD` of the instant in the time zone. */
export function localDate(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/**
 * The starts of the last `count` local days, oldest first, the last one being today's; each day
 * is as long as it really is (23 or 25 hours on DST changes). Returns `count + 1` boundaries:
 * the last is the start of tomorrow.
 */
export function localDayBoundaries(now: number, timeZone: string, count: number): number[] {
  const boundaries = [startOfLocalDay(now, timeZone)];
  for (let i = 1; i < count; i++) boundaries.unshift(startOfLocalDay((boundaries[0] ?? now) - 1, timeZone));
  const today = boundaries[boundaries.length - 1] ?? now;
  boundaries.push(startOfLocalDay(today + 36 * 3_600_000, timeZone));
  return boundaries;
}

/** Monday 00:00 of the local week containing the instant. */
export function startOfLocalWeek(epochMs: number, timeZone: string): number {
  let start = startOfLocalDay(epochMs, timeZone);
  const w = wallClock(start + 12 * 3_600_000, timeZone);
  const weekday = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  for (let i = 0; i < (weekday + 6) % 7; i++) start = startOfLocalDay(start - 1, timeZone);
  return start;
}
