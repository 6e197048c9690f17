import type { ClientEvent } from '../../protocol/chat.js';
import {
  decodeFrame,
  type AnyLiveEvent,
  type LiveEventOf,
  type LiveEventType,
  type ServerEvent,
} from '../../protocol/events.js';
import { applyPresenceChange } from '../../protocol/presence.js';
import { goToSignIn, sessionEnded } from './api.js';

/**
 * The page's one WebSocket to `/ws`: reconnects by itself with exponential backoff and full
 * jitter, tells listeners every event and every status change, and reports activity so presence
 * can tell online from idle. Pages share it through `getLive()`.
 *
 * A socket that stops answering (a laptop waking up, a changed network, a silent proxy) is
 * noticed by a `ping` that gets no `pong` in time: it is dropped and a new one opened, so the
 * status never claims "open" for a dead connection for long.
 */
export type LiveStatus = 'connecting' | 'open' | 'reconnecting';

export type LiveEvent<T extends LiveEventType> = LiveEventOf<T>;
type Handler<T extends LiveEventType> = (event: LiveEvent<T>) => void;

export interface Live {
  readonly status: LiveStatus;
  /** True once a socket has opened at least once on this page. */
  readonly everOpened: boolean;
  /** Failed attempts since the last open (drives the HTTP polling fallback). */
  readonly failures: number;
  on<T extends LiveEventType>(type: T, handler: Handler<T>): () => void;
  onStatus(handler: (status: LiveStatus) => void): () => void;
  /**
   * The last event of this type on the current socket (e.g. its `hello`), for a listener that
   * subscribes after it arrived; undefined once that socket closed.
   */
  latest<T extends LiveEventType>(type: T): LiveEvent<T> | undefined;
  /** False when the socket is not open: the caller keeps the event and retries after reconnecting. */
  send(event: ClientEvent): boolean;
  /** Reconnect now instead of waiting for the backoff. */
  reconnect(): void;
}

const BASE_DELAY_MS = 500;
/** A restarted server is found again within seconds, not half a minute. */
const MAX_DELAY_MS = 15_000;
const ACTIVITY_PING_MS = 25_000;
const ACTIVE_WINDOW_MS = 60_000;
/** A `ping` unanswered for this long means the socket is dead. */
const PONG_TIMEOUT_MS = 10_000;
/** A handshake still pending after this long is abandoned and tried again. */
const CONNECT_TIMEOUT_MS = 15_000;
/** After this many failed attempts in a row, check whether the session still exists. */
const CHECK_SESSION_EVERY = 3;
/** Close codes after which reconnecting blindly is pointless: the session ended. */
const SESSION_ENDED = 1008;

let shared: Live | undefined;

