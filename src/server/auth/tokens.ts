import { SignJWT, jwtVerify, errors } from 'jose';
import type { JwtAlgorithm } from '../config.js';

export interface TokenClaims {
  userId: number;
  version: number;
  /** Issued at, epoch seconds. */
  issuedAt: number;
}

export interface TokenService {
  readonly lifetimeSeconds: number;
  issue(userId: number, version: number): Promise<string>;
  /** The claims of a valid token, or undefined for a bad, tampered, expired or `alg: none` one. */
  read(token: string): Promise<TokenClaims | undefined>;
}

export function createTokenService(
  secret: string,
  algorithm: JwtAlgorithm,
  expireMinutes: number,
  now: () => number,
): TokenService {
  const key = new TextEncoder().encode(secret);
  const lifetimeSeconds = expireMinutes * 60;
  return {
    lifetimeSeconds,
    async issue(userId, version) {
      const issuedAt = Math.floor(now() / 1000);
      return new SignJWT({ ver: version })
        .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + lifetimeSeconds)
        .sign(key);
    },
    async read(token) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: [algorithm], currentDate: new Date(now()) });
        const userId = Number(payload.sub);
        const { ver, iat } = payload;
        if (!Number.isSafeInteger(userId) || typeof ver !== 'number' || typeof iat !== 'number') return undefined;
        return { userId, version: ver, issuedAt: iat };
      } catch (error) {
        if (error instanceof errors.JOSEError || error instanceof TypeError) return undefined;
        throw error;
      }
    },
  };
}
