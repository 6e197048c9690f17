import { isReactionEmoji, MAX_EMOJI_PER_MESSAGE } from '../../../protocol/reactions.js';
import { errorMessage } from '../../lib/api.js';
import * as api from './chat-api.js';
import type { ChatStore } from './store.js';

/** Edit, delete and react: REST calls whose answers update the page at once (events may follow). */
export class ChatActions {
  constructor(
    private readonly store: ChatStore,
    private readonly report: (message: string) => void,
  ) {}

  /** Saves an edit; throws a readable error for the editor to show. */
  async edit(id: number, content: string): Promise<void> {
    const asOf = this.store.mark();
    const message = await api.editMessage(id, content);
    this.store.merge([message], asOf);
  }

  /** Deletes a message; throws a readable error for the dialog to show. */
  async remove(id: number): Promise<void> {
    await api.deleteMessage(id);
    this.store.deleted(id);
  }

  /** Toggles our reaction: shown at once, corrected (or taken back) by the answer. */
  async react(id: number, emoji: string): Promise<void> {
    const reactions = this.store.get(id)?.reactions ?? [];
    const adding = !reactions.some((r) => r.emoji === emoji);
    if (!isReactionEmoji(emoji) || (adding && reactions.length >= MAX_EMOJI_PER_MESSAGE)) {
      this.report(`Could not react: a message takes up to ${MAX_EMOJI_PER_MESSAGE} different emoji`);
      return;
    }
    this.store.toggleReactionLocally(id, emoji);
    const asOf = this.store.mark();
    try {
      this.store.setOwnReactions(id, await api.toggleReaction(id, emoji), asOf);
    } catch (error) {
      if (this.store.mark() === asOf) this.store.toggleReactionLocally(id, emoji);
      this.report(`Could not react: ${errorMessage(error)}`);
    }
  }
}
