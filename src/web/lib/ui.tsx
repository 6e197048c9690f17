import { CircleAlert, CircleCheck, RefreshCw } from 'lucide';
import type { ComponentChildren } from 'preact';
import { Icon } from './icon.js';

/** A small spinning ring; `label` is read to screen readers. */
export function Spinner({ label }: { label?: string }) {
  return (
    <span class="spinner" role={label ? 'status' : undefined} aria-label={label}>
      <span class="spinner-ring" aria-hidden="true" />
    </span>
  );
}

/** The whole-page placeholder while the first data loads. */
export function PageLoading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="page-loading" role="status" aria-live="polite">
      <Spinner />
      <span>{label}</span>
    </div>
  );
}

/** A failed load: what went wrong, and a way to try again (no page sticks on "Loading…"). */
export function ErrorBox({ title, message, onRetry }: { title?: string; message: string; onRetry?: () => void }) {
  return (
    <div class="error-box glass-card" role="alert">
      <Icon icon={CircleAlert} size={28} class="error-box-icon" />
      <div class="error-box-body">
        <p class="error-box-title">{title ?? 'Could not load this page'}</p>
        <p class="error-box-message">{message}</p>
        {onRetry && (
          <button type="button" class="btn btn-secondary" onClick={onRetry}>
            <Icon icon={RefreshCw} size={16} />
            Retry
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * A form's outcome. The live region is always in the page, so screen readers announce the
 * text when it appears; errors are assertive, successes polite.
 */
export function FormMessage({ error, success }: { error?: string | null; success?: string | null }) {
  return (
    <>
      <div class="form-message-slot" role="alert" aria-live="assertive">
        {error && (
          <p class="form-message form-message-error">
            <Icon icon={CircleAlert} size={18} />
            <span>{error}</span>
          </p>
        )}
      </div>
      <div class="form-message-slot" role="status" aria-live="polite">
        {success && !error && (
          <p class="form-message form-message-success">
            <Icon icon={CircleCheck} size={18} />
            <span>{success}</span>
          </p>
        )}
      </div>
    </>
  );
}

interface SubmitButtonProps {
  busy: boolean;
  children: ComponentChildren;
  busyLabel?: string;
  variant?: 'primary' | 'secondary' | 'danger';
  disabled?: boolean;
}

/** Disabled and showing a spinner while its form is being sent. */
export function SubmitButton({ busy, children, busyLabel, variant = 'primary', disabled }: SubmitButtonProps) {
  return (
    <button type="submit" class={`btn btn-${variant}`} disabled={busy || disabled} aria-busy={busy}>
      {busy && <Spinner />}
      <span>{busy && busyLabel ? busyLabel : children}</span>
    </button>
  );
}
