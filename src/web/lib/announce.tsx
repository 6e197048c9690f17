import { useState } from 'preact/hooks';
import './announce.css';

/** Whether starting the timer posts a check-in; remembered on this device, shared by the clock page and the floating timer. */
const STORAGE_KEY = 'codechicks:announce';

export function readAnnounce(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'true';
  } catch {
    return false;
  }
}

function saveAnnounce(value: boolean): void {
  try {
    localStorage.setItem(STORAGE_KEY, String(value));
  } catch {
    // Not remembered, still used now.
  }
}

/** "Announce in chat": its last value is the next page's default. */
export function AnnounceCheckbox({ id, compact = false }: { id: string; compact?: boolean }) {
  const [checked, setChecked] = useState(readAnnounce);
  return (
    <label class={compact ? 'announce-check is-compact' : 'announce-check'} for={id}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => {
          setChecked(event.currentTarget.checked);
          saveAnnounce(event.currentTarget.checked);
        }}
      />
      <span>Announce in chat</span>
    </label>
  );
}
