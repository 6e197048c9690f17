import { useEffect, useRef, useState } from 'preact/hooks';
import type { TimerState } from '../../protocol/timer.js';
import { getTimerSnapshot, onTimerChange, onTimerEnd, subscribeTimer, type EndReason } from './timer-store.js';
import type { TimerSnapshot } from './timer-store.js';

/** The shared timer, re-rendering on every change and once a second while it runs. */
export function useTimer(): TimerSnapshot {
  const [current, setCurrent] = useState(getTimerSnapshot);
  useEffect(() => {
    const unsubscribe = subscribeTimer(() => setCurrent(getTimerSnapshot()));
    // A change between the first render and subscribing is not lost.
    setCurrent(getTimerSnapshot());
    return unsubscribe;
  }, []);
  return current;
}

/** Runs `handler` with each newer timer state; the latest handler is used without resubscribing. */
export function useTimerChange(handler: (previous: TimerState | null, next: TimerState) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => onTimerChange((previous, next) => ref.current(previous, next)), []);
}

/** Runs `handler` once per run that ends by itself (target reached or the longest run). */
export function useTimerEnd(handler: (reason: EndReason, timer: TimerState) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => onTimerEnd((reason, timer) => ref.current(reason, timer)), []);
}
