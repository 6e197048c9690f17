import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { SESSION_COOKIE } from '../../src/server/http/session.js';
import type { TestUser } from '../helpers/users.js';

let counter = 0;

/** An address no other test uses. */
export function uniqueEmail(prefix = 'e2e'): string {
  counter += 1;
  return `${prefix}${counter}-${process.pid}-${Date.now()}@example.com`;
}

/** A username no other test uses (3–30 letters, digits, underscores). */
export function uniqueUsername(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${counter}_${Date.now() % 1_000_000}`;
}

/** Fills in the sign-in form the page shows and submits it. */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in through the login page and waits until the dashboard shows. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await submitLogin(page, email, password);
  await page.waitForURL((url) => url.pathname === '/dashboard');
}

/** Waits until `text` is visible somewhere on the page. */
export async function waitForText(page: Page, text: string | RegExp): Promise<void> {
  await page.getByText(text).first().waitFor({ state: 'visible' });
}

export function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

/** Everything the user can read on the page. */
export async function visibleText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

/** The page says nothing like "[object Object]", "undefined" or "NaN" where a message belongs. */
export async function expectNoGarbage(page: Page): Promise<void> {
  const text = await visibleText(page);
  expect(text).not.toMatch(/\[object Object\]|\bundefined\b|\bNaN\b/);
}

/** Starts the page's browser context signed in as `user` (the cookie the server would set). */
export async function useSession(page: Page, baseUrl: string, user: TestUser): Promise<void> {
  await page
    .context()
    .addCookies([{ name: SESSION_COOKIE, value: user.token, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
}
