import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { freePort } from './ports.js';
import { listenLocally } from './local-server.js';

/** The person the test provider signs in next, without a login form (a custom interaction). */
export interface OpenIdAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
}

export interface OpenIdClient {
  clientId: string;
  clientSecret: string;
  /** The app's callback, e.g. `http://127.0.0.1:8000/auth/oidc/callback`. */
  redirectUri: string;
}

export interface OpenIdServer {
  issuer: string;
  /** Who the next sign-in is; `'deny'` answers access_denied as a person refusing consent would. */
  signInAs(account: OpenIdAccount | 'deny'): void;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (`oidc-provider`) on 127.0.0.1 and a free port, with these clients.
 * Its interaction logs in the chosen account and grants what was asked at once, so a test (or a
 * browser) following its redirects goes straight back to the app.
 */
export async function startOpenIdServer(clients: readonly OpenIdClient[]): Promise<OpenIdServer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, OpenIdAccount>();
  let next: OpenIdAccount | 'deny' | undefined;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });

  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: [c.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }] },
    cookies: { keys: ['a test key that signs the provider cookies'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    findAccount: (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      return account && { accountId: id, claims: () => ({ ...account }) };
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
  });
  const handle = provider.callback();

  const server: Server = createServer((req, res) => {
    if (!req.url?.startsWith('/interaction/')) return handle(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const account = next;
      if (account === undefined) throw new Error('the test did not say who signs in (signInAs)');
      if (account === 'deny') {
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'refused' });
        return;
      }
      accounts.set(account.sub, account);
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(req, res, { login: { accountId: account.sub } });
        return;
      }
      const grant = new provider.Grant({ accountId: account.sub, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId: await grant.save() } },
        {
          mergeWithLastSubmission: true,
        },
      );
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  const close = await listenLocally(server, port);

  return {
    issuer,
    signInAs(account) {
      next = account;
    },
    close,
  };
}
