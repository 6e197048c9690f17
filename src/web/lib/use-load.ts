import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from './api.js';

export type Loaded<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; data: T };

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * "Latest request wins": `run(request, apply)` applies the outcome (the answer, or the error as
 * readable text) only if no newer request was run meanwhile and the component is still mounted,
 * so an older answer arriving late never overwrites a newer one.
 */
export function useLatest() {
  const ticket = useRef(0);
  useEffect(
    () => () => {
      ticket.current += 1;
    },
    [],
  );
  return useCallback(async <T>(request: () => Promise<T>, apply: (outcome: Outcome<T>) => void): Promise<void> => {
    const mine = ++ticket.current;
    let outcome: Outcome<T>;
    try {
      outcome = { ok: true, value: await request() };
    } catch (error) {
      outcome = { ok: false, message: errorMessage(error) };
    }
    if (mine === ticket.current) apply(outcome);
  }, []);
}

/**
 * Loads data on mount and keeps the latest answer. Every outcome ends in `ready` or `error`
 * (never stuck on loading), and `retry` starts again with the spinner. `reload` asks again
 * quietly: the data stays shown, and a failure is kept in `refreshError` instead (with nothing
 * shown yet, the error and Retry show).
 */
export function useLoad<T>(load: () => Promise<T>) {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const latest = useLatest();

  const show = useCallback((data: T) => {
    setState({ status: 'ready', data });
    setRefreshError(null);
  }, []);

  const run = useCallback(
    (quiet: boolean) => {
      if (!quiet) setState({ status: 'loading' });
      return latest(
        () => loadRef.current(),
        (outcome) => {
          if (outcome.ok) {
            show(outcome.value);
            return;
          }
          if (quiet) setRefreshError(outcome.message);
          setState((current) =>
            quiet && current.status === 'ready' ? current : { status: 'error', message: outcome.message },
          );
        },
      );
    },
    [latest, show],
  );

  useEffect(() => {
    void run(false);
  }, [run]);

  const retry = useCallback(() => void run(false), [run]);
  const reload = useCallback(() => run(true), [run]);
  /**
   * Sends a change that answers with the whole data (say, a new order) and shows the answer as a
   * read's, so nothing needs reading again; a read or change started after it wins. A failed
   * change throws (its form shows why).
   */
  const save = useCallback(
    async (change: () => Promise<T>): Promise<void> => {
      const sent = change();
      await latest(
        () => sent,
        (outcome) => {
          if (outcome.ok) show(outcome.value);
        },
      );
      await sent; // a failed change throws here, to its caller
    },
    [latest, show],
  );
  const setData = useCallback((data: T) => setState({ status: 'ready', data }), []);
  /** Changes the data shown (an edit answered), if there is any. */
  const update = useCallback(
    (change: (data: T) => T) =>
      setState((current) => (current.status === 'ready' ? { ...current, data: change(current.data) } : current)),
    [],
  );
  return { state, refreshError, retry, reload, save, setData, update };
}
