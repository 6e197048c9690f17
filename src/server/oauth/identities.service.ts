import type { Identities, ProviderId } from '../../protocol/oauth.js';
import * as auth from '../auth/auth.service.js';
import { httpError, notFound } from '../http/errors.js';
import type { OAuthDeps } from './oauth.service.js';
import * as repo from './oauth.repository.js';

/** Names of identities whose provider has since been turned off. */
const DEFAULT_NAMES: Record<ProviderId, string> = { github: 'GitHub', google: 'Google', oidc: 'Single sign-on' };

function nameOf(deps: Pick<OAuthDeps, 'providers'>, id: ProviderId): string {
  return deps.providers.get(id)?.name ?? DEFAULT_NAMES[id];
}

export async function listIdentities(deps: OAuthDeps, userId: number): Promise<Identities> {
  const [rows, account] = await Promise.all([
    repo.listIdentities(deps.db, userId),
    auth.findAccount(deps, { id: userId }),
  ]);
  return {
    identities: rows.flatMap((row) =>
      row.provider in DEFAULT_NAMES
        ? [
            {
              provider: row.provider as ProviderId,
              provider_name: nameOf(deps, row.provider as ProviderId),
              linked_at: new Date(row.created_at).toISOString(),
            },
          ]
        : [],
    ),
    has_password: account?.hasPassword ?? false,
  };
}

/** Unlinks a provider, unless it is the account's last way in (no password, no other provider that is on). */
export async function unlinkIdentity(deps: OAuthDeps, userId: number, provider: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const identities = await repo.lockIdentities(trx, userId);
    if (!identities.some((row) => row.provider === provider)) throw notFound('Linked provider');
    const account = await auth.findAccount({ db: trx }, { id: userId });
    const otherWaysIn =
      identities.filter((row) => row.provider !== provider && deps.providers.has(row.provider as ProviderId)).length +
      (account?.hasPassword ? 1 : 0);
    if (otherWaysIn === 0) {
      throw httpError(
        'last_sign_in_method',
        'This is the only way into your account: link another provider (or set a password through password recovery) before unlinking it',
      );
    }
    await repo.deleteIdentity(trx, userId, provider);
  });
}
