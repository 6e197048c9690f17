import { LogOut } from 'lucide';
import { useState } from 'preact/hooks';
import { leaveTo } from '../../lib/api.js';
import { logoutEverywhere } from '../../lib/endpoints.js';
import { useSubmit } from '../../lib/forms.js';
import { Icon } from '../../lib/icon.js';
import { Button, FormMessage, Spinner } from '../../lib/ui.js';

export function SessionsCard() {
  const form = useSubmit();
  const [confirming, setConfirming] = useState(false);

  const logoutAll = () =>
    void form.run(async () => {
      await logoutEverywhere();
      leaveTo('/');
      return 'Signed out everywhere. Taking you to the sign-in page…';
    });

  return (
    <section class="glass-card settings-card" aria-labelledby="sessions-title">
      <h2 id="sessions-title" class="card-title">
        Sessions
      </h2>
      <p class="muted">
        Left yourself signed in on a shared or lost device? Log out everywhere ends every session, this one included.
      </p>
      {confirming ? (
        <div class="confirm-row" role="group" aria-label="Confirm logging out everywhere">
          <p>Log out on all devices now?</p>
          <div class="button-row">
            <Button variant="danger" disabled={form.busy} aria-busy={form.busy} onClick={logoutAll}>
              {form.busy ? <Spinner /> : <Icon icon={LogOut} size={18} />}
              <span>Yes, log out everywhere</span>
            </Button>
            <Button variant="ghost" disabled={form.busy} onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <Button variant="secondary" onClick={() => setConfirming(true)}>
          <Icon icon={LogOut} size={18} />
          <span>Log out everywhere</span>
        </Button>
      )}
      <FormMessage error={form.error} success={form.success} />
    </section>
  );
}
