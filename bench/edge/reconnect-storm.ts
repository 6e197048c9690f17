/**
 * (e) Reconnect storm: N connected clients drop at once, 50 messages are posted meanwhile, and
 * all N come back at once, each catching up as the chat page does (`after=<last id held>` while
 * `has_more`) besides the live events. Compared, on the same server, with N cold loads of the
 * chat page at once (its HTML, then the API calls its script makes first).
 */
import { startServer } from '../lib/child.js';
import { SERVER_CPU } from '../lib/cpus.js';
import type { Fleet } from '../lib/fleet.js';
import { round, summarize, type LatencySummary } from '../lib/stats.js';
import {
  edgeApp,
  interleaved,
  openSender,
  ratioOf,
  METHOD,
  sendAtRate,
  settle,
  until,
  wsUrl,
  type EdgeOptions,
  type Ratio,
  type Rounds,
} from './common.js';
import { MESSAGE_BYTES } from './fanout-cost.js';

/** What the chat page requests first, after its HTML (the shell's `/auth/me` and unread count, the latest page). */
export const CHAT_PAGE_API = ['/auth/me', '/api/chat/messages?page_size=50', '/api/chat/unread'];

export interface StormRun {
  seconds: number;
  /** Storm: clients holding every missed message at the end; page loads: loads that completed. */
  complete: number;
  /** Storm only: missed messages not held at the end. */
  missing: number;
  failed: number;
  firstError?: string;
  perLoad?: LatencySummary;
  statuses?: Record<string, number>;
}

export interface StormResult {
  clients: number;
  behind: number;
  warmup?: { baseline: StormRun; app: StormRun };
  rounds: { baseline: StormRun; app: StormRun }[];
  /** Storm time ÷ cold page loads' time: ≤ 1 is the target. */
  time: Ratio;
}

export async function runReconnectStorm(
  options: EdgeOptions & { clients: number; behind: number; fleet: Fleet; rounds?: Rounds },
): Promise<StormResult> {
  const { log, fleet, clients, behind } = options;
  const app = await edgeApp('reconnect-storm', clients + 1);
  log(`\n[edge-storm] seeded ${clients + 1} people in ${round(app.people.seconds)} s`);
  const cookies = app.people.cookies.slice(0, clients);
  const server = await startServer('app', app.env, { cpu: SERVER_CPU, cpuProfileDir: options.cpuProfileDir });
  try {
    const url = wsUrl(server.port);
    const connected = await fleet.connect(url, cookies, 25);
    if (connected.failed > 0) throw new Error(`${connected.failed} sockets failed: ${connected.firstError}`);
    const sender = await openSender(url, app.people.cookies[clients] ?? '');
    await settle(fleet);
    let sent = 0;
    try {
      const measured = await interleaved(
        options.rounds ?? METHOD,
        async (which): Promise<StormRun> => {
          if (which === 'baseline') {
            const loads = await fleet.pageLoads(server.baseUrl, cookies, CHAT_PAGE_API);
            if (loads.statuses['503'] !== undefined) throw new Error('/chat answered 503: npm run build:web first');
            return {
              seconds: round(loads.ms / 1000),
              complete: loads.times.length,
              missing: 0,
              failed: loads.failed,
              ...(loads.firstError === undefined ? {} : { firstError: loads.firstError }),
              perLoad: summarize(loads.times),
              statuses: loads.statuses,
            };
          }
          await fleet.drop(clients);
          await sendAtRate(sender, behind, 50, MESSAGE_BYTES);
          sent += behind;
          await until(async () => sender.acks() + sender.errors().count >= sent, 30_000);
          if (sender.errors().count > 0) throw new Error(`sending failed: ${sender.errors().first}`);
          const rejoined = await fleet.rejoin(url, server.baseUrl, sender.lastAckedId());
          return {
            seconds: round(rejoined.ms / 1000),
            complete: rejoined.caughtUp,
            missing: rejoined.missing,
            failed: rejoined.failed,
            ...(rejoined.firstError === undefined ? {} : { firstError: rejoined.firstError }),
          };
        },
        log,
      );
      const result = {
        clients,
        behind,
        ...measured,
        time: ratioOf(measured.rounds.map((r) => r.app.seconds / Math.max(r.baseline.seconds, 1e-9))),
      };
      log(
        `[edge-storm] ${clients} clients ${behind} behind: caught up in ${measured.rounds.map((r) => r.app.seconds).join('/')} s ` +
          `(${measured.rounds.map((r) => r.app.complete).join('/')} complete, ${measured.rounds.map((r) => r.app.missing).join('/')} missing); ` +
          `cold page loads ${measured.rounds.map((r) => r.baseline.seconds).join('/')} s; ratio ${result.time.median} (${result.time.min}–${result.time.max})`,
      );
      return result;
    } finally {
      sender.close();
    }
  } finally {
    await server.stop();
    await fleet.closeSockets();
    app.dispose();
  }
}
