import { Check, Trash2 } from 'lucide';
import { useEffect } from 'preact/hooks';
import type { ReportedMessage, ReportResolution } from '../../../protocol/moderation.js';
import { formatDate } from '../../lib/format.js';
import { useSubmit } from '../../lib/forms.js';
import { Icon } from '../../lib/icon.js';
import { getLive } from '../../lib/live.js';
import { ErrorBox, FormMessage, PageLoading } from '../../lib/ui.js';
import { useLoad } from '../../lib/use-load.js';
import { getReports, resolveReport } from './admin-api.js';
import './reports-panel.css';

/** Reported messages with who reported them and why; dismissing or deleting closes all their reports. */
export function ReportsPanel({ onResolved }: { onResolved: () => void }) {
  const reports = useLoad(getReports);
  const { retry } = reports;
  // A new report (or one resolved by another admin) shows without a reload.
  useEffect(() => getLive().on('reports.changed', () => retry()), [retry]);

  let body;
  if (reports.state.status === 'error') {
    body = <ErrorBox title="Could not load the reports" message={reports.state.message} onRetry={retry} />;
  } else if (reports.state.status === 'loading') {
    body = <PageLoading label="Loading the reports…" />;
  } else if (reports.state.data.reports.length === 0) {
    body = <p class="muted">No open reports.</p>;
  } else {
    body = (
      <ul class="report-list">
        {reports.state.data.reports.map((report) => (
          <ReportRow key={report.message_id} report={report} onResolved={onResolved} />
        ))}
      </ul>
    );
  }
  return (
    <section aria-labelledby="reports-heading" class="section glass-card admin-panel">
      <h2 id="reports-heading" class="section-title">
        Reports
      </h2>
      {body}
    </section>
  );
}

function ReportRow({ report, onResolved }: { report: ReportedMessage; onResolved: () => void }) {
  const form = useSubmit();
  const resolve = (action: ReportResolution) =>
    void form.run(async () => {
      await resolveReport(report.report_id, action);
      onResolved();
    });
  return (
    <li class="report-row" aria-label={`Report on a message by ${report.sender.display_name}`}>
      <blockquote class="quote-block">
        <strong>{report.sender.display_name}:</strong> {report.content}
      </blockquote>
      <ul class="report-reasons">
        {report.reporters.map((r) => (
          <li key={r.person.id}>
            <strong>{r.person.display_name}</strong> ({formatDate(r.reported_at)}): {r.reason}
          </li>
        ))}
      </ul>
      <div class="button-row">
        <button
          type="button"
          class="btn btn-secondary btn-small"
          disabled={form.busy}
          onClick={() => resolve('dismiss')}
        >
          <Icon icon={Check} size={16} />
          <span>Dismiss</span>
        </button>
        <button type="button" class="btn btn-danger btn-small" disabled={form.busy} onClick={() => resolve('delete')}>
          <Icon icon={Trash2} size={16} />
          <span>Delete message</span>
        </button>
      </div>
      <FormMessage error={form.error} success={form.success} />
    </li>
  );
}
