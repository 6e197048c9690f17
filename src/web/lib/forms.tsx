import { Eye, EyeOff } from 'lucide';
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage } from './api.js';
import { IconButton } from './ui.js';

/** A mistake found before sending, shown (and coded) like the server's own field errors. */
export function invalidField(field: string, message: string): ApiError {
  return new ApiError(0, 'validation_failed', message, { [field]: message });
}

/**
 * State of one form being sent: `busy` (buttons disabled) is cleared in `finally`, errors
 * become readable text plus one message per field.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Readonly<Record<string, string>>>({});
  const busyRef = useRef(false);

  /** Runs `action`; a string it returns is shown as the success message. */
  const run = useCallback(async (action: () => Promise<string | undefined | void>) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setError(null);
    setSuccess(null);
    setFieldErrors({});
    try {
      const message = await action();
      if (typeof message === 'string') setSuccess(message);
    } catch (caught) {
      setError(errorMessage(caught));
      if (caught instanceof ApiError) setFieldErrors(caught.fieldErrors);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }, []);

  const onSubmit = useCallback(
    (action: () => Promise<string | undefined | void>) => (event: Event) => {
      event.preventDefault();
      void run(action);
    },
    [run],
  );

  const clearMessages = useCallback(() => {
    setError(null);
    setSuccess(null);
  }, []);

  return { busy, error, success, fieldErrors, run, onSubmit, clearMessages };
}

interface FieldFrameProps {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ComponentChildren;
  optional?: boolean;
  children: ComponentChildren;
}

function FieldFrame({ id, label, error, hint, optional, children }: FieldFrameProps) {
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label class="field-label" for={id}>
        {label}
        {optional && <span class="field-optional"> (optional)</span>}
      </label>
      {children}
      {hint && !error && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function describedBy(id: string, error: string | undefined, hint: ComponentChildren): string | undefined {
  if (error) return `${id}-error`;
  return hint ? `${id}-hint` : undefined;
}

interface FieldProps {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ComponentChildren;
  optional?: boolean;
}

type InputProps = FieldProps & Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'id' | 'label'>;

export function TextField({ id, label, error, hint, optional, ...input }: InputProps) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} optional={optional}>
      <input
        id={id}
        name={id}
        class="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...input}
      />
    </FieldFrame>
  );
}

/** The email field of the sign-in and registration forms. */
export function EmailField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}) {
  return (
    <TextField
      id="email"
      label="Email"
      type="email"
      autocomplete="email"
      inputMode="email"
      placeholder="you@example.com"
      value={value}
      onInput={(event) => onChange(inputValue(event))}
      error={error}
      required
    />
  );
}

type TextAreaProps = FieldProps & Omit<JSX.TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'label'>;

export function TextAreaField({ id, label, error, hint, optional, ...textarea }: TextAreaProps) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} optional={optional}>
      <textarea
        id={id}
        name={id}
        class="input textarea"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...textarea}
      />
    </FieldFrame>
  );
}

type SelectProps = FieldProps &
  Omit<JSX.SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'label'> & { options: readonly string[] };

export function SelectField({ id, label, error, hint, optional, options, ...select }: SelectProps) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} optional={optional}>
      <select
        id={id}
        name={id}
        class="input select"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...select}
      >
        {options.map((option) => (
          <option key={option} value={option}>
            {option.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** The value of the input an event came from. */
export function inputValue(event: Event): string {
  return (event.currentTarget as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value;
}

/** A password input with a button that shows or hides what was typed. */
export function PasswordField({ id, label, error, hint, optional, ...input }: InputProps) {
  const [visible, setVisible] = useState(false);
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} optional={optional}>
      <div class="input-group">
        <input
          id={id}
          name={id}
          class="input"
          type={visible ? 'text' : 'password'}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, error, hint)}
          {...input}
        />
        <IconButton
          icon={visible ? EyeOff : Eye}
          iconSize={18}
          class="input-addon"
          label={visible ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}
          aria-pressed={visible}
          onClick={() => setVisible(!visible)}
        />
      </div>
    </FieldFrame>
  );
}
