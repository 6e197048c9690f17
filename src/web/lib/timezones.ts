import { currentZoneName } from '../../protocol/timezones.js';

/** The browser's own time zone, e.g. `Europe/Berlin` (UTC when it cannot tell). */
export function browserTimeZone(): string {
  try {
    return currentZoneName(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  } catch {
    return 'UTC';
  }
}

/** Every IANA zone the browser knows, sorted, always including the ones given. */
export function timeZoneOptions(...include: (string | null | undefined)[]): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const all = new Set(['UTC', ...zones.map(currentZoneName)]);
  for (const zone of include) if (zone) all.add(zone);
  return [...all].sort((a, b) => a.localeCompare(b));
}
