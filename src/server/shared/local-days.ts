import { localDate, startOfLocalDay } from './time.js';

export interface DayShare {
  /** `YYYY-MM-DD` in the time zone. */
  day: string;
  focusMs: number;
  /** 1 on the day the run started, 0 on the others: each run is counted once. */
  runs: number;
}

/** How a run of [start, end) falls on the local days of a time zone (a run across midnight on each). */
export function localDayShares(start: number, end: number, timeZone: string): DayShare[] {
  const shares: DayShare[] = [{ day: localDate(start, timeZone), focusMs: 0, runs: 1 }];
  for (let t = start; t < end;) {
    const dayStart = startOfLocalDay(t, timeZone);
    const nextDay = startOfLocalDay(dayStart + 36 * 3_600_000, timeZone);
    const day = localDate(dayStart + 12 * 3_600_000, timeZone);
    const until = Math.min(end, nextDay);
    const share = shares.find((s) => s.day === day) ?? { day, focusMs: 0, runs: 0 };
    if (!shares.includes(share)) shares.push(share);
    share.focusMs += until - t;
    t = until;
  }
  return shares;
}
