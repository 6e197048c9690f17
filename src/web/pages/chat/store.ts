import { excerpt } from '../../../protocol/limits.js';
import type { Message, Reaction } from '../../../protocol/chat.js';
import { applyReactionsUpdate, type ReactionsUpdate } from '../../../protocol/reactions.js';
import { createStore, type Store } from '../../lib/store.js';

/**
 * The messages this page holds, by id, and the ones it is still sending.
 *
 * Every way a message can arrive — the first page, `message.created`, an `ack`, a `201`, a
 * catch-up page, "load older" — goes through here and is merged by id, so none shows twice. A
 * deleted id is remembered, so a page fetched before the delete cannot bring it back.
 *
 * Live events bump a sequence number on the message they touch; a REST answer carries the
 * sequence number of when its request started (`mark()`), and does not overwrite a message a
 * live event changed after that (the event is newer than the answer).
 */

export type PendingState = 'sending' | 'queued' | 'failed';

/** A message of ours not stored yet (or not confirmed): shown at once, with its state. */
export interface Pending {
  clientId: string;
  content: string;
  replyToId: number | null;
  replyTo: Message['reply_to'];
  createdAt: string;
  state: PendingState;
  error: string | null;
}

interface Entry {
  message: Message;
  /** The sequence number of the last live event applied to it (0: none). */
  seq: number;
}

/** The reply preview of a message, as the server makes it. */
export const excerptOf = excerpt;

/** What the page shows of the messages: a new object whenever any of it changes. */
export interface HeldMessages {
  /** Held messages, oldest first. */
  messages: readonly Message[];
  pending: readonly Pending[];
  /** Whether the server has messages older than the oldest one held. */
  hasOlder: boolean;
  /** True once the first page arrived. */
  loaded: boolean;
}

export class ChatStore {
  private readonly entries = new Map<number, Entry>();
  private readonly gone = new Set<number>();
  private seq = 0;
  private hasOlderNow = false;
  private loadedNow = false;
  private pendingNow: readonly Pending[] = [];
  readonly state: Store<HeldMessages> = createStore<HeldMessages>({
    messages: [],
    pending: [],
    hasOlder: false,
    loaded: false,
  });

  constructor(private readonly myId: number) {}

  private changed(): void {
    const messages = [...this.entries.values()].map((e) => e.message).sort((a, b) => a.id - b.id);
    this.state.set({ messages, pending: this.pendingNow, hasOlder: this.hasOlderNow, loaded: this.loadedNow });
  }

  /** The sequence number to give a REST answer whose request starts now. */
  mark(): number {
    return this.seq;
  }

  get messages(): readonly Message[] {
    return this.state.get().messages;
  }

  get pending(): readonly Pending[] {
    return this.pendingNow;
  }

  get hasOlder(): boolean {
    return this.hasOlderNow;
  }

  get loaded(): boolean {
    return this.loadedNow;
  }

  get(id: number): Message | undefined {
    return this.entries.get(id)?.message;
  }

  get lowestId(): number | undefined {
    return this.messages[0]?.id;
  }

  // --- REST answers -------------------------------------------------------------------------

  /** Messages from a REST answer (their `me` flags are the viewer's own). */
  merge(messages: readonly Message[], asOf: number): void {
    for (const message of messages) this.put(message, asOf);
    this.changed();
  }

  /**
   * A complete answer for ids `low..high`: held messages in that range it lacks were deleted,
   * the others are refreshed (edits, reactions). Only ids the page holds already are touched.
   */
  reconcile(messages: readonly Message[], asOf: number, low: number, high: number): void {
    const present = new Set(messages.map((m) => m.id));
    for (const [id, entry] of this.entries) {
      if (id >= low && id <= high && !present.has(id) && entry.seq <= asOf) this.forget(id);
    }
    for (const message of messages) if (this.entries.has(message.id)) this.put(message, asOf);
    this.changed();
  }

  /**
   * The latest page (newest first), as the first page or after a long absence: held messages
   * older than it leave the window, held ones within its range that it lacks were deleted.
   */
  reset(latestNewestFirst: readonly Message[], hasOlder: boolean, asOf: number): void {
    const ids = new Set(latestNewestFirst.map((m) => m.id));
    const low = latestNewestFirst[latestNewestFirst.length - 1]?.id;
    const high = latestNewestFirst[0]?.id;
    for (const [id, entry] of [...this.entries]) {
      if (ids.has(id)) continue;
      // Arrived live while the page was being fetched: newer than the page.
      if (entry.seq > asOf && (high === undefined || id > high)) continue;
      if (low !== undefined && id < low) this.entries.delete(id);
      else if (entry.seq <= asOf) this.forget(id);
    }
    for (const message of latestNewestFirst) this.put(message, asOf);
    this.hasOlderNow = hasOlder;
    this.loadedNow = true;
    this.changed();
  }

  /** Older messages ("load older"). */
  prepend(olderNewestFirst: readonly Message[], hasOlder: boolean, asOf: number): void {
    for (const message of olderNewestFirst) this.put(message, asOf);
    this.hasOlderNow = hasOlder;
    this.changed();
  }

  /** The caller's reactions as the REST toggle answered them. */
  setOwnReactions(id: number, reactions: Reaction[], asOf: number): void {
    const entry = this.entries.get(id);
    if (entry === undefined || entry.seq > asOf) return;
    entry.message = { ...entry.message, reactions };
    this.changed();
  }

