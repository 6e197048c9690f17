import type { IconNode } from 'lucide';
import { CircleAlert, CircleCheck, RefreshCw } from 'lucide';
import type { ComponentChildren, JSX, Ref } from 'preact';
import { Icon } from './icon.js';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';
export type ButtonSize = 'small' | 'medium' | 'large';

/** The classes of a button, also for a link drawn as one (`<a class={buttonClass('secondary')}>`). */
export function buttonClass(variant: ButtonVariant, size: ButtonSize = 'medium', extra?: string): string {
  return ['btn', `btn-${variant}`, size !== 'medium' && `btn-${size}`, extra].filter(Boolean).join(' ');
}

type ButtonAttributes = Omit<
  JSX.ButtonHTMLAttributes<HTMLButtonElement>,
  'size' | 'class' | 'className' | 'ref' | 'icon'
>;

interface ButtonProps extends ButtonAttributes {
  variant: ButtonVariant;
  size?: ButtonSize;
  class?: string;
  buttonRef?: Ref<HTMLButtonElement>;
}

/** The one text button (`type="button"` unless told otherwise). */
export function Button({ variant, size, class: extra, buttonRef, type = 'button', ...rest }: ButtonProps) {
  return <button {...rest} ref={buttonRef} type={type} class={buttonClass(variant, size, extra)} />;
}

interface IconButtonProps extends ButtonAttributes {
  icon: IconNode;
  /** Its accessible name: the button shows only the icon. */
  label: string;
  /** small: a toolbar (2 rem); medium (2.25 rem); large: a row of a list (2.5 rem). */
  size?: ButtonSize;
  danger?: boolean;
  iconSize?: number;
  class?: string;
  buttonRef?: Ref<HTMLButtonElement>;
}

/** The one button that is only an icon. */
export function IconButton({
  icon,
  label,
  size = 'medium',
  danger = false,
  iconSize = 16,
  class: extra,
  buttonRef,
  ...rest
}: IconButtonProps) {
  const classes = ['icon-button', size !== 'medium' && `icon-button-${size}`, danger && 'icon-button-danger', extra];
  return (
    <button {...rest} ref={buttonRef} type="button" class={classes.filter(Boolean).join(' ')} aria-label={label}>
      <Icon icon={icon} size={iconSize} />
    </button>
  );
}

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
          <Button variant="secondary" onClick={onRetry}>
            <Icon icon={RefreshCw} size={16} />
            Retry
          </Button>
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
    <Button type="submit" variant={variant} disabled={busy || disabled} aria-busy={busy}>
      {busy && <Spinner />}
      <span>{busy && busyLabel ? busyLabel : children}</span>
    </Button>
  );
}
