import type { Provider } from '../../protocol/oauth.js';
import { getProviders } from './endpoints.js';
import { useLoad } from './use-load.js';
import './provider-buttons.css';

/** Loads the providers that are on; none (or a failed load) leaves the sign-in by password alone. */
export function useProviders(): readonly Provider[] {
  const { state } = useLoad(getProviders);
  return state.status === 'ready' ? state.data.providers : [];
}

/** "Continue with …" links, one per provider the server has on; `next` comes back after sign-in. */
export function ProviderButtons({ next }: { next: string | null }) {
  const providers = useProviders();
  if (providers.length === 0) return null;
  const query = next === null ? '' : `?next=${encodeURIComponent(next)}`;
  return (
    <div class="provider-sign-in">
      <p class="provider-divider">or</p>
      <ul class="provider-list" aria-label="Sign in with a provider">
        {providers.map((provider) => (
          <li key={provider.id}>
            <a class="btn btn-secondary provider-button" href={`/auth/${provider.id}/login${query}`}>
              Continue with {provider.name}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
