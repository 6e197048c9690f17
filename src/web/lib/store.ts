import { useEffect, useLayoutEffect, useState } from 'preact/hooks';

/**
 * The pages' one state idiom: a value that changes, held outside components, read with
 * `useStore` (the `useSyncExternalStore` contract: subscribe, read a snapshot, re-render when it
 * changed). A store is an instance (made by the page, or by the feature object the page makes),
 * never a module-level variable, so a page mounted twice (or a test) starts fresh.
 */
export interface Store<T> {
  get: () => T;
  /** Merges `changes` (or applies `update`); listeners run only when something changed. */
  set: (changes: Partial<T> | ((current: T) => T)) => void;
  subscribe: (listener: () => void) => () => void;
}

export function createStore<T extends object>(initial: T): Store<T> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(changes) {
      const next = typeof changes === 'function' ? changes(state) : merged(state, changes);
      if (next === state) return;
      state = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** `state` with `changes`, or `state` itself when they change nothing. */
function merged<T extends object>(state: T, changes: Partial<T>): T {
  const keys = Object.keys(changes) as (keyof T)[];
  return keys.some((key) => !Object.is(state[key], changes[key])) ? { ...state, ...changes } : state;
}

/**
 * The part of `store` a component shows; it re-renders when that part changes. `select` must
 * return a value held in the state (or a primitive), not a new object on each call.
 */
export function useStore<T>(store: Store<T>): T;
export function useStore<T, S>(store: Store<T>, select: (state: T) => S): S;
export function useStore<T, S>(store: Store<T>, select?: (state: T) => S): T | S {
  const read = () => (select ? select(store.get()) : store.get());
  const value = read();
  // The algorithm of preact/compat's useSyncExternalStore, without importing preact/compat (whose
  // module changes Preact's options for React code, and adds 6 kB to every signed-in page).
  const [{ box }, rerender] = useState({ box: { value, read } });
  useLayoutEffect(() => {
    box.value = value;
    box.read = read;
    if (!Object.is(box.value, box.read())) rerender({ box });
  });
  useEffect(() => {
    const check = () => {
      if (!Object.is(box.value, box.read())) rerender({ box });
    };
    check();
    return store.subscribe(check);
  }, [store, box]);
  return value;
}

/** Something that happens (not a state): a run ended, a newer state arrived. */
export interface Emitter<A extends unknown[]> {
  emit: (...args: A) => void;
  on: (listener: (...args: A) => void) => () => void;
}

export function createEmitter<A extends unknown[]>(): Emitter<A> {
  const listeners = new Set<(...args: A) => void>();
  return {
    emit(...args) {
      for (const listener of [...listeners]) listener(...args);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
