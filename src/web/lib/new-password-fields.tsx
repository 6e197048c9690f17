import { inputValue, invalidField, PasswordField } from './forms.js';
import { PASSWORD_HINT, PASSWORD_MIN, passwordProblem } from './password-rules.js';

export const NEW_PASSWORD_PLACEHOLDER = `At least ${PASSWORD_MIN} characters`;

interface NewPasswordFieldsProps {
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  errors: Readonly<Record<string, string>>;
}

/** A new password and its confirmation (fields `new_password`, `confirm_password`). */
export function NewPasswordFields({ password, confirm, onPassword, onConfirm, errors }: NewPasswordFieldsProps) {
  return (
    <>
      <PasswordField
        id="new_password"
        label="New password"
        autocomplete="new-password"
        placeholder={NEW_PASSWORD_PLACEHOLDER}
        hint={PASSWORD_HINT}
        value={password}
        onInput={(event) => onPassword(inputValue(event))}
        error={errors.new_password}
        required
      />
      <PasswordField
        id="confirm_password"
        label="Confirm new password"
        autocomplete="new-password"
        value={confirm}
        onInput={(event) => onConfirm(inputValue(event))}
        error={errors.confirm_password}
        required
      />
    </>
  );
}

/** Refuses, as the server would, before anything is sent: the rule first, then the confirmation. */
export function checkNewPassword(password: string, confirm: string): void {
  const problem = passwordProblem(password);
  if (problem !== null) throw invalidField('new_password', problem);
  if (password !== confirm) throw invalidField('confirm_password', 'The new passwords do not match');
}
