import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** A break between focus intervals: a countdown on this page only, never recorded. */
export type BreakState =
  { kind: 'none' } | { kind: 'running'; endsAt: number; minutes: number; now: number } | { kind: 'over' };

const TICK_MS = 250;

export type Break = ReturnType<typeof useBreak>;

export function useBreak(onOver: () => void) {
  const [state, setState] = useState<BreakState>({ kind: 'none' });
  const onOverRef = useRef(onOver);
  onOverRef.current = onOver;

  const running = state.kind === 'running' ? state : null;
  const endsAt = running?.endsAt;
  useEffect(() => {
    if (endsAt === undefined) return;
    const timer = setInterval(() => {
      const now = Date.now();
      if (now >= endsAt) {
        setState({ kind: 'over' });
        onOverRef.current();
      } else {
        setState((current) => (current.kind === 'running' ? { ...current, now } : current));
      }
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [endsAt]);

  const start = useCallback((minutes: number) => {
    const now = Date.now();
    setState({ kind: 'running', endsAt: now + minutes * 60_000, minutes, now });
  }, []);
  /** Ends the break early (no alert). */
  const finish = useCallback(() => setState((current) => (current.kind === 'none' ? current : { kind: 'over' })), []);
  const clear = useCallback(() => setState({ kind: 'none' }), []);

  return { state, start, finish, clear };
}
