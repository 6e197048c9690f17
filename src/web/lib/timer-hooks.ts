import { createContext } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import type { TimerState } from '../../protocol/timer.js';
import { useStore } from './store.js';
import type { EndReason, FocusTimer, TimerSnapshot } from './timer-store.js';

/** The signed-in page's focus timer (`SignedInPage` makes it once the user is known). */
export const FocusTimerContext = createContext<FocusTimer | null>(null);

export function useFocusTimer(): FocusTimer {
  const timer = useContext(FocusTimerContext);
  if (timer === null) throw new Error('useFocusTimer outside a signed-in page');
  return timer;
}

/** The timer's state, re-rendering on every change and once a second while it runs. */
export function useTimer(): TimerSnapshot {
  return useStore(useFocusTimer().state);
}

/** Runs `handler` with each newer timer state; the latest handler is used without resubscribing. */
export function useTimerChange(handler: (previous: TimerState | null, next: TimerState) => void): void {
  const { changed } = useFocusTimer();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => changed.on((previous, next) => ref.current(previous, next)), [changed]);
}

/** Runs `handler` once per run that ends by itself (target reached or the longest run). */
export function useTimerEnd(handler: (reason: EndReason, timer: TimerState) => void): void {
  const { ended } = useFocusTimer();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => ended.on((reason, timer) => ref.current(reason, timer)), [ended]);
}
