import { describe, expect, it } from 'vitest';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { registerUser } from '../helpers/users.js';
import { expectNoGarbage, pathOf, signIn, submitLogin, waitForText } from './steps.js';

describe.skipIf(!hasChromium)('signing in and out in the browser', () => {
  const suite = useBrowserSuite();

  it('logs out from the shell and the dashboard then needs a new sign-in', async () => {
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage();
    await signIn(page, user.email, user.password);

    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/' && url.search === '');
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();

    await page.goto('/dashboard');
    expect(pathOf(page)).toBe('/');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/dashboard');
  });

  it('sends a signed-out visit to /settings to the login page and back to /settings', async () => {
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage();

    await page.goto('/settings');
    expect(pathOf(page)).toBe('/');
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await submitLogin(page, user.email, user.password);

    await page.waitForURL((url) => url.pathname === '/settings');
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
  });

  for (const next of ['https://evil.example/steal', '//evil.example/steal', '/\\evil.example']) {
    it(`stays on this site after sign-in with next=${next}`, async () => {
      const user = await registerUser(suite.server.app);
      const page = await suite.newPage();
      const leftTheSite: string[] = [];
      await page.route(
        (url) => url.hostname.endsWith('evil.example'),
        async (route) => {
          leftTheSite.push(route.request().url());
          await route.abort();
        },
      );

      await page.goto(`/?next=${encodeURIComponent(next)}`);
      await submitLogin(page, user.email, user.password);

      await page.waitForURL((url) => url.pathname === '/dashboard');
      expect(new URL(page.url()).origin).toBe(suite.baseUrl);
      expect(leftTheSite).toEqual([]);
    });
  }

  it('says "Incorrect email or password" for a wrong password, readably', async () => {
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage();
    await page.goto('/');
    await submitLogin(page, user.email, 'not the password');

    await waitForText(page, 'Incorrect email or password');
    expect(pathOf(page)).toBe('/');
    expect(await page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
    await expectNoGarbage(page);
  });

  it('sends a page whose session ended to sign in, then back', async () => {
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage();
    await signIn(page, user.email, user.password);
    await page.getByRole('article', { name: 'Total users' }).waitFor();

    // Refresh asks for two things at once; both are refused, and the page must leave once (a
    // second departure would cancel the first one on its way).
    const departures: string[] = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest()) departures.push(request.url());
    });
    await page.context().clearCookies();
    await page.getByRole('button', { name: 'Refresh' }).click();

    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/dashboard');
    expect(departures).toEqual([`${suite.baseUrl}/?next=%2Fdashboard`]);
    await submitLogin(page, user.email, user.password);
    await page.waitForURL((url) => url.pathname === '/dashboard');
  });

  it('shows a failed load with a Retry button instead of "Loading…" forever', async () => {
    suite.allowProblem(/status of 503/);
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage();
    await page.route('**/api/dashboard', (route) =>
      route.fulfill({ status: 503, json: { detail: 'The database is not reachable', code: 'service_unavailable' } }),
    );
    await signIn(page, user.email, user.password);

    await waitForText(page, 'The database is not reachable');
    // The parts that load on their own (the leaderboard) finish; none stays on "Loading…".
    await expect.poll(() => page.getByText('Loading').count(), { timeout: 15_000 }).toBe(0);
    // The greeting and navigation still work around the failed part.
    await page.getByRole('heading', { level: 1 }).waitFor();

    await page.unroute('**/api/dashboard');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('article', { name: 'Total users' }).waitFor();
    expect(await page.getByText('The database is not reachable').count()).toBe(0);
  });

  it('opens the navigation with the keyboard on a 360 px wide screen', async () => {
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage({ width: 360, height: 740 });
    await signIn(page, user.email, user.password);

    const menu = page.getByRole('button', { name: 'Menu' });
    const settingsLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' });
    expect(await settingsLink.isVisible()).toBe(false);
    expect(await menu.getAttribute('aria-expanded')).toBe('false');

    await menu.focus();
    await page.keyboard.press('Enter');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await settingsLink.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await settingsLink.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Menu');

    await page.keyboard.press('Space');
    await settingsLink.click();
    await page.waitForURL((url) => url.pathname === '/settings');
    await page.getByLabel('Bio').waitFor();
    // Nothing sticks out sideways at this width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('fails a test whose page breaks the CSP (the guard of every other test works)', async () => {
    const page = await suite.newPage();
    await page.goto('/');
    await page.getByLabel('Email').waitFor();
    const reported = page.waitForEvent('console', (message) => /Content Security Policy/.test(message.text()));
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.title = "inline ran"';
      document.head.append(script);
    });
    await reported;
    expect(await page.title()).not.toBe('inline ran');
    await expect(suite.finishTest()).rejects.toThrow(/Content Security Policy/);
  });

  it('shows keyboard focus and keeps placeholders readable (WCAG AA)', async () => {
    const page = await suite.newPage();
    await page.goto('/');
    await page.getByLabel('Email').waitFor();

    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      const style = getComputedStyle(element);
      return { text: element.textContent, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(focused.text).toContain('CodeChicks');
    expect(focused.outline).not.toBe('none');
    expect(focused.width).toBeGreaterThanOrEqual(2);

    const ratio = await page.evaluate(() => {
      const input = document.querySelector('input[type="email"]') as HTMLInputElement;
      const parse = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const luminance = (rgb: number[]) => {
        const [r = 0, g = 0, b = 0] = rgb.map((value) => {
          const c = value / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const placeholder = luminance(parse(getComputedStyle(input, '::placeholder').color));
      const background = luminance(parse(getComputedStyle(input).backgroundColor));
      const [light, dark] = placeholder > background ? [placeholder, background] : [background, placeholder];
      return (light + 0.05) / (dark + 0.05);
    });
    expect(ratio).toBeGreaterThanOrEqual(4.5);
  });
});
