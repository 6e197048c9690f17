/**
 * Who a message mentions: the one rule the server (which records and counts mentions) and the
 * pages (which mark them) both apply.
 */

/** `@name` where the name could be a username (3–30 letters, digits, `_`), not inside a word or an email. */
export const MENTION_PATTERN = /(?<![A-Za-z0-9_@.])@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_])/g;

/** `@here`: everyone online at that moment; only an admin's reaches them. */
export const HERE = 'here';

/** At most this many people are mentioned by one message (the rest stay text). */
export const MAX_MENTIONS = 20;

/** Code (fenced blocks and inline spans) is quoted text: a name there mentions nobody. */
function withoutCode(content: string): string {
  return content.replace(/```[\s\S]*?(?:```|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
}

/** The names a message mentions, lower-case, each once, in order, at most MAX_MENTIONS (`here` included). */
export function mentionedNames(content: string): string[] {
  const names = new Set<string>();
  for (const match of withoutCode(content).matchAll(MENTION_PATTERN)) {
    const name = match[1]?.toLowerCase();
    if (name !== undefined) names.add(name);
    if (names.size >= MAX_MENTIONS) break;
  }
  return [...names];
}

/** Whether a message mentions `username` by name (case-insensitive). */
export function mentionsUsername(content: string, username: string | null | undefined): boolean {
  return !!username && mentionedNames(content).includes(username.toLowerCase());
}

/** The `@…` being typed just before the caret, for autocomplete: its start and the name so far. */
export function mentionAtCaret(text: string, caret: number): { start: number; query: string } | null {
  const match = /(?<![A-Za-z0-9_@.])@([A-Za-z0-9_]{0,30})$/.exec(text.slice(0, caret));
  if (match === null) return null;
  return { start: match.index, query: match[1] ?? '' };
}
