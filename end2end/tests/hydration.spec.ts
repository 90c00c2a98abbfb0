import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createProject, logIn, openProjectTab, run } from './helpers';


// Regression: a panel that created a resource inside another panel's Suspend got a
// different id on the server and in the browser, and hydration failed now and then.
test('every tab of the project page hydrates on every load once it has keys and messages', async ({ page }) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await createProject(page, `Hydration ${run}`, `2551${Date.now().toString().slice(-8)}`);
  const url = page.url();
  await openProjectTab(page, 'keys');
  const keys = page.getByRole('region', { name: 'API keys' });
  await keys.getByLabel('Key name').fill('hydration');
  await keys.getByRole('button', { name: 'Create key' }).click();
  const secret = (await page.getByTestId('new-key').textContent())!.trim();
  const sent = await page.request.post('/v1/messages', {
    headers: { 'WA-API-KEY': secret },
    data: { to: '15551234567', type: 'template', template: { name: 'hello_world', language: { code: 'en' } } },
  });
  expect(sent.status()).toBe(200);
  const tabs = ['', '/keys', '/webhook', '/profile', '/settings'];
  for (let i = 0; i < 15; i++) {
    await page.goto(url + tabs[i % tabs.length]);
    await page.waitForFunction(() => (window as any).__tujengeHydrated === true, null, { timeout: 15_000 });
  }
  expect(problems).toEqual([]);
});
