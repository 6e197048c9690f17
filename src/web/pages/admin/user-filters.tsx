import type { UserView } from './admin-api.js';
import './user-filters.css';

const ROLES = [
  ['', 'Everyone'],
  ['admin', 'Admins'],
  ['user', 'Members'],
] as const;
const STATES = [
  ['', 'Any'],
  ['disabled', 'Disabled'],
  ['timed_out', 'Timed out'],
] as const;
const SORTS = [
  ['joined', 'Newest accounts'],
  ['last_seen', 'Last seen'],
] as const;

/** Narrow the account list by role and state, and sort it. */
export function UserFilters({ filter, onChange }: { filter: UserView; onChange: (filter: UserView) => void }) {
  const choose = (key: keyof UserView, value: string) =>
    onChange({ ...filter, [key]: value === '' ? undefined : value });
  const select = (key: keyof UserView, label: string, options: readonly (readonly [string, string])[]) => (
    <div class="field">
      <label class="field-label" for={`filter-${key}`}>
        {label}
      </label>
      <select
        id={`filter-${key}`}
        class="input select"
        value={filter[key] ?? options[0]?.[0]}
        onChange={(event) => choose(key, event.currentTarget.value)}
      >
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div class="admin-filters" role="group" aria-label="Filter and sort the accounts">
      {select('role', 'Role', ROLES)}
      {select('state', 'State', STATES)}
      {select('sort', 'Sort by', SORTS)}
    </div>
  );
}
