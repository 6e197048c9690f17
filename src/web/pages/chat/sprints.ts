import { useEffect, useState } from 'preact/hooks';
import type { CreateSprintBody, Sprint } from '../../../protocol/sprints.js';
import { sessionApi } from '../../lib/api.js';
import { getLive } from '../../lib/live.js';

/**
 * The chat's sprints by their card's message id: the open ones loaded at start and after each
 * reconnect, others fetched when their card shows, every `sprint.updated` applied. Each keeps
 * the server clock's offset from when it arrived, so countdowns run on the server's time.
 */
export interface ShownSprint {
  sprint: Sprint;
  /** Server clock minus this clock (ms). */
  offset: number;
}

const byMessage = new Map<number, ShownSprint>();
const asked = new Set<number>();
const listeners = new Set<() => void>();
let started = false;

export const createSprint = (body: CreateSprintBody) => sessionApi.post<Sprint>('/api/sprints', body);
export const joinSprint = async (id: number) => accept(await sessionApi.post<Sprint>(`/api/sprints/${id}/join`));
export const leaveSprint = async (id: number) => accept(await sessionApi.post<Sprint>(`/api/sprints/${id}/leave`));

function accept(sprint: Sprint): void {
  if (sprint.message_id === null) return;
  const known = byMessage.get(sprint.message_id);
  // An older answer never overwrites a newer push.
  if (known !== undefined && Date.parse(known.sprint.server_time) > Date.parse(sprint.server_time)) return;
  byMessage.set(sprint.message_id, { sprint, offset: Date.parse(sprint.server_time) - Date.now() });
  for (const listener of [...listeners]) listener();
}

async function loadOpen(): Promise<void> {
  try {
    for (const sprint of await sessionApi.get<Sprint[]>('/api/sprints?state=open')) accept(sprint);
  } catch {
    // The cards ask for their own sprint when shown.
  }
}

function ensureStarted(): void {
  if (started) return;
  started = true;
  const live = getLive();
  live.on('sprint.updated', (event) => accept(event.sprint));
  live.onStatus((status) => {
    if (status === 'open') void loadOpen();
  });
  void loadOpen();
}

/** The sprint of a card, loading it once if it is not known yet. */
export function useSprint(messageId: number): ShownSprint | undefined {
  const [, setVersion] = useState(0);
  useEffect(() => {
    ensureStarted();
    const listener = () => setVersion((v) => v + 1);
    listeners.add(listener);
    if (!byMessage.has(messageId) && !asked.has(messageId)) {
      asked.add(messageId);
      sessionApi.get<Sprint[]>(`/api/sprints?message_id=${messageId}`).then(
        (found) => found.forEach(accept),
        () => asked.delete(messageId),
      );
    }
    return () => listeners.delete(listener);
  }, [messageId]);
  return byMessage.get(messageId);
}
