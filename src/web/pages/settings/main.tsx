import { getProfile } from '../../lib/endpoints.js';
import { mount } from '../../lib/mount.js';
import { SignedInPage, type Session } from '../../lib/shell.js';
import { ErrorBox, PageLoading } from '../../lib/ui.js';
import { useLoad } from '../../lib/use-load.js';
import { PasswordCard } from './password-card.js';
import { ProfileCard } from './profile-card.js';
import { SessionsCard } from './sessions-card.js';
import { SignInMethodsCard } from './sign-in-methods-card.js';
import './main.css';

function SettingsPage({ session }: { session: Session }) {
  const { state, retry } = useLoad(getProfile);
  return (
    <>
      <div class="page-header">
        <div>
          <p class="eyebrow">Settings</p>
          <h1 class="page-title">Your account</h1>
          <p class="page-subtitle">Your profile, password, sign-in methods and sessions.</p>
        </div>
      </div>
      <div class="page-columns settings-grid">
        <div class="page-column">
          {state.status === 'loading' && <PageLoading label="Loading your profile…" />}
          {state.status === 'error' && (
            <ErrorBox title="Could not load your profile" message={state.message} onRetry={retry} />
          )}
          {state.status === 'ready' && <ProfileCard profile={state.data} onSaved={session.updateMe} />}
        </div>
        <div class="page-column">
          <PasswordCard
            hasPassword={session.me.has_password}
            onPasswordSet={() => session.updateMe({ has_password: true })}
          />
          <SignInMethodsCard />
          <SessionsCard />
        </div>
      </div>
    </>
  );
}

mount(<SignedInPage active="settings">{(session) => <SettingsPage session={session} />}</SignedInPage>);
