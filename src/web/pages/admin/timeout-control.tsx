import { Hourglass } from 'lucide';
import { useState } from 'preact/hooks';
import type { AdminUser } from '../../../protocol/admin.js';
import { Icon } from '../../lib/icon.js';
import './timeout-control.css';

/** Timeout lengths offered; the server takes any 1–10080 minutes. */
const LENGTHS: readonly { minutes: number; label: string }[] = [
  { minutes: 10, label: '10 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 1440, label: '1 day' },
  { minutes: 10_080, label: '1 week' },
];

interface TimeoutControlProps {
  user: AdminUser;
  name: string;
  busy: boolean;
  onTimeout: (minutes: number) => void;
}

/** Times a member out (they can read, not post), or lifts a running timeout. */
export function TimeoutControl({ user, name, busy, onTimeout }: TimeoutControlProps) {
  const [minutes, setMinutes] = useState(LENGTHS[0]?.minutes ?? 10);
  if (user.timed_out_until !== null) {
    return (
      <button type="button" class="btn btn-secondary btn-small" disabled={busy} onClick={() => onTimeout(0)}>
        <Icon icon={Hourglass} size={16} />
        <span>Lift timeout</span>
      </button>
    );
  }
  const id = `timeout-${user.id}`;
  return (
    <span class="timeout-control">
      <label class="visually-hidden" for={id}>
        Timeout length for {name}
      </label>
      <select
        id={id}
        class="input select input-small"
        value={minutes}
        onChange={(event) => setMinutes(Number(event.currentTarget.value))}
      >
        {LENGTHS.map((length) => (
          <option key={length.minutes} value={length.minutes}>
            {length.label}
          </option>
        ))}
      </select>
      <button type="button" class="btn btn-secondary btn-small" disabled={busy} onClick={() => onTimeout(minutes)}>
        <Icon icon={Hourglass} size={16} />
        <span>Time out</span>
      </button>
    </span>
  );
}
