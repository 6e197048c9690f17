import { Search, X } from 'lucide';
import { useRef, useState } from 'preact/hooks';
import type { SearchResults } from '../../../protocol/chat-read.js';
import { errorMessage } from '../../lib/api.js';
import { inputValue } from '../../lib/forms.js';
import { Icon } from '../../lib/icon.js';
import { IconButton, Spinner } from '../../lib/ui.js';
import { searchMessages } from './chat-api.js';
import { fullDate } from './time.js';
import './search-panel.css';

type Result = SearchResults['results'][number];

/** The search box of the chat header. */
export function SearchForm({ onSearch }: { onSearch: (query: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="chat-search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        if (value.trim() !== '') onSearch(value.trim());
      }}
    >
      <label for="chat-search-input" class="visually-hidden">
        Search messages
      </label>
      <input
        id="chat-search-input"
        class="input chat-search-input"
        type="search"
        maxLength={200}
        placeholder="Search (word* for prefixes)"
        value={value}
        onInput={(event) => setValue(inputValue(event))}
      />
      <button type="submit" class="btn btn-secondary btn-small" aria-label="Search">
        <Icon icon={Search} size={16} />
      </button>
    </form>
  );
}

/** Results of one query, newest first; choosing one shows it in the conversation. */
export function SearchPanel({
  query,
  onOpen,
  onClose,
}: {
  query: string;
  onOpen: (id: number) => void;
  onClose: () => void;
}) {
  const [state, setState] = useState<{ query: string; results: Result[]; more: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const asked = useRef('');

  const load = async (before?: number) => {
    setBusy(true);
    setError(null);
    try {
      const page = await searchMessages(query, before);
      if (asked.current !== query) return;
      setState((held) => ({
        query,
        results: before === undefined || held === null ? page.results : [...held.results, ...page.results],
        more: page.has_more,
      }));
    } catch (caught) {
      setError(`Could not search: ${errorMessage(caught)}`);
    } finally {
      setBusy(false);
    }
  };
  if (asked.current !== query) {
    asked.current = query;
    void load();
  }

  const shown = state?.query === query ? state : null;
  const last = shown?.results[shown.results.length - 1];
  return (
    <aside class="search-panel glass-card" aria-labelledby="search-heading">
      <div class="search-panel-head">
        <h2 id="search-heading" class="online-heading">
          Results for “{query}”
        </h2>
        <IconButton icon={X} size="small" label="Close search results" onClick={onClose} />
      </div>
      <p class="search-status" role="status">
        {shown === null ? '' : shown.results.length === 0 ? 'No messages found.' : `${shown.results.length} shown`}
      </p>
      {error && (
        <p class="inline-error" role="alert">
          {error}
        </p>
      )}
      {shown !== null && shown.results.length > 0 && (
        <ul class="search-results">
          {shown.results.map((result) => (
            <li key={result.message.id}>
              <button type="button" class="search-result" onClick={() => onOpen(result.message.id)}>
                <span class="search-result-head">
                  <span class="search-result-name">{result.message.sender_name}</span>
                  <time dateTime={result.message.timestamp}>{fullDate(result.message.timestamp)}</time>
                </span>
                <Marked text={result.message.content} marks={result.marks} />
              </button>
            </li>
          ))}
        </ul>
      )}
      {busy && <Spinner />}
      {shown?.more && last && !busy && (
        <button type="button" class="btn btn-secondary btn-small" onClick={() => void load(last.message.id)}>
          More results
        </button>
      )}
    </aside>
  );
}

/** The message as plain text with the matched words in `<mark>`. */
function Marked({ text, marks }: { text: string; marks: Result['marks'] }) {
  const parts = [];
  let at = 0;
  for (const [start, end] of marks) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(text.slice(at));
  return <span class="search-result-text">{parts}</span>;
}
