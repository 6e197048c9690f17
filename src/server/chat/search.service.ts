import type { SearchResults } from '../../protocol/chat-read.js';
import { matchedRanges, searchTerms } from '../../protocol/search.js';
import { searchMessageIds } from '../db/search.js';
import { messagesByIds, type ChatDeps } from './chat.service.js';
import { DEFAULT_LIMIT } from './reading.service.js';

/** Live messages with every word of the query (`word*`: any word starting so), newest first, matched words marked. */
export async function searchMessages(
  deps: ChatDeps,
  userId: number,
  query: { q: string; before?: number; limit?: number },
): Promise<SearchResults> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const terms = searchTerms(query.q);
  const ids = await searchMessageIds(deps.db, terms, { before: query.before, limit: limit + 1 });
  const messages = await messagesByIds(deps, ids.slice(0, limit), userId);
  return {
    terms,
    results: messages.map((message) => ({ message, marks: matchedRanges(message.content, terms) })),
    has_more: ids.length > limit,
  };
}
