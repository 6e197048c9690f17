import { describe, expect, it } from 'vitest';
import { elapsedMs, IDLE, pause, reset, settle, start } from './timer.machine.js';

const MIN = 60_000;
const MAX = 8 * 60 * MIN;

describe('the focus timer state machine', () => {
  it('runs, pauses, resumes and resets, recording each run', () => {
    const running = start(IDLE, 0, MAX, { label: 'deep work' });
    expect(running).toEqual({
      next: { state: 'running', runStartedAt: 0, accumulatedMs: 0, label: 'deep work', targetMs: null, endedBy: null },
      finished: [],
    });
    expect(elapsedMs(running.next, 10 * MIN)).toBe(10 * MIN);

    const paused = pause(running.next, 10 * MIN, MAX);
    expect(paused.next).toMatchObject({ state: 'paused', runStartedAt: null, accumulatedMs: 10 * MIN });
    expect(paused.finished).toEqual([{ startedAt: 0, endedAt: 10 * MIN, label: 'deep work' }]);
    expect(elapsedMs(paused.next, 99 * MIN)).toBe(10 * MIN);

    const resumed = start(paused.next, 20 * MIN, MAX);
    expect(resumed.next).toMatchObject({
      state: 'running',
      runStartedAt: 20 * MIN,
      accumulatedMs: 10 * MIN,
      label: 'deep work',
    });
    expect(elapsedMs(resumed.next, 25 * MIN)).toBe(15 * MIN);

    const cleared = reset(resumed.next, 25 * MIN, MAX);
    expect(cleared.next).toEqual({ ...IDLE, label: 'deep work' });
    expect(cleared.finished).toEqual([{ startedAt: 20 * MIN, endedAt: 25 * MIN, label: 'deep work' }]);
  });

  it('is safe to repeat: start while running and pause while paused change nothing', () => {
    const running = start(IDLE, 0, MAX).next;
    expect(start(running, 5 * MIN, MAX, { label: 'ignored' })).toEqual({ next: running, finished: [] });
    const paused = pause(running, 5 * MIN, MAX).next;
    expect(pause(paused, 6 * MIN, MAX)).toEqual({ next: paused, finished: [] });
    expect(reset(IDLE, 0, MAX)).toEqual({ next: IDLE, finished: [] });
  });

  it('ends a pomodoro exactly at its target, lazily, and starts the next interval afresh', () => {
    const running = start(IDLE, 0, MAX, { targetMs: 25 * MIN, label: 'pomodoro' }).next;
    expect(settle(running, 24 * MIN, MAX).finished).toEqual([]);
    const ended = settle(running, 3 * 60 * MIN, MAX);
    expect(ended.next).toMatchObject({ state: 'paused', accumulatedMs: 25 * MIN, endedBy: 'target' });
    expect(ended.finished).toEqual([{ startedAt: 0, endedAt: 25 * MIN, label: 'pomodoro' }]);
    // Pausing long after the end records nothing more.
    expect(pause(running, 3 * 60 * MIN, MAX).finished).toEqual(ended.finished);

    const next = start(ended.next, 4 * 60 * MIN, MAX);
    expect(next.next).toMatchObject({ state: 'running', accumulatedMs: 0, targetMs: 25 * MIN, endedBy: null });
  });

  it('counts earlier runs toward the target', () => {
    let timer = start(IDLE, 0, MAX, { targetMs: 25 * MIN }).next;
    timer = pause(timer, 20 * MIN, MAX).next;
    timer = start(timer, 30 * MIN, MAX).next;
    const ended = settle(timer, 60 * MIN, MAX);
    expect(ended.finished).toEqual([{ startedAt: 30 * MIN, endedAt: 35 * MIN, label: '' }]);
    expect(ended.next.accumulatedMs).toBe(25 * MIN);
  });

  it('ends a forgotten run at MAX_RUN_HOURS, never later', () => {
    const running = start(IDLE, 0, MAX, { label: 'forgot' }).next;
    const ended = settle(running, 22 * 60 * MIN, MAX);
    expect(ended.next).toMatchObject({ state: 'paused', accumulatedMs: MAX, endedBy: 'max' });
    expect(ended.finished).toEqual([{ startedAt: 0, endedAt: MAX, label: 'forgot' }]);
    expect(elapsedMs(ended.next, 22 * 60 * MIN)).toBe(MAX);
  });

  it('applies a new target when resuming, starting afresh if it is already reached', () => {
    const paused = pause(start(IDLE, 0, MAX).next, 30 * MIN, MAX).next;
    const resumed = start(paused, 31 * MIN, MAX, { targetMs: 25 * MIN });
    expect(resumed.next).toMatchObject({ accumulatedMs: 0, targetMs: 25 * MIN, runStartedAt: 31 * MIN });
  });
});
