import type { MessageList } from '../../src/protocol/chat.js';
import { decodeFrame } from '../../src/protocol/events.js';
import { callJson, sleep } from './http.js';
import { openSocket, type TestSocket } from './socket.js';

/**
 * A client that keeps the chat as the page does (`src/web/pages/chat/sync.ts`): messages merged
 * by id; after every (re)connect and its `hello`, a catch-up `after=<cursor>` looping while
 * `has_more`; live events move the cursor only once that catch-up ran on the same connection.
 */
export interface ChatFollower {
  /** Held messages by id (what the page would list, in id order). */
  readonly held: Map<number, string>;
  /** Whether the current connection is open and caught up. */
  readonly caughtUp: boolean;
  connect(): Promise<void>;
  /** Kills the socket as a lost network would (no close handshake) and connects again. */
  churn(): Promise<void>;
  close(): Promise<void>;
}

const CONNECT_ATTEMPTS = 10;

export function followChat(baseUrl: string, token: string): ChatFollower {
  const held = new Map<number, string>();
  const auth = { authorization: `Bearer ${token}` };
  let cursor = 0;
  let generation = 0;
  let caughtUp = false;
  let socket: TestSocket | undefined;

  const catchUp = async (forGeneration: number) => {
    let after = cursor;
    for (;;) {
      const page = await callJson<MessageList>(baseUrl, auth, 'GET', `/api/chat/messages?after=${after}&limit=100`);
      if (page.status !== 200) throw new Error(`catch-up answered ${page.status}`);
      for (const m of page.json.messages) held.set(m.id, m.content);
      const last = page.json.messages.at(-1);
      if (last !== undefined) after = last.id;
      if (!page.json.has_more || last === undefined) break;
    }
    cursor = Math.max(cursor, after);
    if (forGeneration === generation) caughtUp = true;
  };

  /** Like the page: a refused handshake or a failed catch-up is tried again after a pause. */
  const connect = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await connectOnce();
      } catch (error) {
        if (attempt >= CONNECT_ATTEMPTS) throw error;
        await sleep(200 * attempt);
      }
    }
  };

  const connectOnce = async () => {
    socket?.ws.terminate();
    generation += 1;
    caughtUp = false;
    const mine = generation;
    const opened = await openSocket(baseUrl, { token });
    socket = opened;
    opened.ws.on('message', (data: Buffer) => {
      for (const event of decodeFrame(data.toString())) {
        if (event.type !== 'message.created') continue;
        held.set(event.message.id, event.message.content);
        if (caughtUp && mine === generation) cursor = Math.max(cursor, event.message.id);
      }
    });
    void opened.closed.then(() => {
      if (mine === generation) caughtUp = false;
    });
    await opened.next('hello', undefined, 30_000);
    await catchUp(mine);
  };

  return {
    held,
    get caughtUp() {
      return caughtUp;
    },
    connect,
    async churn() {
      const old = socket;
      generation += 1;
      caughtUp = false;
      old?.ws.terminate();
      await old?.closed;
      await connect();
    },
    async close() {
      generation += 1;
      await socket?.close();
    },
  };
}
