/** Scales and labels for the charts (no JSX here; `.tsx` keeps the chart files together). */

/** Round steps within one power of ten. */
const STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/**
 * A round top for an axis at or above `max`, twice a round step so the half-way line is round
 * too: 85 → 100, 120 → 120, 3 → 4 (with `integer`, both lines are whole numbers).
 */
export function niceMax(max: number, integer = false): number {
  if (!(max > 0)) return 2;
  const half = max / 2;
  const magnitude = 10 ** Math.floor(Math.log10(half));
  const step = STEPS.map((factor) => factor * magnitude).find(
    (candidate) => candidate >= half && (!integer || Number.isInteger(candidate)),
  );
  return Math.max(integer ? 2 : 1, 2 * (step ?? Math.ceil(half)));
}

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const compactFormat = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/** An axis label: "40", "2.5", "1.2K". */
export function shortNumber(value: number): string {
  return value >= 10_000 ? compactFormat.format(value) : numberFormat.format(value);
}

/** A calendar date as UTC midnight, so formatting never shifts it by the viewer's time zone. */
function dayOf(date: string): Date {
  const [year = NaN, month = NaN, day = NaN] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const longDayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});

/** "9 Mar" (in the viewer's language). */
export function dayLabel(date: string): string {
  const day = dayOf(date);
  return Number.isNaN(day.getTime()) ? date : dayFormat.format(day);
}

/** "Mon 9 Mar" (in the viewer's language). */
export function longDayLabel(date: string): string {
  const day = dayOf(date);
  return Number.isNaN(day.getTime()) ? date : longDayFormat.format(day);
}
