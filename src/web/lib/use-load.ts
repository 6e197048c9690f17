import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from './api.js';

export type Loaded<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; data: T };

/**
 * Loads data once on mount; every outcome ends in `ready` or `error` (never stuck on
 * loading), and `retry` starts again.
 */
export function useLoad<T>(load: () => Promise<T>) {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async () => {
    setState({ status: 'loading' });
    let outcome: Loaded<T> | undefined;
    try {
      outcome = { status: 'ready', data: await loadRef.current() };
    } catch (error) {
      outcome = { status: 'error', message: errorMessage(error) };
    } finally {
      // Whatever happened, the spinner goes.
      setState(outcome ?? { status: 'error', message: 'Something went wrong. Please try again.' });
    }
  }, []);

  useEffect(() => {
    void run();
  }, [run]);

  const retry = useCallback(() => void run(), [run]);
  const setData = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return { state, retry, setData };
}
