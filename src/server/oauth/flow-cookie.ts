import { createHmac } from 'node:crypto';
import { SignJWT, errors, jwtVerify, type JWTPayload } from 'jose';
import { isProviderId, type ProviderId } from '../../protocol/oauth.js';

/** What one browser's provider sign-in must bring back to the callback (never put in a URL). */
export interface FlowState {
  provider: ProviderId;
  state: string;
  codeVerifier: string;
  nonce: string;
  /** `link`: add the identity to the signed-in account `userId` instead of signing in. */
  intent: 'sign-in' | 'link';
  userId: number | null;
  next: string | null;
}

/** A verified identity whose email belongs to an existing account, waiting for that account's password. */
export interface PendingIdentity {
  provider: ProviderId;
  subject: string;
  email: string;
  userId: number;
}

export const FLOW_COOKIE = 'codechicks_oauth_flow';
export const PENDING_COOKIE = 'codechicks_oauth_link';
/** Both cookies live ten minutes: long enough to sign in at a provider, short enough to be useless later. */
export const FLOW_LIFETIME_SECONDS = 600;

export interface FlowSigner {
  signFlow(flow: FlowState): Promise<string>;
  readFlow(value: string | undefined): Promise<FlowState | undefined>;
  signPending(pending: PendingIdentity): Promise<string>;
  readPending(value: string | undefined): Promise<PendingIdentity | undefined>;
}

/**
 * Signs the short-lived HttpOnly cookies of provider sign-in. Their key is derived from
 * SECRET_KEY for this purpose alone, so such a cookie can never pass for a session token.
 */
export function createFlowSigner(secret: string, now: () => number): FlowSigner {
  const key = createHmac('sha256', secret).update('codechicks oauth flow cookies').digest();

  async function sign(purpose: string, claims: JWTPayload): Promise<string> {
    const issuedAt = Math.floor(now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(purpose)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + FLOW_LIFETIME_SECONDS)
      .sign(key);
  }

  async function read(purpose: string, value: string | undefined): Promise<JWTPayload | undefined> {
    if (value === undefined || value === '') return undefined;
    try {
      const { payload } = await jwtVerify(value, key, {
        algorithms: ['HS256'],
        audience: purpose,
        currentDate: new Date(now()),
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError) return undefined;
      throw error;
    }
  }

  return {
    signFlow: (flow) => sign('flow', { ...flow }),
    async readFlow(value) {
      const p = await read('flow', value);
      if (p === undefined || typeof p.provider !== 'string' || !isProviderId(p.provider)) return undefined;
      const { state, codeVerifier, nonce, intent, userId, next } = p;
      if (typeof state !== 'string' || typeof codeVerifier !== 'string' || typeof nonce !== 'string') return undefined;
      if (intent !== 'sign-in' && intent !== 'link') return undefined;
      return {
        provider: p.provider,
        state,
        codeVerifier,
        nonce,
        intent,
        userId: typeof userId === 'number' ? userId : null,
        next: typeof next === 'string' ? next : null,
      };
    },
    signPending: (pending) => sign('pending', { ...pending }),
    async readPending(value) {
      const p = await read('pending', value);
      if (p === undefined || typeof p.provider !== 'string' || !isProviderId(p.provider)) return undefined;
      const { subject, email, userId } = p;
      if (typeof subject !== 'string' || typeof email !== 'string' || typeof userId !== 'number') return undefined;
      return { provider: p.provider, subject, email, userId };
    },
  };
}
