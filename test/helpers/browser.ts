import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { WEB_DIST_DIR } from '../../src/server/http/pages.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Env } from '../../src/server/config.js';
import type { Clock } from '../../src/server/context.js';
import { createTestApp, type TestApp } from './app.js';
import { freePort } from './ports.js';

/** Debian's Chromium; the suites never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function findChromium(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true but there is no Chromium at ${CHROMIUM_PATH}: install the chromium package`);
  }
  console.warn(
    `\n!!! No Chromium at ${CHROMIUM_PATH}: the browser suites are SKIPPED (apt-get install chromium to run them).\n`,
  );
  return false;
}

/** False where there is no Chromium (and not in CI): `describe.skipIf(!hasChromium)`. */
export const hasChromium = findChromium();

function assertPagesBuilt(): void {
  const pages = path.join(WEB_DIST_DIR, 'pages');
  if (!existsSync(path.join(pages, 'login', 'index.html'))) {
    throw new Error(`The pages are not built (${pages} is missing): run "npm run build:web" first (npm test does).`);
  }
}

/** What a page did that a user would call broken: CSP violations, console errors, failed assets. */
function watchForProblems(page: Page, problems: string[]): void {
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const url = message.location().url;
    // An API answering 4xx is a result the page shows (wrong password, taken username…);
    // Chromium still logs each one as "Failed to load resource".
    const expectedApiError =
      /^Failed to load resource: the server responded with a status of 4\d\d/.test(text) &&
      /^\/(api|auth)\//.test(new URL(url, 'http://x').pathname);
    if (!expectedApiError) problems.push(`console error: ${text}${url ? ` (${url})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (response.status() >= 400 && !/^\/(api|auth)\//.test(pathname)) {
      problems.push(`${response.status()} for ${pathname}`);
    }
  });
}

/** A headless Chromium for the pages of one server. */
export interface BrowserFor {
  /** A page in a fresh context (own cookies), watched for CSP violations and console errors. */
  newPage(options?: { width?: number; height?: number; timezoneId?: string }): Promise<Page>;
  /** A console error this test provokes on purpose (e.g. a simulated server failure). */
  allowProblem(pattern: RegExp): void;
  /** Throws (failing the test) when a page of the test misbehaved; closes the test's contexts. */
  finishTest(): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserSuite extends BrowserFor {
  /** Where the test server listens, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  server: TestApp;
}

/**
 * The browser suite of one test file, with its hooks: started before the first test, each test's
 * pages checked and closed after it, stopped after the last. Call it inside the `describe`.
 */
export function useBrowserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  const suite = {} as BrowserSuite;
  let started: BrowserSuite | undefined;
  beforeAll(async () => {
    started = await startBrowserSuite(options);
    Object.assign(suite, started);
  });
  afterEach(async () => {
    await started?.finishTest();
  });
  afterAll(async () => {
    await started?.close();
  });
  return suite;
}

export interface BrowserSuiteOptions {
  /** More environment for the server, which may depend on the address it will listen at (e.g. PUBLIC_URL). */
  env?: (baseUrl: string) => Env | Promise<Env>;
  /** The server's clock (a test moves it with the page's `page.clock`). */
  clock?: Clock;
}

/** The real server (SQLite) on a free port and a headless Chromium for its pages. */
export async function startBrowserSuite(options: BrowserSuiteOptions = {}): Promise<BrowserSuite> {
  const port = await freePort();
  const server = await createTestApp('sqlite', {
    env: await options.env?.(`http://127.0.0.1:${port}`),
    clock: options.clock,
  });
  try {
    const baseUrl = await server.listen(port);
    const browser = await startBrowserFor(baseUrl);
    return {
      ...browser,
      baseUrl,
      server,
      async close() {
        await browser.close();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/**
 * A headless Chromium for a server at `baseUrl` (the suite's own, or one started elsewhere, e.g.
 * `server-process.ts`). Playwright's `launch` gives the browser a fresh temporary profile
 * (user-data dir) and removes it on close.
 */
export async function startBrowserFor(baseUrl: string): Promise<BrowserFor> {
  assertPagesBuilt();
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
  let contexts: BrowserContext[] = [];
  let problems: string[] = [];
  let allowed: RegExp[] = [];
  return {
    async newPage(options = {}) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
        timezoneId: options.timezoneId,
        locale: 'en-GB',
      });
      contexts.push(context);
      const page = await context.newPage();
      watchForProblems(page, problems);
      return page;
    },
    allowProblem(pattern) {
      allowed.push(pattern);
    },
    async finishTest() {
      const seen = problems.filter((problem) => !allowed.some((pattern) => pattern.test(problem)));
      await Promise.all(contexts.map((context) => context.close()));
      contexts = [];
      problems = [];
      allowed = [];
      if (seen.length > 0) throw new Error(`The page reported problems:\n${seen.join('\n')}`);
    },
    close: () => browser.close(),
  };
}
