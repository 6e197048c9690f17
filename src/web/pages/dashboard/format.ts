import { formatCount } from '../../lib/format.js';

/**
 * A duration for people, in whole minutes (never rounded up): "0 min", "<1 min", "25 min",
 * "1 h", "1 h 25 min", "1,204 h 5 min". A missing value is a dash.
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '–';
  const total = Math.max(0, Math.floor(seconds));
  if (total > 0 && total < 60) return '<1 min';
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${formatCount(hours)} h` : `${formatCount(hours)} h ${minutes} min`;
}

/** Seconds → minutes with one decimal: what the focus chart draws (5100 s → 85). */
export function minutesOf(seconds: number): number {
  return Math.round(seconds / 6) / 10;
}

/** "1 day", "3 days". */
export function formatDays(days: number | null | undefined): string {
  if (typeof days !== 'number' || !Number.isFinite(days)) return '–';
  return `${formatCount(days)} ${days === 1 ? 'day' : 'days'}`;
}

/** "1 message", "12 messages". */
export function formatMessages(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'message' : 'messages'}`;
}

/** "1 session", "4 sessions". */
export function formatSessions(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'session' : 'sessions'}`;
}

/** "42.5 min" (an average, one decimal at most). */
export function formatMinutes(minutes: number | null | undefined): string {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes)) return '–';
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(minutes)} min`;
}
