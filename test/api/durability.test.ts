import { afterAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/chat.js';
import type { FocusSession, TimerState } from '../../src/protocol/timer.js';
import type { DatabaseHandle } from '../../src/server/db/database.js';
import { openTestDatabase, testDialects } from '../helpers/database.js';
import { callJson, sleep } from '../helpers/http.js';
import { registerUserAt, startServerProcess, type HttpUser, type ServerProcess } from '../helpers/server-process.js';
import { openSocket, type TestSocket } from '../helpers/socket.js';

const CLIENTS = 5;
const MESSAGES_PER_CLIENT = 400;
/** The kill comes once this many messages are acknowledged: in the middle of the 2,000. */
const KILL_AFTER_ACKS = (CLIENTS * MESSAGES_PER_CLIENT) / 2;
const TIMER_CYCLES_PER_CLIENT = 150;

/**
 * A client that posts its messages in order, even ones over HTTP and odd ones over its
 * WebSocket, and after a failure retries the same `client_id` as the page does.
 */
function poster(index: number, user: HttpUser) {
  const acknowledged = new Map<string, number>();
  let socket: TestSocket | undefined;
  let next = 0;
  const clientId = (k: number) => `c${index}-m${k}`;

  const sendOnce = async (base: string, k: number): Promise<Message> => {
    if (k % 2 === 0) {
      const r = await callJson<Message>(base, user.auth, 'POST', '/api/chat/messages', {
        content: clientId(k),
        client_id: clientId(k),
      });
      if (r.status !== 201) throw new Error(`POST answered ${r.status}`);
      return r.json;
    }
    socket ??= await openSocket(base, { token: user.token });
    const open = socket;
    const ref = `r${k}`;
    const ack = open.next('ack', (e) => e.ref === ref, 30_000);
    open.send({ type: 'message.send', ref, content: clientId(k), client_id: clientId(k) });
    const lost = open.closed.then(() => {
      throw new Error('socket closed before the ack');
    });
    return (await Promise.race([ack, lost])).message;
  };

  return {
    acknowledged,
    /** Sends until done or until one send fails (the server went away). */
    async run(base: string, retries: number): Promise<void> {
      while (next < MESSAGES_PER_CLIENT) {
        let message: Message | undefined;
        for (let attempt = 0; message === undefined; attempt++) {
          try {
            message = await sendOnce(base, next);
          } catch {
            socket = undefined;
            if (attempt >= retries) return;
            await sleep(200);
          }
        }
        acknowledged.set(clientId(next), message.id);
        next += 1;
      }
    },
    async close() {
      await socket?.close();
    },
  };
}

/** Start/pause cycles, each run with its own label; resolves with the labels whose pause was answered. */
async function cycleTimer(base: string, user: HttpUser, index: number, stopWhen: () => boolean): Promise<string[]> {
  const answered: string[] = [];
  for (let c = 0; c < TIMER_CYCLES_PER_CLIENT && !stopWhen(); c++) {
    const label = `run-${index}-${c}`;
    try {
      const started = await callJson<TimerState>(base, user.auth, 'POST', '/api/timer/start', { label });
      expect(started.json.state).toBe('running');
      // A run of 0 ms is not recorded: let at least one millisecond pass.
      await sleep(3);
      const paused = await callJson<TimerState>(base, user.auth, 'POST', '/api/timer/pause');
      expect(paused.status).toBe(200);
      expect(paused.json.state).toBe('paused');
      answered.push(label);
    } catch (error) {
      if (error instanceof TypeError || (error as Error).name === 'TimeoutError') return answered;
      throw error;
    }
  }
  return answered;
}

describe.each(testDialects())('a SIGKILL mid-traffic on %s', (dialect) => {
  let database: DatabaseHandle & { url: string };
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop();
    await database?.close();
  });

  it('keeps every acknowledged message exactly once and every answered timer run', { timeout: 240_000 }, async () => {
    database = await openTestDatabase(dialect);
    server = await startServerProcess({ env: { DATABASE_URL: database.url, RATE_LIMIT_FACTOR: '1000' } });
    const base = server.baseUrl;
    const users = await Promise.all(Array.from({ length: CLIENTS }, () => registerUserAt(base)));
    const posters = users.map((user, index) => poster(index, user));
    const ackCount = () => posters.reduce((sum, p) => sum + p.acknowledged.size, 0);

    let killed = false;
    const timers = Promise.all(users.map((user, index) => cycleTimer(base, user, index, () => killed)));
    const traffic = Promise.all(posters.map((p) => p.run(base, 0)));
    const deadline = Date.now() + 120_000;
    while (ackCount() < KILL_AFTER_ACKS && Date.now() < deadline) await sleep(5);
    const ackedBeforeKill = ackCount();
    await server.kill();
    killed = true;
    await traffic;
    const answeredRuns = await timers;
    // The kill came in the middle: some were acknowledged before it, some are still to send.
    expect(ackedBeforeKill).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(ackCount()).toBeLessThan(CLIENTS * MESSAGES_PER_CLIENT);
    const beforeKill = new Map(posters.flatMap((p) => [...p.acknowledged]));

    await server.start();
    // After the restart each client goes on, first retrying the send the kill interrupted.
    await Promise.all(posters.map((p) => p.run(base, 20)));
    await Promise.all(posters.map((p) => p.close()));
    expect(ackCount()).toBe(CLIENTS * MESSAGES_PER_CLIENT);

    const rows = await database.db
      .selectFrom('messages')
      .select(['id', 'content', 'client_id'])
      .orderBy('id')
      .execute();
    const byContent = new Map<string, number[]>();
    for (const row of rows) byContent.set(row.content, [...(byContent.get(row.content) ?? []), row.id]);
    for (const [clientId, id] of beforeKill) expect(byContent.get(clientId), clientId).toEqual([id]);
    for (const p of posters) for (const [clientId, id] of p.acknowledged) expect(byContent.get(clientId)).toEqual([id]);
    expect(rows).toHaveLength(CLIENTS * MESSAGES_PER_CLIENT);

    expect(answeredRuns.flat().length).toBeGreaterThan(0);
    for (const [index, user] of users.entries()) {
      const history = await callJson<FocusSession[]>(base, user.auth, 'GET', '/api/timer/sessions?limit=1000');
      const labels = history.json.map((s) => s.label);
      for (const label of answeredRuns[index] ?? [])
        expect(
          labels.filter((l) => l === label),
          label,
        ).toHaveLength(1);
    }
  });
});
