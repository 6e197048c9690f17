/** Who receives an event: every connected socket, only the sockets of one user, or admins' sockets. */
export type Audience = { kind: 'all' } | { kind: 'user'; userId: number } | { kind: 'admins' };

export type BusMessage =
  /** A serialized `ServerEvent` (`protocol/events.ts`), encoded once by `emit`, sent as is to each socket. */
  | { kind: 'event'; audience: Audience; frame: string }
  /** The user's tokens were revoked (logout everywhere, password change, disabled): drop their sockets. */
  | { kind: 'sessions-revoked'; userId: number }
  /** What presence shows of the user's focus timer: running since when, with which label, or nothing. */
  | ({ kind: 'focus'; userId: number } & FocusState)
  /** The user changed their names or what they share: presence shows the new names and reloads their focus. */
  | { kind: 'profile-changed'; userId: number; username: string | null; displayName: string | null }
  /** An admin or the users command changed the user's role: their sockets learn it (`role.changed`). */
  | { kind: 'role-changed'; userId: number; role: 'user' | 'admin' }
  /** Some instance's list of connected users changed: read the shared presence again. */
  | { kind: 'presence-changed' }
  /** Someone is typing, on some instance, until that instant (epoch ms). */
  | { kind: 'typing'; userId: number; displayName: string; until: number }
  /** Some instance stored work due at that instant (epoch ms): a scheduler sleeping longer wakes then. */
  | { kind: 'jobs-due'; at: number }
  /** Local only: the bus may have lost messages since `since` (epoch ms; Redis was away); clients must catch up. */
  | { kind: 'resync'; since: number };

/** What presence shows of someone's timer: the run when they share it, and whether mentions wait for them. */
export interface FocusState {
  focusing: Focusing | null;
  /** Their timer runs and they asked for quiet while focusing (`quiet_while_focusing`). */
  quiet: boolean;
}

export interface Focusing {
  since: string;
  label: string;
  /** When the run reaches its target (the page shows the time left); null for an open-ended run. */
  ends_at: string | null;
}

/**
 * Carries events between the parts of one process and, with Redis, between instances.
 * Delivery is at most once: a client that missed something catches up from the database.
 */
export interface Bus {
  publish(message: BusMessage): void;
  /** Returns a function that stops the subscription. */
  subscribe(handler: (message: BusMessage) => void): () => void;
  /** Throws when the bus cannot carry messages right now. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
