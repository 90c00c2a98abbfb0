import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createKey, createProject, hydrated, logIn, run, screenshot, sendTemplate } from './helpers';


// Regression: a panel that created a resource inside another panel's Suspend got a
// different id on the server and in the browser, and hydration failed now and then.
test('every tab of the project page hydrates on every load once it has keys and messages', async ({ page }) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await createProject(page, `Hydration ${run}`, `2551${Date.now().toString().slice(-8)}`);
  const url = page.url();
  await sendTemplate(page, await createKey(page, 'hydration'), '15551234567');
  const tabs = ['', '/keys', '/webhook', '/profile', '/settings'];
  for (let i = 0; i < 15; i++) {
    await page.goto(url + tabs[i % tabs.length]);
    await page.waitForFunction(() => (window as any).__tujengeHydrated === true, null, { timeout: 15_000 });
  }
  expect(problems).toEqual([]);
});

test('the console hydrates under its Content-Security-Policy, with no violation reported', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  const response = await page.goto('/login');
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'nonce-");
  await page.waitForFunction(() => (window as any).__tujengeHydrated === true, null, { timeout: 15_000 });
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  for (const path of ['/', '/projects', '/messages', '/templates', '/error-codes']) {
    await page.goto(path);
    await page.waitForFunction(() => (window as any).__tujengeHydrated === true, null, { timeout: 15_000 });
  }
  expect(violations).toEqual([]);
});

test('every page has its icon and a skip link to the content, first in the tab order', async ({ page }) => {
  const missing: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 404) missing.push(r.url());
  });
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  for (const path of ['/', '/projects', '/messages', '/meta-apps']) {
    await page.goto(path);
    await page.waitForFunction(() => (window as any).__tujengeHydrated === true, null, { timeout: 15_000 });
  }
  const icon = await page.request.get('/favicon.svg');
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
  expect(missing).toEqual([]);

  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#content')).toBeFocused();
});

test("times are the viewer's: once the page has said its zone, typed times are read in it and labelled with it", async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: 'Africa/Nairobi' });
  const page = await context.newPage();
  // The login page says the zone: the very first console page is already local.
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByText('Times in Africa/Nairobi')).toBeVisible();
  await page.goto('/messages');
  await expect(page.getByLabel('From (Africa/Nairobi)')).toBeVisible();
  await expect(page.getByLabel('To (Africa/Nairobi)')).toBeVisible();
  await page.goto('/audit');
  await expect(page.getByLabel('From (Africa/Nairobi)')).toBeVisible();
  await screenshot(page, 'audit-zone');
  await context.close();
});
