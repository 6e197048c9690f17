import { createContext } from 'preact';
import { useContext, useEffect } from 'preact/hooks';
import type { CreateSprintBody, Sprint } from '../../../protocol/sprints.js';
import { sessionApi } from '../../lib/api.js';
import type { Live } from '../../lib/live.js';
import { createStore, useStore, type Store } from '../../lib/store.js';

/**
 * The chat's sprints by their card's message id: the open ones loaded when the first card shows
 * and after each reconnect, others fetched when their card shows, every `sprint.updated` applied.
 * Each keeps the server clock's offset from when it arrived, so countdowns run on the server's time.
 */
export interface ShownSprint {
  sprint: Sprint;
  /** Server clock minus this clock (ms). */
  offset: number;
}

interface SprintsView {
  byMessage: ReadonlyMap<number, ShownSprint>;
}

export const createSprint = (body: CreateSprintBody) => sessionApi.post<Sprint>('/api/sprints', body);

export class ChatSprints {
  readonly state: Store<SprintsView> = createStore<SprintsView>({ byMessage: new Map() });
  private readonly asked = new Set<number>();
  private stops: (() => void)[] | null = null;

  constructor(private readonly live: Live) {}

  join = async (id: number) => this.accept(await sessionApi.post<Sprint>(`/api/sprints/${id}/join`));
  leave = async (id: number) => this.accept(await sessionApi.post<Sprint>(`/api/sprints/${id}/leave`));

  /** The sprint of a card: loads it once if it is not known yet (and starts following the socket). */
  ask(messageId: number): void {
    this.stops ??= this.follow();
    if (this.state.get().byMessage.has(messageId) || this.asked.has(messageId)) return;
    this.asked.add(messageId);
    sessionApi.get<Sprint[]>(`/api/sprints?message_id=${messageId}`).then(
      (found) => found.forEach((sprint) => this.accept(sprint)),
      () => this.asked.delete(messageId),
    );
  }

  stop(): void {
    for (const stop of this.stops ?? []) stop();
    this.stops = null;
  }

  private follow(): (() => void)[] {
    void this.loadOpen();
    return [
      this.live.on('sprint.updated', (event) => this.accept(event.sprint)),
      this.live.onStatus((status) => {
        if (status === 'open') void this.loadOpen();
      }),
    ];
  }

  private accept(sprint: Sprint): void {
    if (sprint.message_id === null) return;
    const { byMessage } = this.state.get();
    const known = byMessage.get(sprint.message_id);
    // An older answer never overwrites a newer push.
    if (known !== undefined && Date.parse(known.sprint.server_time) > Date.parse(sprint.server_time)) return;
    const next = new Map(byMessage);
    next.set(sprint.message_id, { sprint, offset: Date.parse(sprint.server_time) - Date.now() });
    this.state.set({ byMessage: next });
  }

  private async loadOpen(): Promise<void> {
    try {
      for (const sprint of await sessionApi.get<Sprint[]>('/api/sprints?state=open')) this.accept(sprint);
    } catch {
      // The cards ask for their own sprint when shown.
    }
  }
}

/** The chat page's sprints (`ChatPage` provides them). */
export const SprintsContext = createContext<ChatSprints | null>(null);

export function useSprints(): ChatSprints {
  const sprints = useContext(SprintsContext);
  if (sprints === null) throw new Error('useSprints outside the chat page');
  return sprints;
}

/** The sprint of a card, loading it once if it is not known yet. */
export function useSprint(messageId: number): ShownSprint | undefined {
  const sprints = useSprints();
  useEffect(() => sprints.ask(messageId), [sprints, messageId]);
  return useStore(sprints.state, (state) => state.byMessage.get(messageId));
}
