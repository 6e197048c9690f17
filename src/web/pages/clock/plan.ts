import type { StartTimerBody } from '../../../protocol/timer.js';
import { readAnnounce } from '../../lib/announce.js';
import { createStore, type Store } from '../../lib/store.js';
import { clockOf, type FocusTimer } from '../../lib/timer-store.js';
import { focusMinutes, readPreferences, savePreferences, type Preferences } from './preferences.js';
import { LABEL_MAX } from './session-row.js';

/** What the next run will be: the interval chosen, the label typed, and what is wrong with them. */
export interface PlanState {
  preferences: Preferences;
  label: string;
  labelError: string | null;
  /** The custom minutes typed are not a valid interval. */
  focusError: string | null;
}

export interface ClockPlan {
  readonly state: Store<PlanState>;
  updatePreferences: (changes: Partial<Preferences>) => void;
  /** The label typed (its error goes). */
  setLabel: (label: string) => void;
  /** The label from the server, shown unless something else was typed since the last one. */
  followServerLabel: (label: string) => void;
  setFocusError: (error: string | null) => void;
  /** Starts (or resumes) with the label typed, or with a goal's title when started from it. */
  start: (fromTask?: string) => void;
}

export function createClockPlan(timer: FocusTimer): ClockPlan {
  const state = createStore<PlanState>({
    preferences: readPreferences(),
    label: '',
    labelError: null,
    focusError: null,
  });
  let serverLabel: string | null = null;

  return {
    state,
    updatePreferences(changes) {
      const preferences = { ...state.get().preferences, ...changes };
      savePreferences(preferences);
      state.set({ preferences });
    },
    setLabel: (label) => state.set({ label, labelError: null }),
    followServerLabel(label) {
      if (serverLabel === null || state.get().label === serverLabel) state.set({ label });
      serverLabel = label;
    },
    setFocusError: (focusError) => state.set({ focusError }),
    start(fromTask) {
      const { timer: current, offset, now } = timer.state.get();
      if (current === null) return;
      const clock = clockOf(current, offset, now);
      if (fromTask !== undefined) state.set({ label: fromTask });
      const { label, preferences, focusError } = state.get();
      const trimmed = label.trim();
      if (trimmed.length > LABEL_MAX) {
        state.set({ labelError: `The label can be at most ${LABEL_MAX} characters.` });
        return;
      }
      state.set({ labelError: null });
      const body: StartTimerBody = { label: trimmed, announce: readAnnounce() };
      // The chosen interval applies to a new run or the next one; resuming keeps the current one.
      if (current.state === 'idle' || clock.phase === 'complete') {
        // The field shows what is wrong with the custom minutes.
        if (preferences.mode === 'custom' && focusError) return;
        const minutes = focusMinutes(preferences);
        if (minutes !== null) body.target_minutes = minutes;
      }
      void timer.startRun(body);
    },
  };
}
