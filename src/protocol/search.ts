/**
 * Search terms: the one rule by which the server builds its full-text query and marks the
 * matched words, on both databases. Words are runs of letters and digits (punctuation separates
 * them, as both databases' indexes do). A term matches that word, ignoring case; a term ending in
 * `*` (`pars*`) matches every word that starts with it. Whole words by default, because both
 * indexes answer them in a few index reads however common or rare the word; a prefix of a very
 * common word costs more.
 */

export const SEARCH_MAX_TERMS = 8;
/** A term shorter than this matches too much to mean anything, and is left out. */
export const SEARCH_MIN_TERM_LENGTH = 2;
const SEARCH_MAX_TERM_LENGTH = 64;

const WORD = /[\p{L}\p{N}]+/gu;
const TERM = /([\p{L}\p{N}]+)(\*?)/gu;

/** The distinct terms of a query, lower-case, in order; a prefix term keeps its trailing `*`. */
export function searchTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const [, word = '', star] of query.toLowerCase().matchAll(TERM)) {
    if (word.length < SEARCH_MIN_TERM_LENGTH) continue;
    terms.add(word.slice(0, SEARCH_MAX_TERM_LENGTH) + star);
    if (terms.size >= SEARCH_MAX_TERMS) break;
  }
  return [...terms];
}

/** A term's word, and whether it matches as a prefix. */
export function termParts(term: string): { word: string; prefix: boolean } {
  return term.endsWith('*') ? { word: term.slice(0, -1), prefix: true } : { word: term, prefix: false };
}

/** Where in `text` the words that match a term are: `[start, end)` pairs, in order. */
export function matchedRanges(text: string, terms: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  if (terms.length === 0) return ranges;
  const parts = terms.map(termParts);
  for (const match of text.matchAll(WORD)) {
    const word = match[0].toLowerCase();
    if (parts.some((t) => (t.prefix ? word.startsWith(t.word) : word === t.word))) {
      ranges.push([match.index, match.index + match[0].length]);
    }
  }
  return ranges;
}
