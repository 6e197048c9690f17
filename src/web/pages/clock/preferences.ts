/** How the next focus run is started; kept in localStorage on this device. */
export type Mode = 'stopwatch' | 'pomodoro-25' | 'pomodoro-50' | 'custom';

export interface Preferences {
  mode: Mode;
  /** Custom focus interval, 1–240 minutes. */
  customFocus: number;
  /** Custom break, 1–60 minutes. */
  customBreak: number;
  sound: boolean;
  notify: boolean;
}

export const FOCUS_LIMITS = { min: 1, max: 240 } as const;
export const BREAK_LIMITS = { min: 1, max: 60 } as const;

export const MODES: readonly { mode: Mode; label: string; focus: number | null; pause: number | null }[] = [
  { mode: 'stopwatch', label: 'Stopwatch', focus: null, pause: null },
  { mode: 'pomodoro-25', label: '25 / 5 min', focus: 25, pause: 5 },
  { mode: 'pomodoro-50', label: '50 / 10 min', focus: 50, pause: 10 },
  { mode: 'custom', label: 'Custom', focus: null, pause: null },
];

const DEFAULTS: Preferences = { mode: 'stopwatch', customFocus: 25, customBreak: 5, sound: true, notify: false };
const STORAGE_KEY = 'codechicks:clock-preferences';

function clampInt(value: unknown, limits: { min: number; max: number }, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= limits.min && value <= limits.max
    ? value
    : fallback;
}

export function readPreferences(): Preferences {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Record<keyof Preferences, unknown>>;
    if (raw === null || typeof raw !== 'object') return DEFAULTS;
    return {
      mode: MODES.some((entry) => entry.mode === raw.mode) ? (raw.mode as Mode) : DEFAULTS.mode,
      customFocus: clampInt(raw.customFocus, FOCUS_LIMITS, DEFAULTS.customFocus),
      customBreak: clampInt(raw.customBreak, BREAK_LIMITS, DEFAULTS.customBreak),
      sound: typeof raw.sound === 'boolean' ? raw.sound : DEFAULTS.sound,
      notify: typeof raw.notify === 'boolean' ? raw.notify : DEFAULTS.notify,
    };
  } catch {
    return DEFAULTS;
  }
}

/** Keeps `preferences` on this device (a failure only means they are not remembered). */
export function savePreferences(preferences: Preferences): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(preferences));
  } catch {
    // Not remembered, still used on this page.
  }
}

/** Focus minutes of the chosen mode, or null for a plain stopwatch. */
export function focusMinutes(preferences: Preferences): number | null {
  if (preferences.mode === 'custom') return preferences.customFocus;
  return MODES.find((entry) => entry.mode === preferences.mode)?.focus ?? null;
}

/** Break minutes after an interval of `targetMs`: the chosen mode's, else about a fifth of it. */
export function breakMinutes(preferences: Preferences, targetMs: number | null): number {
  if (preferences.mode === 'custom') return preferences.customBreak;
  const preset = MODES.find((entry) => entry.mode === preferences.mode)?.pause;
  if (preset) return preset;
  const focus = targetMs === null ? 25 : targetMs / 60_000;
  return Math.min(BREAK_LIMITS.max, Math.max(BREAK_LIMITS.min, Math.round(focus / 5)));
}
