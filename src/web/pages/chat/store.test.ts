import { describe, expect, it } from 'vitest';
import type { Message } from '../../../protocol/chat.js';
import { ChatStore, type Pending } from './store.js';

const ME = 7;

function message(id: number, changes: Partial<Message> = {}): Message {
  return {
    id,
    sender_id: 1,
    sender_username: 'ann',
    sender_name: 'Ann',
    content: `message ${id}`,
    timestamp: new Date(Date.UTC(2026, 0, 1, 12, 0, id)).toISOString(),
    edited_at: null,
    room_id: 'global',
    message_type: 'text',
    reply_to_id: null,
    reply_to: null,
    reactions: [],
    client_id: null,
    ...changes,
  };
}

function pending(clientId: string): Pending {
  return {
    clientId,
    content: 'hi',
    replyToId: null,
    replyTo: null,
    createdAt: new Date().toISOString(),
    state: 'sending',
    error: null,
  };
}

const ids = (store: ChatStore) => store.messages.map((m) => m.id);

describe('ChatStore', () => {
  it('holds every message once, oldest first, whichever way it arrived', () => {
    const store = new ChatStore(ME);
    store.reset([message(3), message(2)], true, store.mark());
    store.created(message(4));
    store.merge([message(4), message(5)], store.mark());
    store.created(message(5));
    store.prepend([message(1)], false, store.mark());
    expect(ids(store)).toEqual([1, 2, 3, 4, 5]);
    expect(store.hasOlder).toBe(false);
  });

  it('replaces our sending message by the stored one, whether the event or the ack comes first', () => {
    const store = new ChatStore(ME);
    store.reset([], false, store.mark());
    store.addPending(pending('a'));
    store.addPending(pending('b'));
    store.created(message(10, { sender_id: ME, client_id: 'a' }));
    store.stored(message(10, { sender_id: ME, client_id: 'a' }));
    store.stored(message(11, { sender_id: ME, client_id: 'b' }));
    store.created(message(11, { sender_id: ME, client_id: 'b' }));
    expect(ids(store)).toEqual([10, 11]);
    expect(store.pending).toEqual([]);
  });

  it('never brings a deleted message back from an answer fetched before the delete', () => {
    const store = new ChatStore(ME);
    store.reset([message(2), message(1)], false, store.mark());
    const asOf = store.mark();
    store.deleted(2);
    store.merge([message(2), message(1)], asOf);
    store.created(message(2));
    expect(ids(store)).toEqual([1]);
  });

  it('keeps an edit that arrived live over an older answer', () => {
    const store = new ChatStore(ME);
    store.reset([message(1)], false, store.mark());
    const asOf = store.mark();
    store.updated(message(1, { content: 'edited', edited_at: '2026-01-01T12:05:00.000Z' }));
    store.merge([message(1)], asOf);
    expect(store.get(1)?.content).toBe('edited');
    // A newer answer wins again.
    store.merge([message(1, { content: 'edited twice' })], store.mark());
    expect(store.get(1)?.content).toBe('edited twice');
  });

  it('drops held messages a complete answer lacks (deleted meanwhile) and refreshes the others', () => {
    const store = new ChatStore(ME);
    store.reset([message(5), message(4), message(3), message(2)], true, store.mark());
    store.reconcile([message(5, { content: 'changed' }), message(3)], store.mark(), 3, 5);
    expect(ids(store)).toEqual([2, 3, 5]);
    expect(store.get(5)?.content).toBe('changed');
    expect(store.isGone(4)).toBe(true);
    // Only held ids are touched: the window does not grow.
    store.reconcile([message(3), message(1)], store.mark(), 0, 3);
    expect(ids(store)).toEqual([3, 5]);
  });

  it('after a long absence shows the latest page alone, keeping what arrived live meanwhile', () => {
    const store = new ChatStore(ME);
    store.reset([message(2), message(1)], false, store.mark());
    const asOf = store.mark();
    store.created(message(900));
    store.reset([message(800), message(799)], true, asOf);
    expect(ids(store)).toEqual([799, 800, 900]);
    expect(store.hasOlder).toBe(true);
  });

  it('takes our own reactions from our toggles and keeps them through others and message.updated', () => {
    const store = new ChatStore(ME);
    store.reset([message(1)], false, store.mark());
    store.reactions(1, { reactions: [{ emoji: '👍', count: 1 }], actor_id: ME, emoji: '👍', added: true });
    store.reactions(1, {
      reactions: [
        { emoji: '👍', count: 2 },
        { emoji: '👀', count: 1 },
      ],
      actor_id: 3,
      emoji: '👀',
      added: true,
    });
    expect(store.get(1)?.reactions).toEqual([
      { emoji: '👍', count: 2, me: true },
      { emoji: '👀', count: 1, me: false },
    ]);
    // A broadcast edit says me:false for everyone: ours stays ours.
    store.updated(
      message(1, {
        content: 'edited',
        reactions: [
          { emoji: '👍', count: 2, me: false },
          { emoji: '👀', count: 1, me: false },
        ],
      }),
    );
    expect(store.get(1)?.reactions[0]).toEqual({ emoji: '👍', count: 2, me: true });
  });

  it('toggles a reaction locally at once', () => {
    const store = new ChatStore(ME);
    store.reset([message(1, { reactions: [{ emoji: '🎉', count: 1, me: false }] })], false, store.mark());
    store.toggleReactionLocally(1, '🎉');
    expect(store.get(1)?.reactions).toEqual([{ emoji: '🎉', count: 2, me: true }]);
    store.toggleReactionLocally(1, '🎉');
    store.toggleReactionLocally(1, '👀');
    expect(store.get(1)?.reactions).toEqual([
      { emoji: '🎉', count: 1, me: false },
      { emoji: '👀', count: 1, me: true },
    ]);
  });

  it('updates and clears reply quotes when their original is edited or deleted', () => {
    const store = new ChatStore(ME);
    const reply = message(2, {
      reply_to_id: 1,
      reply_to: { id: 1, sender_id: 1, sender_name: 'Ann', excerpt: 'message 1' },
    });
    store.reset([reply, message(1)], false, store.mark());
    store.updated(message(1, { content: 'new   words\nhere' }));
    expect(store.get(2)?.reply_to?.excerpt).toBe('new words here');
    store.deleted(1);
    expect(store.get(2)?.reply_to).toBeNull();
    expect(store.get(2)?.reply_to_id).toBe(1);
  });

  it("shows a renamed person's new name on their messages and on quotes of them", () => {
    const store = new ChatStore(ME);
    const reply = message(2, {
      sender_id: 2,
      sender_name: 'Bob',
      reply_to_id: 1,
      reply_to: { id: 1, sender_id: 1, sender_name: 'Ann', excerpt: 'message 1' },
    });
    // A quote of a message this page does not hold (an older one) follows too.
    const replyToOlder = message(4, {
      sender_id: 2,
      sender_name: 'Bob',
      reply_to_id: 99,
      reply_to: { id: 99, sender_id: 1, sender_name: 'Ann', excerpt: 'long ago' },
    });
    store.reset([replyToOlder, reply, message(1), message(3)], false, store.mark());
    let notified = 0;
    store.state.subscribe(() => (notified += 1));

    store.renameSenders(
      new Map([
        [1, 'Ann Lovelace'],
        [2, 'Bob'],
      ]),
    );
    expect(store.messages.map((m) => m.sender_name)).toEqual(['Ann Lovelace', 'Bob', 'Ann Lovelace', 'Bob']);
    expect(store.get(2)?.reply_to?.sender_name).toBe('Ann Lovelace');
    expect(store.get(4)?.reply_to?.sender_name).toBe('Ann Lovelace');
    expect(notified).toBe(1);
    // Nobody renamed: nothing to redraw.
    store.renameSenders(new Map([[1, 'Ann Lovelace']]));
    expect(notified).toBe(1);
  });

  it('ignores updates and reactions of messages outside the window', () => {
    const store = new ChatStore(ME);
    store.reset([message(10)], true, store.mark());
    store.updated(message(3));
    store.reactions(4, { reactions: [{ emoji: '👍', count: 1 }], actor_id: ME, emoji: '👍', added: true });
    expect(ids(store)).toEqual([10]);
  });
});
