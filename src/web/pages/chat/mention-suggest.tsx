import { useState } from 'preact/hooks';
import type { Me } from '../../../protocol/auth.js';
import type { Message, OnlineUser } from '../../../protocol/chat.js';
import { HERE, mentionAtCaret } from '../../../protocol/mentions.js';
import './mention-suggest.css';

/** Someone who can be mentioned: online people come first. */
export interface MentionPerson {
  username: string;
  display_name: string;
  online: boolean;
  /** Focusing quietly: a mention waits in their mentions until the run ends. */
  quiet: boolean;
}

const SHOWN = 8;

/** People whose username or name starts with `query` (ignoring case), online first. */
export function matchPeople(people: readonly MentionPerson[], query: string): MentionPerson[] {
  const wanted = query.toLowerCase();
  return people
    .filter((p) => p.username.toLowerCase().startsWith(wanted) || p.display_name.toLowerCase().startsWith(wanted))
    .sort((a, b) => Number(b.online) - Number(a.online))
    .slice(0, SHOWN);
}

export const HERE_OPTION: MentionPerson = {
  username: HERE,
  display_name: 'Everyone online',
  online: true,
  quiet: false,
};

export interface MentionSuggest {
  options: MentionPerson[];
  active: number;
  /** The textarea's aria attributes while options show. */
  inputProps: Record<string, string | undefined>;
  /** Handles arrows, Enter, Tab and Escape while options show; true when it did. */
  onKey(event: KeyboardEvent): boolean;
  choose(person: MentionPerson): void;
}

/**
 * `@` autocomplete for a textarea: the options for the `@name` before the caret; arrows move,
 * Enter or Tab inserts `@username `, Escape closes them for this `@`.
 */
export function useMentionSuggest(
  people: readonly MentionPerson[],
  value: string,
  caret: number,
  insert: (next: string, caret: number) => void,
): MentionSuggest {
  // The highlighted option belongs to one `@query`: typing on starts again at the first.
  const [active, setActive] = useState({ key: '', index: 0 });
  const [dismissed, setDismissed] = useState<string | null>(null);
  const at = mentionAtCaret(value, caret);
  const key = at === null ? '' : `${at.start}:${at.query}`;
  const options = at === null || key === dismissed ? [] : matchPeople(people, at.query);
  const index = active.key === key ? Math.min(active.index, Math.max(0, options.length - 1)) : 0;

  const choose = (person: MentionPerson) => {
    if (at === null) return;
    const before = `${value.slice(0, at.start)}@${person.username} `;
    insert(before + value.slice(caret).replace(/^\s/, ''), before.length);
  };

  return {
    options,
    active: index,
    inputProps:
      options.length === 0
        ? {}
        : { 'aria-controls': 'mention-options', 'aria-activedescendant': `mention-option-${index}` },
    onKey(event) {
      if (options.length === 0 || at === null) return false;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive({ key, index: (index + step + options.length) % options.length });
      } else if (event.key === 'Enter' || event.key === 'Tab') {
        const person = options[index];
        if (person) choose(person);
      } else if (event.key === 'Escape') {
        setDismissed(key);
      } else {
        return false;
      }
      event.preventDefault();
      return true;
    },
    choose,
  };
}

/** The options under the composer; chosen by keyboard from the textarea, or by pointer. */
export function MentionOptions({ suggest }: { suggest: MentionSuggest }) {
  if (suggest.options.length === 0) return null;
  return (
    <ul id="mention-options" class="mention-options" role="listbox" aria-label="People to mention">
      {suggest.options.map((person, i) => (
        <li
          key={person.username}
          id={`mention-option-${i}`}
          role="option"
          aria-selected={i === suggest.active}
          class={i === suggest.active ? 'mention-option is-active' : 'mention-option'}
          // Keeps the focus in the textarea.
          onMouseDown={(event) => {
            event.preventDefault();
            suggest.choose(person);
          }}
        >
          <span class="mention-option-name">{person.display_name}</span>
          <span class="mention-option-username">@{person.username}</span>
          {person.online && <span class="visually-hidden">, online</span>}
        </li>
      ))}
    </ul>
  );
}

/** Who `@` offers: online people first, then those who wrote in the loaded messages; `@here` for admins. */
export function mentionPeople(
  me: Me,
  online: readonly OnlineUser[],
  messages: readonly Message[],
  isAdmin: boolean,
): MentionPerson[] {
  const people = new Map<string, MentionPerson>();
  for (const user of online) {
    if (user.username && user.id !== me.id) {
      people.set(user.username, {
        username: user.username,
        display_name: user.display_name,
        online: true,
        quiet: user.quiet,
      });
    }
  }
  for (const message of messages) {
    const username = message.sender_username;
    if (username && message.sender_id !== me.id && !people.has(username)) {
      people.set(username, { username, display_name: message.sender_name, online: false, quiet: false });
    }
  }
  return [...(isAdmin ? [HERE_OPTION] : []), ...people.values()];
}
