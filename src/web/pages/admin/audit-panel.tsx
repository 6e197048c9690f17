import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AuditEntry } from '../../../protocol/moderation.js';
import { errorMessage } from '../../lib/api.js';
import { formatDate } from '../../lib/format.js';
import { ErrorBox, Spinner } from '../../lib/ui.js';
import { getAudit } from './admin-api.js';
import './audit-panel.css';

const ACTIONS: Record<AuditEntry['action'], string> = {
  'account.changed': 'changed the account of',
  'account.timed_out': 'changed the timeout of',
  'message.deleted': 'deleted a message of',
  'report.resolved': 'resolved the reports on a message of',
  'slow_mode.changed': 'changed slow mode',
};

/** One line per admin action, newest first; "Show older" walks back with the cursor. */
export function AuditPanel({ version }: { version: number }) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (before: number | null) => {
    setBusy(true);
    setError(null);
    try {
      const page = await getAudit(before);
      setEntries((held) => (before === null ? page.entries : [...held, ...page.entries]));
      setNext(page.next_before);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }, []);

  // Again from the newest whenever this page changed something.
  useEffect(() => void load(null), [load, version]);

  return (
    <section aria-labelledby="audit-heading" class="section glass-card admin-panel">
      <h2 id="audit-heading" class="section-title">
        Audit log
      </h2>
      {error !== null && (
        <ErrorBox title="Could not load the audit log" message={error} onRetry={() => void load(null)} />
      )}
      {entries.length === 0 && !busy && error === null && <p class="muted">No admin actions yet.</p>}
      <ol class="audit-list">
        {entries.map((entry) => (
          <li key={entry.id} class="audit-row">
            <time dateTime={entry.created_at}>{formatDate(entry.created_at)}</time>{' '}
            <strong>
              {entry.actor_kind === 'cli' ? 'The users command' : (entry.actor?.display_name ?? 'A former admin')}
            </strong>{' '}
            {ACTIONS[entry.action]} {entry.target_user && <strong>{entry.target_user.display_name}</strong>}
            <span class="muted"> {describe(entry.details)}</span>
            {entry.address !== null && <span class="muted"> · from {entry.address}</span>}
          </li>
        ))}
      </ol>
      {next !== null && (
        <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void load(next)}>
          {busy && <Spinner />}
          <span>Show older</span>
        </button>
      )}
    </section>
  );
}

/** `{role: {from, to}}` → "role: user → admin". */
function describe(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => {
      const change = value as { from?: unknown; to?: unknown } | null;
      if (change !== null && typeof change === 'object' && 'to' in change) {
        return `${key.replace(/_/g, ' ')}: ${String(change.from)} → ${String(change.to)}`;
      }
      return `${key.replace(/_/g, ' ')}: ${String(value)}`;
    })
    .join(', ');
}
