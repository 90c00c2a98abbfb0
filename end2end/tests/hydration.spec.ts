import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createKey, createProject, logIn, run, sendTemplate } from './helpers';


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
