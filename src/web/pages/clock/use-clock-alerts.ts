import { useEffect, useRef } from 'preact/hooks';
import { useTimerEnd } from '../../lib/timer-hooks.js';
import { beep, showNotification, unlockAudio } from './alerts.js';
import type { Preferences } from './preferences.js';

/**
 * Sound and notification as the preferences say: when a run ends by itself, and through the
 * returned `announce` (the end of a break). Any click or key on the page unlocks the sound,
 * since browsers allow it only after a gesture.
 */
export function useClockAlerts(preferences: Preferences): (title: string, body: string) => void {
  const current = useRef(preferences);
  current.current = preferences;
  const announce = useRef((title: string, body: string) => {
    if (current.current.sound) beep();
    if (current.current.notify) showNotification(title, body);
  }).current;

  useTimerEnd((reason, timer) => {
    if (reason === 'target') {
      announce('Interval complete', timer.label ? `Done: ${timer.label}. Time for a break.` : 'Time for a break.');
    } else {
      announce('Focus timer stopped', 'The run reached the longest time allowed.');
    }
  });

  useEffect(() => {
    const unlock = () => {
      if (current.current.sound) unlockAudio();
    };
    addEventListener('pointerdown', unlock, true);
    addEventListener('keydown', unlock, true);
    return () => {
      removeEventListener('pointerdown', unlock, true);
      removeEventListener('keydown', unlock, true);
    };
  }, []);

  return announce;
}
