import type { Message } from '../../../protocol/chat.js';
import type { ErrorCode } from '../../../protocol/errors.js';
import { ApiError, errorMessage } from '../../lib/api.js';
import type { Live } from '../../lib/live.js';
import { postMessage } from './chat-api.js';
import { excerptOf, type ChatStore, type Pending } from './store.js';

/** A retry of a message stored and then deleted (from another tab, say): nothing to show or send. */
const DELETED: ErrorCode = 'message_deleted';

/** No `ack` in this long: the same message goes again over HTTP (its client_id makes that safe). */
const ACK_TIMEOUT_MS = 10_000;
/** A message waiting for the socket to come back goes over HTTP after this long. */
const QUEUE_GRACE_MS = 5_000;

/**
 * Sends our messages: over the socket when it is open (answered by `ack` or `error` with our
 * `ref`), otherwise with `POST /api/chat/messages`. Every attempt of one message carries the
 * same `client_id`, so the server stores it once however often it is retried.
 *
 * - The socket closes before the `ack`: the message waits (still "sending") and goes again
 *   after reconnecting, or over HTTP if that takes more than a few seconds.
 * - The server refuses it, or HTTP cannot reach the server: "failed" with the reason and Retry.
 */
export class Outbox {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Sent over the socket, waiting for the `ack`. */
  private readonly overSocket = new Set<string>();

  constructor(
    private readonly live: Live,
    private readonly store: ChatStore,
  ) {}

  send(content: string, replyTo: Message | null): void {
    const pending: Pending = {
      clientId: crypto.randomUUID(),
      content,
      replyToId: replyTo?.id ?? null,
      replyTo: replyTo
        ? {
            id: replyTo.id,
            sender_id: replyTo.sender_id,
            sender_name: replyTo.sender_name,
            excerpt: excerptOf(replyTo.content),
          }
        : null,
      createdAt: new Date().toISOString(),
      state: 'sending',
      error: null,
    };
    this.store.addPending(pending);
    this.dispatch(pending);
  }

  retry(clientId: string): void {
    const pending = this.store.findPending(clientId);
    if (pending === undefined || pending.state !== 'failed') return;
    this.store.updatePending(clientId, { state: 'sending', error: null });
    this.dispatch(pending);
  }

  discard(clientId: string): void {
    this.settle(clientId);
    this.store.removePending(clientId);
  }

  /** `ack {ref, message}`: stored. */
  acked(ref: string, message: Message): void {
    this.settle(ref);
    this.store.stored(message);
  }

  /** `error {ref}`: the server refused this message (rate limit, validation…). */
  refused(ref: string, code: string, detail: string): void {
    if (this.store.findPending(ref) === undefined) return;
    this.settle(ref);
    if (code === DELETED) this.store.removePending(ref);
    else this.store.updatePending(ref, { state: 'failed', error: detail });
  }

  /** The socket closed: what waited for an `ack` waits for the next socket (or goes over HTTP). */
  socketLost(): void {
    for (const clientId of [...this.overSocket]) {
      this.settle(clientId);
      this.store.updatePending(clientId, { state: 'queued' });
      this.timers.set(
        clientId,
        setTimeout(() => {
          const pending = this.store.findPending(clientId);
          if (pending?.state === 'queued') void this.post(pending);
        }, QUEUE_GRACE_MS),
      );
    }
  }

  /** A new socket said hello: send what was waiting for it. */
  flush(): void {
    for (const pending of this.store.pending) {
      if (pending.state !== 'queued') continue;
      this.settle(pending.clientId);
      this.store.updatePending(pending.clientId, { state: 'sending' });
      this.dispatch(pending);
    }
  }

  /** Whether something is still on its way (the page warns before being closed). */
  get busy(): boolean {
    return this.store.pending.length > 0;
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private dispatch(pending: Pending): void {
    const sent = this.live.send({
      type: 'message.send',
      ref: pending.clientId,
      content: pending.content,
      reply_to_id: pending.replyToId,
      client_id: pending.clientId,
    });
    if (!sent) {
      void this.post(pending);
      return;
    }
    this.overSocket.add(pending.clientId);
    this.timers.set(
      pending.clientId,
      setTimeout(() => {
        this.overSocket.delete(pending.clientId);
        if (this.store.findPending(pending.clientId)) void this.post(pending);
      }, ACK_TIMEOUT_MS),
    );
  }

  private async post(pending: Pending): Promise<void> {
    this.settle(pending.clientId);
    this.store.updatePending(pending.clientId, { state: 'sending' });
    try {
      const message = await postMessage({
        content: pending.content,
        reply_to_id: pending.replyToId,
        client_id: pending.clientId,
      });
      this.store.stored(message);
    } catch (error) {
      // Stored meanwhile (an ack or message.created arrived): nothing failed.
      if (this.store.findPending(pending.clientId) === undefined) return;
      if (error instanceof ApiError && error.code === DELETED) {
        this.store.removePending(pending.clientId);
        return;
      }
      const reason =
        error instanceof ApiError && error.status === 0
          ? 'Could not reach the server.'
          : errorMessage(error).replace(/\n/g, ' ');
      this.store.updatePending(pending.clientId, { state: 'failed', error: reason });
    }
  }

  private settle(clientId: string): void {
    clearTimeout(this.timers.get(clientId));
    this.timers.delete(clientId);
    this.overSocket.delete(clientId);
  }
}
