import type { ClientEvent, ServerEvent } from '../../protocol/chat.js';

/**
 * The page's one WebSocket to `/ws`: reconnects by itself with exponential backoff and jitter,
 * tells listeners every event and every status change, and reports activity so presence can
 * tell online from idle. Pages share it through `getLive()`.
 */
export type LiveStatus = 'connecting' | 'open' | 'reconnecting';

type EventOf<T extends ServerEvent['type']> = Extract<ServerEvent, { type: T }>;
type Handler<T extends ServerEvent['type']> = (event: EventOf<T>) => void;

export interface Live {
  readonly status: LiveStatus;
  /** True once a socket has opened at least once on this page. */
  readonly everOpened: boolean;
  /** Failed attempts since the last open (drives the HTTP polling fallback). */
  readonly failures: number;
  on<T extends ServerEvent['type']>(type: T, handler: Handler<T>): () => void;
  onStatus(handler: (status: LiveStatus) => void): () => void;
  /** False when the socket is not open: the caller keeps the event and retries after reconnecting. */
  send(event: ClientEvent): boolean;
  /** Reconnect now instead of waiting for the backoff. */
  reconnect(): void;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
const ACTIVITY_PING_MS = 25_000;
const ACTIVE_WINDOW_MS = 60_000;
/** Close codes after which reconnecting blindly is pointless: the session ended. */
const SESSION_ENDED = 1008;

let shared: Live | undefined;

export function getLive(): Live {
  shared ??= createLive(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  return shared;
}

function createLive(url: string): Live {
  const handlers = new Map<string, Set<(event: ServerEvent) => void>>();
  const statusHandlers = new Set<(status: LiveStatus) => void>();
  let socket: WebSocket | undefined;
  let status: LiveStatus = 'connecting';
  let everOpened = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let lastActivity = Date.now();

  const setStatus = (next: LiveStatus) => {
    if (next === status) return;
    status = next;
    for (const handler of statusHandlers) handler(next);
  };

  const connect = () => {
    clearTimeout(retryTimer);
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      everOpened = true;
      failures = 0;
      setStatus('open');
    });
    ws.addEventListener('message', (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as ServerEvent;
      for (const handler of handlers.get(event.type) ?? []) handler(event);
    });
    ws.addEventListener('close', (close) => {
      if (socket !== ws) return;
      failures += 1;
      if (close.code === SESSION_ENDED) void checkSession();
      scheduleReconnect();
    });
  };

  const scheduleReconnect = () => {
    setStatus('reconnecting');
    // Full jitter: a restarted server is not hit by every page at the same instant.
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(failures, 10));
    retryTimer = setTimeout(connect, Math.random() * ceiling);
  };

  /** After a 1008 close: if the session is gone, go to the login page instead of retrying. */
  const checkSession = async () => {
    const response = await fetch('/auth/me', { credentials: 'same-origin' }).catch(() => undefined);
    if (response?.status === 401) location.assign(`/?next=${encodeURIComponent(location.pathname + location.search)}`);
  };

  const noteActivity = () => (lastActivity = Date.now());
  for (const type of ['keydown', 'pointerdown', 'pointermove', 'wheel', 'focus']) {
    addEventListener(type, noteActivity, { passive: true });
  }
  // Only a person's activity keeps them "online"; the server's own pings keep the socket alive.
  setInterval(() => {
    if (document.visibilityState === 'visible' && Date.now() - lastActivity < ACTIVE_WINDOW_MS) {
      live.send({ type: 'ping' });
    }
  }, ACTIVITY_PING_MS);
  addEventListener('online', () => live.reconnect());

  const live: Live = {
    get status() {
      return status;
    },
    get everOpened() {
      return everOpened;
    },
    get failures() {
      return failures;
    },
    on(type, handler) {
      const set = handlers.get(type) ?? new Set();
      set.add(handler as (event: ServerEvent) => void);
      handlers.set(type, set);
      return () => set.delete(handler as (event: ServerEvent) => void);
    },
    onStatus(handler) {
      statusHandlers.add(handler);
      return () => statusHandlers.delete(handler);
    },
    send(event) {
      if (socket?.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(event));
      return true;
    },
    reconnect() {
      if (socket?.readyState === WebSocket.OPEN || socket?.readyState === WebSocket.CONNECTING) return;
      connect();
    },
  };
  connect();
  return live;
}