export function getLive(): Live {
  shared ??= createLive(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  return shared;
}

/** Runs a listener without letting its exception stop the others (it is still reported). */
function safely(run: () => void): void {
  try {
    run();
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}

function createLive(url: string): Live {
  const handlers = new Map<string, Set<(event: AnyLiveEvent) => void>>();
  const statusHandlers = new Set<(status: LiveStatus) => void>();
  const latest = new Map<string, AnyLiveEvent>();
  let socket: WebSocket | undefined;
  let status: LiveStatus = 'connecting';
  let everOpened = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let connectTimer: ReturnType<typeof setTimeout> | undefined;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let lastActivity = Date.now();

  const setStatus = (next: LiveStatus) => {
    if (next === status) return;
    status = next;
    for (const handler of [...statusHandlers]) safely(() => handler(next));
  };

  const dispatch = (event: AnyLiveEvent) => {
    latest.set(event.type, event);
    for (const handler of [...(handlers.get(event.type) ?? [])]) safely(() => handler(event));
  };

  const receive = (event: ServerEvent) => {
    if (event.type === 'pong') clearTimeout(pongTimer);
    // Listeners see the whole online list as `presence`: the hello's, then each change applied to it.
    if (event.type === 'presence.changed') {
      const known = latest.get('presence');
      const online = known?.type === 'presence' ? known.online : [];
      dispatch({ type: 'presence', online: applyPresenceChange(online, event), online_count: event.online_count });
      return;
    }
    dispatch(event);
    if (event.type === 'hello') dispatch({ type: 'presence', online: event.online, online_count: event.online_count });
  };

  const connect = () => {
    clearTimeout(retryTimer);
    clearTimeout(connectTimer);
    const ws = new WebSocket(url);
    socket = ws;
    connectTimer = setTimeout(() => {
      if (socket === ws && ws.readyState === WebSocket.CONNECTING) drop(ws);
    }, CONNECT_TIMEOUT_MS);
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      clearTimeout(connectTimer);
      everOpened = true;
      failures = 0;
      setStatus('open');
    });
    ws.addEventListener('message', (message: MessageEvent<unknown>) => {
      if (socket !== ws || typeof message.data !== 'string') return;
      // A frame is one event or an array of them, applied in order.
      for (const event of decodeFrame(message.data)) receive(event);
    });
    ws.addEventListener('close', (close) => {
      if (socket !== ws) return;
      if (close.code !== SESSION_ENDED) {
        lost();
        return;
      }
      // The session may have ended: find out before reconnecting, so a signed-out page goes to the
      // login page instead of knocking on a socket that will be refused.
      socket = undefined;
      clearTimeout(connectTimer);
      clearTimeout(pongTimer);
      latest.clear();
      setStatus('reconnecting');
      void checkSession().then((signedIn) => {
        // Unless a new socket was opened meanwhile (reconnect(), the network coming back).
        if (signedIn && socket === undefined) lost();
      });
    });
  };

  /** The current socket is gone (closed, or given up on): forget it and try again later. */
  const lost = () => {
    socket = undefined;
    clearTimeout(connectTimer);
    clearTimeout(pongTimer);
    latest.clear();
    failures += 1;
    if (failures % CHECK_SESSION_EVERY === 0) void checkSession();
    scheduleReconnect();
  };

  /** Gives up on a socket that does not answer; its own close event comes late or never. */
  const drop = (ws: WebSocket) => {
    if (socket !== ws) return;
    lost();
    try {
      ws.close();
    } catch {
      // Already closing.
    }
  };

  const scheduleReconnect = () => {
    clearTimeout(retryTimer);
    setStatus('reconnecting');
    // Full jitter: a restarted server is not hit by every page at the same instant.
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(failures, 10));
    retryTimer = setTimeout(connect, Math.random() * ceiling);
  };

  /**
   * A session that ended (revoked, expired, disabled) goes to the login page instead of retrying.
   * False when it ended; true when it lives (or the server could not say).
   */
  const checkSession = async (): Promise<boolean> => {
    if (!(await sessionEnded())) return true;
    goToSignIn();
    return false;
  };

  /** Sends a `ping`; no `pong` in time and the socket is replaced. */
  const probe = () => {
    const ws = socket;
    if (ws?.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify({ type: 'ping' } satisfies ClientEvent));
    clearTimeout(pongTimer);
    pongTimer = setTimeout(() => drop(ws), PONG_TIMEOUT_MS);
  };

  const noteActivity = () => {
    const now = Date.now();
    // Back after a while: make sure the socket still works before the person relies on it.
    if (now - lastActivity > ACTIVE_WINDOW_MS && status === 'open') probe();
    lastActivity = now;
  };
  for (const type of ['keydown', 'pointerdown', 'pointermove', 'wheel', 'focus']) {
    addEventListener(type, noteActivity, { passive: true });
  }
  // Only a person's activity keeps them "online"; the server's own pings keep the socket alive.
  setInterval(() => {
    if (document.visibilityState === 'visible' && Date.now() - lastActivity < ACTIVE_WINDOW_MS) probe();
  }, ACTIVITY_PING_MS);
  // Coming back (network, tab, laptop lid): check the socket at once, or stop waiting for the backoff.
  const wake = () => {
    if (status === 'open') probe();
    else live.reconnect();
  };
  addEventListener('online', wake);
  addEventListener('offline', probe);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') wake();
  });

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
      set.add(handler as (event: AnyLiveEvent) => void);
      handlers.set(type, set);
      return () => set.delete(handler as (event: AnyLiveEvent) => void);
    },
    onStatus(handler) {
      statusHandlers.add(handler);
      return () => statusHandlers.delete(handler);
    },
    latest<T extends LiveEventType>(type: T) {
      return latest.get(type) as LiveEvent<T> | undefined;
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
