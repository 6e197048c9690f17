import type { FastifyBaseLogger } from 'fastify';
import type { Bus } from '../bus/bus.js';
import type { Clock } from '../context.js';
import type { Db } from '../db/database.js';
import * as repo from './jobs.repository.js';

/** Does the work of one job; throwing leaves it to be tried again when its claim runs out. */
export type JobHandler = (subjectId: number) => Promise<void>;

export interface Scheduler {
  register(kind: string, handler: JobHandler): void;
  /** Reads the table and sleeps until the first due job. */
  start(): void;
  close(): Promise<void>;
}

export interface SchedulerDeps {
  db: Db;
  clock: Clock;
  bus: Bus;
  log: FastifyBaseLogger;
}

/** Jobs taken per wake; a full batch wakes again at once, after other work had its turn. */
export const JOB_BATCH = 50;
/** How long a claim holds: a claimant that died (or hangs) lets another instance retry after it. */
const LEASE_MS = 60_000;
/** The table is read at least this often, in case a `jobs-due` message was lost with the bus. */
const MAX_SLEEP_MS = 60_000;
const RETRY_MS = 5_000;

/** Tells every instance (this one too) that a job is due at `at`, after it was stored. */
export function announceDue(bus: Bus, at: number): void {
  bus.publish({ kind: 'jobs-due', at });
}

/**
 * One timer per instance, set for the first due job of the `scheduled_jobs` table. On waking it
 * claims the due jobs (one conditional update each: of several instances exactly one gets a job)
 * and runs their handlers, then sleeps until the next one. A job stored anywhere is announced on
 * the bus, so a nearer time wakes every instance early.
 */
export function createScheduler({ db, clock, bus, log }: SchedulerDeps): Scheduler {
  const handlers = new Map<string, JobHandler>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let armedFor = Infinity;
  /** The nearest time heard of while a wake was running: its own re-arm must not miss it. */
  let heard = Infinity;
  let running: Promise<void> | null = null;
  let closed = false;
  const stops: (() => void)[] = [];

  function sleepUntil(at: number): void {
    if (closed) return;
    clearTimeout(timer);
    armedFor = at;
    timer = setTimeout(wake, Math.min(Math.max(0, at - clock.now()), MAX_SLEEP_MS));
  }

  function hear(at: number): void {
    heard = Math.min(heard, at);
    if (running === null && at < armedFor) sleepUntil(at);
  }

  function wake(): void {
    timer = undefined;
    armedFor = Infinity;
    if (running !== null) return;
    heard = Infinity;
    running = drain().finally(() => {
      running = null;
      if (heard < armedFor) sleepUntil(heard);
    });
  }

  async function drain(): Promise<void> {
    try {
      const jobs = await repo.claimDue(db, clock.now(), LEASE_MS, JOB_BATCH);
      for (const job of jobs) await run(job);
      if (jobs.length === JOB_BATCH) return sleepUntil(clock.now());
      sleepUntil((await repo.nextDue(db)) ?? clock.now() + MAX_SLEEP_MS);
    } catch (error) {
      if (closed) return;
      log.error({ err: error }, 'The scheduler could not read its jobs; trying again shortly');
      sleepUntil(clock.now() + RETRY_MS);
    }
  }

  async function run(job: repo.Job): Promise<void> {
    const handler = handlers.get(job.kind);
    if (handler === undefined) return log.warn({ job }, 'No handler for this kind of scheduled job');
    try {
      await handler(job.subjectId);
      await repo.finishJob(db, job);
    } catch (error) {
      log.error({ err: error, job }, 'A scheduled job failed; it is tried again when its claim runs out');
    }
  }

  return {
    register(kind, handler) {
      handlers.set(kind, handler);
    },
    start() {
      stops.push(
        bus.subscribe((message) => {
          if (message.kind === 'jobs-due') hear(message.at);
          // Announcements may have been lost while the bus was away: read the table again.
          else if (message.kind === 'resync') hear(clock.now());
        }),
      );
      // A fake clock that jumps: the delay of the current sleep was computed from its old time.
      const stopClock = clock.onChange?.(() => armedFor !== Infinity && sleepUntil(armedFor));
      if (stopClock !== undefined) stops.push(stopClock);
      sleepUntil(clock.now());
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      for (const stop of stops) stop();
      await running;
    },
  };
}
