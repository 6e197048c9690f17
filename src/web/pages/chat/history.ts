import { errorMessage } from '../../lib/api.js';
import { getBefore } from './chat-api.js';
import type { ChatStore } from './store.js';
import type { ChatView } from './sync.js';

/** Older messages: "Load older", and finding the original of a reply further up. */
export class History {
  private loading: Promise<boolean> | null = null;

  constructor(
    private readonly store: ChatStore,
    private readonly pageSize: number,
    private readonly show: (changes: Partial<ChatView>) => void,
  ) {}

  /** The page before the oldest held message. False when it failed (the error is shown). */
  loadOlder(limit = this.pageSize): Promise<boolean> {
    this.loading ??= this.load(limit).finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(limit: number): Promise<boolean> {
    const lowest = this.store.lowestId;
    if (!this.store.hasOlder || lowest === undefined) return true;
    this.show({ olderLoading: true, olderError: null });
    try {
      const asOf = this.store.mark();
      const page = await getBefore(lowest, limit);
      this.store.prepend(page.messages, page.has_more, asOf);
      this.show({ olderLoading: false });
      return true;
    } catch (error) {
      this.show({ olderLoading: false, olderError: `Could not load older messages: ${errorMessage(error)}` });
      return false;
    }
  }

  /** Loads older pages until message `id` is held; false when it cannot be (deleted, or too far back). */
  async ensureLoaded(id: number): Promise<boolean> {
    for (let tries = 0; tries < 10; tries += 1) {
      if (this.store.get(id) !== undefined) return true;
      const lowest = this.store.lowestId;
      if (this.store.isGone(id) || !this.store.hasOlder || lowest === undefined || lowest < id) return false;
      if (!(await this.loadOlder(100))) return false;
    }
    return this.store.get(id) !== undefined;
  }
}
