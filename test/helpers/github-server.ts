import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { freePort } from './ports.js';
import { listenLocally } from './local-server.js';

/** A GitHub person as its API shows them. */
export interface GithubAccount {
  id: number;
  login: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface GithubServer {
  /** For GITHUB_OAUTH_URL and GITHUB_API_URL. */
  url: string;
  signInAs(account: GithubAccount | 'deny'): void;
  close(): Promise<void>;
}

interface IssuedCode {
  account: GithubAccount;
  challenge: string;
  redirectUri: string;
}

/**
 * A small server speaking GitHub's OAuth shapes: the authorize page (which approves at once as
 * the chosen account), the token endpoint (PKCE S256 checked; errors as 200 JSON like GitHub's),
 * `GET /user` and `GET /user/emails`.
 */
export async function startGithubServer(client: { clientId: string; clientSecret: string }): Promise<GithubServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const codes = new Map<string, IssuedCode>();
  const tokens = new Map<string, GithubAccount>();
  let next: GithubAccount | 'deny' | undefined;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  function authorize(query: URLSearchParams, res: ServerResponse) {
    const redirect = new URL(query.get('redirect_uri') ?? '');
    redirect.searchParams.set('state', query.get('state') ?? '');
    if (next === 'deny') {
      redirect.searchParams.set('error', 'access_denied');
    } else if (next === undefined || query.get('client_id') !== client.clientId) {
      return json(res, 400, { error: 'unknown client or no account chosen' });
    } else if (query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) {
      return json(res, 400, { error: 'PKCE required' });
    } else {
      const code = randomBytes(10).toString('hex');
      codes.set(code, {
        account: next,
        challenge: query.get('code_challenge') ?? '',
        redirectUri: redirect.origin + redirect.pathname,
      });
      redirect.searchParams.set('code', code);
    }
    res.writeHead(302, { location: redirect.href }).end();
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const form = new URLSearchParams(body);
    const issued = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (form.get('client_id') !== client.clientId || form.get('client_secret') !== client.clientSecret) {
      return json(res, 200, { error: 'incorrect_client_credentials' });
    }
    if (issued === undefined || issued.redirectUri !== form.get('redirect_uri') || issued.challenge !== challenge) {
      return json(res, 200, {
        error: 'bad_verification_code',
        error_description: 'The code passed is incorrect or expired.',
      });
    }
    const accessToken = `gho_${randomBytes(16).toString('hex')}`;
    tokens.set(accessToken, issued.account);
    json(res, 200, { access_token: accessToken, token_type: 'bearer', scope: 'read:user,user:email' });
  }

  function api(req: IncomingMessage, path: string, res: ServerResponse) {
    const account = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (account === undefined) return json(res, 401, { message: 'Bad credentials' });
    if (path === '/user') {
      // The public profile email may be anything, verified or not: the app must not trust it.
      return json(res, 200, {
        id: account.id,
        login: account.login,
        name: account.login,
        email: account.emails[0]?.email ?? null,
      });
    }
    json(
      res,
      200,
      account.emails.map((e) => ({ ...e, visibility: e.primary ? 'private' : null })),
    );
  }

  const server: Server = createServer((req, res) => {
    const { pathname, searchParams } = new URL(req.url ?? '/', url);
    if (req.method === 'GET' && pathname === '/login/oauth/authorize') return authorize(searchParams, res);
    if (req.method === 'POST' && pathname === '/login/oauth/access_token') {
      token(req, res).catch(() => json(res, 500, {}));
      return;
    }
    if (req.method === 'GET' && (pathname === '/user' || pathname === '/user/emails')) return api(req, pathname, res);
    json(res, 404, { message: 'Not Found' });
  });
  const close = await listenLocally(server, port);

  return {
    url,
    signInAs(account) {
      next = account;
    },
    close,
  };
}
