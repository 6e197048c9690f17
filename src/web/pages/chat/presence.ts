import type { Me } from '../../../protocol/auth.js';
import type { OnlineUser, TypingUser } from '../../../protocol/chat.js';
import { ONLINE_SHOWN } from '../../../protocol/presence.js';
import type { Live } from '../../lib/live.js';
import { createStore, type Store } from '../../lib/store.js';
import { getOnline } from './chat-api.js';
import type { ChatStore } from './store.js';

/** Who is there: the people online and who is typing. */
export interface PresenceView {
  /** The first people online (ONLINE_SHOWN, in order), as the socket keeps them. */
  online: OnlineUser[];
  /** How many are online in all. */
  onlineCount: number;
  typing: TypingUser[];
}

/** Presence and typing from the socket (or, while polling, from `GET /api/chat/online`). */
export class ChatPresence {
  readonly view: Store<PresenceView> = createStore<PresenceView>({ online: [], onlineCount: 0, typing: [] });

  constructor(
    private readonly live: Live,
    private readonly store: ChatStore,
    private readonly me: Me,
  ) {}

  /** Follows the socket; returns the stop. */
  start(): () => void {
    const { live } = this;
    const stops = [
      live.on('presence', ({ online, online_count }) => this.seen(online, online_count)),
      live.on('typing', ({ users }) => this.view.set({ typing: users.filter((u) => u.id !== this.me.id) })),
      live.on('message.created', ({ message }) => {
        // They sent what they were typing (the server keeps them "typing" a few seconds more).
        this.view.set((view) => {
          const typing = view.typing.filter((u) => u.id !== message.sender_id);
          return typing.length === view.typing.length ? view : { ...view, typing };
        });
      }),
    ];
    const presence = live.latest('presence');
    if (presence) this.seen(presence.online, presence.online_count);
    return () => {
      for (const stop of stops) stop();
    };
  }

  /** Who is online; a renamed person's messages show the new name at once. */
  seen(online: OnlineUser[], onlineCount: number): void {
    this.view.set({ online, onlineCount });
    this.store.renameSenders(new Map(online.map((user) => [user.id, user.display_name])));
  }

  /** The socket closed: nobody is known to be typing any more. */
  socketLost(): void {
    this.view.set({ typing: [] });
  }

  /** While polling: the first people online over HTTP. */
  poll(): void {
    getOnline(ONLINE_SHOWN).then(
      (online) => this.seen(online, online.length < ONLINE_SHOWN ? online.length : this.view.get().onlineCount),
      () => undefined,
    );
  }

  /** Tells the others we are typing (the composer calls this at most every 2 s). */
  sendTyping(): void {
    this.live.send({ type: 'typing' });
  }
}
