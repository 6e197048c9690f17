import { errorMessage } from '../../lib/api.js';
import { createStore, type Store } from '../../lib/store.js';
import { getBefore } from './chat-api.js';
import type { ChatStore } from './store.js';

/** How fetching the conversation goes: the first page, catching up, older pages. */
export interface HistoryView {
  /** The first page could not be loaded (shown with Retry). */
  loadError: string | null;
  /** Catching up failed (it is tried again). */
  syncError: string | null;
  /** E.g. the page skipped a long absence and shows the latest messages. */
  notice: string | null;
  olderLoading: boolean;
  olderError: string | null;
}

/** Older messages: "Load older", and finding the original of a reply further up. */
export class History {
  readonly view: Store<HistoryView> = createStore<HistoryView>({
    loadError: null,
    syncError: null,
    notice: null,
    olderLoading: false,
    olderError: null,
  });
  private loading: Promise<boolean> | null = null;

  constructor(
    private readonly store: ChatStore,
    private readonly pageSize: number,
  ) {}

  /** The page before the oldest held message. False when it failed (the error is shown). */
  loadOlder(limit = this.pageSize): Promise<boolean> {
    this.loading ??= this.load(limit).finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(limit: number): Promise<boolean> {
    const lowest = this.store.lowestId;
    if (!this.store.hasOlder || lowest === undefined) return true;
    this.view.set({ olderLoading: true, olderError: null });
    try {
      const asOf = this.store.mark();
      const page = await getBefore(lowest, limit);
      this.store.prepend(page.messages, page.has_more, asOf);
      this.view.set({ olderLoading: false });
      return true;
    } catch (error) {
      this.view.set({ olderLoading: false, olderError: `Could not load older messages: ${errorMessage(error)}` });
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