  /** Shows a reaction toggle at once, before the server confirms it. */
  toggleReactionLocally(id: number, emoji: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    const reactions = entry.message.reactions.map((r) => ({ ...r }));
    const found = reactions.find((r) => r.emoji === emoji);
    if (found === undefined) reactions.push({ emoji, count: 1, me: true });
    else {
      found.count += found.me ? -1 : 1;
      found.me = !found.me;
    }
    entry.message = { ...entry.message, reactions: reactions.filter((r) => r.count > 0) };
    this.changed();
  }

  private put(message: Message, asOf: number): void {
    if (this.gone.has(message.id)) return;
    const held = this.entries.get(message.id);
    if (held !== undefined && held.seq > asOf) return;
    this.entries.set(message.id, { message, seq: held?.seq ?? 0 });
    this.resolvePending(message);
  }

  private forget(id: number): void {
    this.gone.add(id);
    this.entries.delete(id);
    for (const entry of this.entries.values()) {
      if (entry.message.reply_to?.id === id) entry.message = { ...entry.message, reply_to: null };
    }
  }

  // --- live events (their `me` flags say nothing: see docs/websocket.md) --------------------

  created(message: Message): void {
    if (this.gone.has(message.id)) return;
    const held = this.entries.get(message.id);
    this.seq += 1;
    this.entries.set(message.id, {
      message: held === undefined ? message : { ...message, reactions: keepMine(message.reactions, held.message) },
      seq: this.seq,
    });
    this.resolvePending(message);
    this.changed();
  }

  /** Our own message as the server stored it (`ack`, `201`): its `me` flags are right. */
  stored(message: Message): void {
    if (this.gone.has(message.id)) {
      this.resolvePending(message);
      this.changed();
      return;
    }
    const held = this.entries.get(message.id);
    if (held === undefined) this.entries.set(message.id, { message, seq: 0 });
    this.resolvePending(message);
    this.changed();
  }

  updated(message: Message): void {
    const held = this.entries.get(message.id);
    if (held === undefined) return; // outside the window this page shows
    this.seq += 1;
    held.message = { ...message, reactions: keepMine(message.reactions, held.message) };
    held.seq = this.seq;
    const excerpt = excerptOf(message.content);
    for (const entry of this.entries.values()) {
      const quote = entry.message.reply_to;
      if (quote?.id === message.id) {
        entry.message = { ...entry.message, reply_to: { ...quote, excerpt, sender_name: message.sender_name } };
      }
    }
    this.changed();
  }

  /** People's current names (from presence): their held messages and every quote of them follow. */
  renameSenders(names: ReadonlyMap<number, string>): void {
    let renamed = false;
    for (const entry of this.entries.values()) {
      let message = entry.message;
      const name = names.get(message.sender_id);
      if (name !== undefined && name !== message.sender_name) message = { ...message, sender_name: name };
      const quote = message.reply_to;
      const quoted = quote === null ? undefined : names.get(quote.sender_id);
      if (quote !== null && quoted !== undefined && quoted !== quote.sender_name) {
        message = { ...message, reply_to: { ...quote, sender_name: quoted } };
      }
      if (message === entry.message) continue;
      this.seq += 1;
      entry.message = message;
      entry.seq = this.seq;
      renamed = true;
    }
    if (renamed) this.changed();
  }

  deleted(id: number): void {
    this.seq += 1;
    this.forget(id);
    this.changed();
  }

  reactions(id: number, update: ReactionsUpdate): void {
    const held = this.entries.get(id);
    if (held === undefined) return;
    this.seq += 1;
    held.message = { ...held.message, reactions: applyReactionsUpdate(held.message.reactions, update, this.myId) };
    held.seq = this.seq;
    this.changed();
  }

  isGone(id: number): boolean {
    return this.gone.has(id);
  }

  // --- our own messages being sent ----------------------------------------------------------

  addPending(pending: Pending): void {
    this.pendingNow = [...this.pendingNow, pending];
    this.changed();
  }

  findPending(clientId: string): Pending | undefined {
    return this.pendingNow.find((p) => p.clientId === clientId);
  }

  updatePending(clientId: string, changes: Partial<Pick<Pending, 'state' | 'error'>>): void {
    if (this.findPending(clientId) === undefined) return;
    this.pendingNow = this.pendingNow.map((p) => (p.clientId === clientId ? { ...p, ...changes } : p));
    this.changed();
  }

  removePending(clientId: string): void {
    this.pendingNow = this.pendingNow.filter((p) => p.clientId !== clientId);
    this.changed();
  }

  private resolvePending(message: Message): void {
    if (message.sender_id !== this.myId || message.client_id === null) return;
    if (this.pendingNow.some((p) => p.clientId === message.client_id)) {
      this.pendingNow = this.pendingNow.filter((p) => p.clientId !== message.client_id);
    }
  }
}

/** Counts from a broadcast, with the viewer's own `me` flags from what the page knew. */
function keepMine(reactions: readonly Reaction[], held: Message): Reaction[] {
  return reactions.map((r) => ({ ...r, me: held.reactions.find((h) => h.emoji === r.emoji)?.me ?? false }));
}
