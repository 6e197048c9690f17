import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { safeNextPath } from '../../protocol/next-path.js';
import type { SessionUser } from '../auth/auth.service.js';
import { httpError } from './errors.js';

/** Where `vite build` puts the pages: the same place from `src/` (tsx) and from `dist/` (node). */
export const WEB_DIST_DIR = fileURLToPath(new URL('../../../dist/web', import.meta.url));

type Access = 'public' | 'signed-in' | 'onboarding' | 'admin';

interface Page {
  path: string;
  file: string;
  access: Access;
}

/** Each page, and who may see it. Signed-out visits to the others go to the login page. */
export const PAGES: readonly Page[] = [
  { path: '/', file: 'login', access: 'public' },
  { path: '/register', file: 'register', access: 'public' },
  { path: '/forgot', file: 'forgot', access: 'public' },
  { path: '/reset', file: 'reset', access: 'public' },
  { path: '/onboarding', file: 'onboarding', access: 'onboarding' },
  { path: '/dashboard', file: 'dashboard', access: 'signed-in' },
  { path: '/chat', file: 'chat', access: 'signed-in' },
  { path: '/clock', file: 'clock', access: 'signed-in' },
  { path: '/settings', file: 'settings', access: 'signed-in' },
  { path: '/admin', file: 'admin', access: 'admin' },
];

const PUBLIC_PATHS = new Set(PAGES.filter((p) => p.access === 'public').map((p) => p.path));

export async function registerPages(app: FastifyInstance, webDir = WEB_DIST_DIR): Promise<void> {
  const built = existsSync(path.join(webDir, 'pages'));
  if (!built) app.log.warn(`the pages are not built (${webDir} is missing): run npm run build`);
  await app.register(fastifyStatic, {
    root: path.join(webDir, 'assets'),
    prefix: '/assets/',
    // Built asset names carry a content hash, so they never change.
    immutable: true,
    maxAge: '365d',
  });

  for (const page of PAGES) {
    app.get(page.path, { schema: { hide: true } }, async (request, reply) => {
      const user = await app.optionalUser(request);
      const redirect = redirectFor(page, user, request);
      if (redirect !== null) return reply.redirect(redirect, 303);
      if (!built) throw httpError('service_unavailable', 'The pages are not built: run npm run build');
      // cacheControl: false, or the options of /assets (a year, immutable) would replace no-store.
      return reply
        .header('Cache-Control', 'no-store')
        .sendFile('index.html', path.join(webDir, 'pages', page.file), { cacheControl: false });
    });
  }
}

function redirectFor(page: Page, user: SessionUser | null, request: FastifyRequest): string | null {
  if (page.access === 'public') {
    if (user === null) return null;
    const next = safeNextPath((request.query as { next?: string }).next);
    const leadsBackHere = next !== null && PUBLIC_PATHS.has(next.split(/[?#]/)[0] ?? '');
    return user.profileComplete && next !== null && !leadsBackHere ? next : homeOf(user);
  }
  if (user === null) return `/?next=${encodeURIComponent(request.url)}`;
  if (page.access !== 'onboarding' && !user.profileComplete) return '/onboarding';
  if (page.access === 'admin' && user.role !== 'admin') return '/dashboard';
  return null;
}

function homeOf(user: SessionUser): string {
  return user.profileComplete ? '/dashboard' : '/onboarding';
}
