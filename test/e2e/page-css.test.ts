import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, useBrowserSuite } from '../helpers/browser.js';
import { registerUser } from '../helpers/users.js';
import { useSession } from './steps.js';

interface PageStyles {
  /** Where each stylesheet came from (null: a `<style>` element). */
  sheets: (string | null)[];
  /** Cascade layers in the order the browser ranks them (lowest first). */
  layers: string[];
  selectors: string[];
}

/** The stylesheets a page loaded, as the browser parsed them. */
async function stylesOf(page: Page): Promise<PageStyles> {
  return page.evaluate(() => {
    const layers: string[] = [];
    const selectors: string[] = [];
    const walk = (rules: CSSRuleList) => {
      for (const rule of Array.from(rules)) {
        if (rule instanceof CSSLayerStatementRule) layers.push(...rule.nameList);
        else if (rule instanceof CSSLayerBlockRule) layers.push(rule.name);
        if (rule instanceof CSSStyleRule) selectors.push(rule.selectorText);
        if ('cssRules' in rule) walk((rule as CSSGroupingRule).cssRules);
      }
    };
    const sheets = Array.from(document.styleSheets);
    for (const sheet of sheets) walk(sheet.cssRules);
    return {
      sheets: sheets.map((sheet) => (sheet.href === null ? null : new URL(sheet.href).pathname)),
      layers: [...new Set(layers)],
      selectors,
    };
  });
}

const has = (styles: PageStyles, selector: string) => styles.selectors.some((text) => text.includes(selector));

/**
 * Each page loads the CSS of the components it draws and no other page's, from files under /assets
 * (the CSP allows no inline style), with the cascade layers in their declared order whatever order
 * the files arrive in.
 */
describe.skipIf(!hasChromium)('the CSS each page loads', () => {
  const suite = useBrowserSuite();

  it('gives the sign-in page its own and the shared CSS, not the chat’s or the clock’s', async () => {
    const page = await suite.newPage({ width: 1280, height: 800 });
    await page.goto('/');
    const signIn = page.getByRole('button', { name: 'Sign in' });
    await signIn.waitFor();
    const styles = await stylesOf(page);

    expect(styles.sheets.every((href) => href !== null && /^\/assets\/[^/]+\.css$/.test(href))).toBe(true);
    expect(styles.layers).toEqual(['tokens', 'base', 'components', 'blocks', 'pages']);
    expect(has(styles, '.btn-primary')).toBe(true);
    expect(has(styles, '.auth-card')).toBe(true);
    for (const other of ['.msg', '.composer', '.clock-card', '.floating-timer', '.stat-card', '.leaderboard-table']) {
      expect(has(styles, other), other).toBe(false);
    }
    // The shared button is drawn: the gradient of the primary button.
    expect(await signIn.evaluate((button) => getComputedStyle(button).backgroundImage)).toMatch(/^linear-gradient/);
  });

  it('gives the chat its own CSS, the shell’s and the floating timer’s, and a page rule wins over a shared one', async () => {
    const user = await registerUser(suite.server.app);
    const page = await suite.newPage({ width: 1280, height: 800 });
    await useSession(page, suite.baseUrl, user);
    await page.goto('/chat');
    await page.getByRole('button', { name: 'Send message' }).waitFor();
    const styles = await stylesOf(page);

    expect(styles.sheets.every((href) => href !== null && href.startsWith('/assets/'))).toBe(true);
    expect(styles.layers).toEqual(['tokens', 'base', 'components', 'blocks', 'pages']);
    for (const own of ['.msg', '.composer', '.nav-link', '.floating-timer']) expect(has(styles, own), own).toBe(true);
    for (const other of ['.auth-card', '.clock-card', '.stat-card', '.leaderboard-table']) {
      expect(has(styles, other), other).toBe(false);
    }
    // The shell pads its main area by 2.5rem on a wide screen; the chat (a later layer) asks for 1rem.
    expect(await page.locator('main').evaluate((main) => getComputedStyle(main).paddingTop)).toBe('16px');
  });
});
