/** Limits of the chat that the server enforces and the pages follow. */

/** The server relays at most one `typing` per person this often; the page sends no more often. */
export const TYPING_EVERY_MS = 2_000;

/**
 * `?page=` reads walk OFFSET rows: a page may reach at most this many messages back
 * (page × page_size). Older history is read with `before=<id>`, which an index answers.
 */
export const MAX_PAGE_DEPTH = 10_000;
