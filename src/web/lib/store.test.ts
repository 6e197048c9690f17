import { describe, expect, it } from 'vitest';
import { createEmitter, createStore } from './store.js';

describe('createStore', () => {
  it('tells its listeners only when a value changed, and stops telling one that left', () => {
    const store = createStore({ count: 0, name: 'Ann' });
    const seen: number[] = [];
    const stop = store.subscribe(() => seen.push(store.get().count));

    store.set({ count: 1 });
    store.set({ count: 1, name: 'Ann' });
    store.set((state) => state);
    store.set((state) => ({ ...state, count: state.count + 1 }));
    stop();
    store.set({ count: 3 });

    expect(seen).toEqual([1, 2]);
    expect(store.get()).toEqual({ count: 3, name: 'Ann' });
  });

  it('keeps each instance apart', () => {
    const first = createStore({ open: false });
    const second = createStore({ open: false });
    first.set({ open: true });
    expect(second.get().open).toBe(false);
  });
});

describe('createEmitter', () => {
  it('calls every listener with the arguments, until it stops listening', () => {
    const ended = createEmitter<[reason: string, id: number]>();
    const heard: string[] = [];
    const stop = ended.on((reason, id) => heard.push(`${reason}:${id}`));
    ended.emit('target', 1);
    stop();
    ended.emit('max', 2);
    expect(heard).toEqual(['target:1']);
  });
});
