/**
 * What the issue-10 benchmarks share: the app's database and people, the sender, and the method
 * of bench/README.md (server on CPU 0, load on CPU 1; baseline and app interleaved three times
 * after a warm-up; the median of the ratios with their min and max).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { appEnv } from '../lib/api.js';
import { epochNow, markedContent, type Fleet } from '../lib/fleet.js';
import { seedPeople, type People } from '../lib/people.js';
import { round } from '../lib/stats.js';
import { sleep } from '../lib/ws-clients.js';

export interface EdgeOptions {
  log: (line: string) => void;
  /** Write a CPU profile of each app server process into this folder (`--cpu-prof`). */
  cpuProfileDir?: string;
}

/** A temporary SQLite app with `count` seeded, signed-in people; `dispose` removes it. */
export async function edgeApp(name: string, count: number) {
  const dir = mkdtempSync(path.join(tmpdir(), `codechicks-bench-${name}-`));
  const env = appEnv(`sqlite:${path.join(dir, `${name}.db`)}`, dir);
  let people: People;
  try {
    people = await seedPeople(env, count);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { env, people, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export const wsUrl = (port: number) => `ws://127.0.0.1:${port}/ws`;

/** The spread of a series of ratios: what the method reports. */
export interface Ratio {
  median: number;
  min: number;
  max: number;
  each: number[];
}

export function ratioOf(values: readonly number[]): Ratio {
  const sorted = [...values].sort((a, b) => a - b);
  const median =
    sorted.length === 0
      ? 0
      : sorted.length % 2 === 1
        ? (sorted[(sorted.length - 1) / 2] ?? 0)
        : ((sorted[sorted.length / 2 - 1] ?? 0) + (sorted[sorted.length / 2] ?? 0)) / 2;
  return {
    median: round(median),
    min: round(sorted[0] ?? 0),
    max: round(sorted.at(-1) ?? 0),
    each: values.map(round),
  };
}

/** How many rounds, and whether a warm-up of each goes first (the smoke run has none). */
export interface Rounds {
  rounds: number;
  warmup: boolean;
}

export const METHOD: Rounds = { rounds: 3, warmup: true };

/**
 * A warm-up of each, then `rounds` rounds of baseline then app; `ratio(app, baseline)` per round.
 * Warm-up runs are returned apart and count in no ratio.
 */
export async function interleaved<R>(
  { rounds, warmup: warm }: Rounds,
  run: (which: 'baseline' | 'app', round: number) => Promise<R>,
  log: (line: string) => void,
): Promise<{ warmup?: { baseline: R; app: R }; rounds: { baseline: R; app: R }[] }> {
  let warmup: { baseline: R; app: R } | undefined;
  if (warm) {
    log('  warm-up');
    warmup = { baseline: await run('baseline', 0), app: await run('app', 0) };
  }
  const measured: { baseline: R; app: R }[] = [];
  for (let r = 1; r <= rounds; r++) {
    log(`  round ${r} of ${rounds}`);
    const baseline = await run('baseline', r);
    const app = await run('app', r);
    measured.push({ baseline, app });
  }
  return { ...(warmup === undefined ? {} : { warmup }), rounds: measured };
}

/** The one socket that sends: `message.send` frames with marked content, acks counted (app only). */
export interface Sender {
  send(seq: number, bytes: number): void;
  /** The id of the newest message the server acknowledged (app only). */
  lastAckedId(): number;
  acks(): number;
  errors(): { count: number; first?: string };
  close(): void;
}

export async function openSender(url: string, cookie: string): Promise<Sender> {
  const ws = new WebSocket(url, { headers: { cookie }, perMessageDeflate: false });
  let acks = 0;
  let lastId = 0;
  let errors = 0;
  let first: string | undefined;
  ws.on('message', (data: Buffer) => {
    const value = JSON.parse(data.toString('utf8')) as unknown;
    for (const event of (Array.isArray(value) ? value : [value]) as { type: string; message?: { id: number } }[]) {
      if (event.type === 'ack') {
        acks += 1;
        lastId = Math.max(lastId, event.message?.id ?? 0);
      } else if (event.type === 'error') {
        errors += 1;
        first ??= JSON.stringify(event).slice(0, 200);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    send(seq, bytes) {
      const content = markedContent(seq, epochNow(), bytes);
      ws.send(JSON.stringify({ type: 'message.send', ref: String(seq), content, client_id: randomUUID() }));
    },
    lastAckedId: () => lastId,
    acks: () => acks,
    errors: () => ({ count: errors, ...(first === undefined ? {} : { first }) }),
    close: () => ws.terminate(),
  };
}

/** Open loop: message k is due at k / rate seconds after the start, whatever the answers. */
export async function sendAtRate(sender: Sender, messages: number, ratePerSecond: number, bytes: number) {
  const interval = 1000 / ratePerSecond;
  const started = performance.now();
  for (let seq = 0; seq < messages; seq++) {
    const wait = started + seq * interval - performance.now();
    if (wait > 0) await sleep(wait);
    sender.send(seq, bytes);
  }
  return (performance.now() - started) / 1000;
}

/** Polls `done` every 100 ms up to `maxMs`; true when it came true. */
export async function until(done: () => Promise<boolean>, maxMs: number): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  while (performance.now() < deadline) {
    if (await done()) return true;
    await sleep(100);
  }
  return false;
}

/**
 * Waits until the fleet received nothing for `quietMs` (the connect wave's presence frames have
 * settled), at most `maxMs`; true when it went quiet.
 */
export async function settle(fleet: Fleet, quietMs = 1_000, maxMs = 120_000): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  let last = -1;
  let since = performance.now();
  while (performance.now() < deadline) {
    const { frames } = await fleet.stats();
    if (frames !== last) {
      last = frames;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) {
      return true;
    }
    await sleep(200);
  }
  return false;
}
