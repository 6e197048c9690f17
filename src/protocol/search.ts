/**
 * Search terms: the one rule by which the server builds its full-text query and marks the
 * matched words, on both databases. Words are runs of letters and digits (punctuation separates
 * them, as both databases' indexes do); each term matches words that start with it.
 */

export const SEARCH_MAX_TERMS = 8;
/** A term shorter than this matches too much to mean anything, and is left out. */
export const SEARCH_MIN_TERM_LENGTH = 2;
const SEARCH_MAX_TERM_LENGTH = 64;

const WORD = /[\p{L}\p{N}]+/gu;

/** The distinct terms of a query, lower-case, in order. */
export function searchTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const [word] of query.toLowerCase().matchAll(WORD)) {
    if (word.length < SEARCH_MIN_TERM_LENGTH) continue;
    terms.add(word.slice(0, SEARCH_MAX_TERM_LENGTH));
    if (terms.size >= SEARCH_MAX_TERMS) break;
  }
  return [...terms];
}

/** Where in `text` the words that match a term are: `[start, end)` pairs, in order. */
export function matchedRanges(text: string, terms: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  if (terms.length === 0) return ranges;
  for (const match of text.matchAll(WORD)) {
    const word = match[0].toLowerCase();
    if (terms.some((term) => word.startsWith(term))) ranges.push([match.index, match.index + match[0].length]);
  }
  return ranges;
}
