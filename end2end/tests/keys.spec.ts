import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, SUPPORT_EMAIL, SUPPORT_PASSWORD, createProject, hydrated, logIn, logOut, openProjectTab, run, screenshot } from './helpers';

const template = { to: '15551234567', type: 'template', template: { name: 'hello_world', language: { code: 'en' } } };

test('a key is shown once, works through the gateway, and stops at once when revoked', async ({ page, request }) => {
  page.on('pageerror', (e) => console.log('page error:', e.message.slice(0, 600)));
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  const name = `Keys shop ${run}`;
  await createProject(page, name, `2556${Date.now().toString().slice(-8)}`);
  const projectUrl = await openProjectTab(page, 'keys');

  const keys = page.getByRole('region', { name: 'API keys' });
  await keys.getByLabel('Key name').fill('CRM production');
  await keys.getByRole('button', { name: 'Create key' }).click();
  const shown = page.getByTestId('new-key');
  await expect(shown).toBeVisible();
  await expect(page.getByText('Copy this key now. It will not be shown again.')).toBeVisible();
  const secret = (await shown.textContent())!.trim();
  expect(secret).toMatch(/^tj_/);
  await screenshot(page, 'keys');

  const send = (key: string) => request.post('/v1/messages', { headers: { 'WA-API-KEY': key }, data: template });
  expect((await send(secret)).status()).toBe(200);

  await page.goto(projectUrl);
  await expect(page.getByTestId('new-key')).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  await hydrated(page);
  const prefix = secret.slice(0, 11);
  await page.getByText('Revoke…').first().click();
  await page.getByRole('button', { name: `Revoke ${prefix}…` }).click();
  await expect(page.getByText('revoked', { exact: true })).toBeVisible();
  expect((await send(secret)).status()).toBe(401);
});

test('a rotated key keeps working during its grace period, beside the new one', async ({ page, request }) => {
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await createProject(page, `Rotate shop ${run}`, `2557${Date.now().toString().slice(-8)}`);
  await openProjectTab(page, 'keys');
  const keys = page.getByRole('region', { name: 'API keys' });
  await keys.getByLabel('Key name').fill('Billing');
  await keys.getByRole('button', { name: 'Create key' }).click();
  const old = (await page.getByTestId('new-key').textContent())!.trim();

  await page.getByText('Rotate…').first().click();
  await page.getByLabel('Old key').selectOption('1h');
  await page.getByRole('button', { name: `Rotate ${old.slice(0, 11)}…` }).click();
  await expect(page.getByTestId('new-key')).not.toHaveText(old);
  const fresh = (await page.getByTestId('new-key').textContent())!.trim();
  await expect(page.getByText('retiring')).toBeVisible();

  for (const key of [old, fresh]) {
    const r = await request.post('/v1/messages', { headers: { 'WA-API-KEY': key }, data: template });
    expect(r.status()).toBe(200);
  }
});

test('support sees key metadata but no controls, and the server refuses them too', async ({ page, request }) => {
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await createProject(page, `Support view ${run}`, `2558${Date.now().toString().slice(-8)}`);
  const projectUrl = await openProjectTab(page, 'keys');
  const keys = page.getByRole('region', { name: 'API keys' });
  await keys.getByLabel('Key name').fill('Visible to support');
  await keys.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByTestId('new-key')).toBeVisible();
  await logOut(page);

  await logIn(page, SUPPORT_EMAIL, SUPPORT_PASSWORD);
  await page.goto(projectUrl);
  const region = page.getByRole('region', { name: 'API keys' });
  await expect(region.getByRole('cell', { name: /Visible to support/ })).toBeVisible();
  await expect(region.getByRole('button', { name: 'Create key' })).toHaveCount(0);
  await expect(region.getByText('Revoke…')).toHaveCount(0);
  await expect(region.getByText('Rotate…')).toHaveCount(0);
  await screenshot(page, 'keys-support');
  const tabs = page.getByRole('navigation', { name: 'Project sections' });
  await expect(tabs.getByRole('link', { name: 'API keys' })).toHaveAttribute('aria-current', 'page');
  await expect(tabs.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  expect((await page.goto(projectUrl.replace(/keys$/, 'settings')))!.status()).toBe(404);
  await page.goto(projectUrl);

  // The same session calling the server function directly is refused.
  const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
  const projectId = projectUrl.split('/').slice(-2)[0];
  const r = await page.request.post('/api/create_key', {
    headers: { 'x-csrf-token': csrf!, accept: 'application/json' },
    form: { project_id: projectId, name: 'sneaky' },
  });
  expect(r.status()).toBeGreaterThanOrEqual(400);
  expect(await r.text()).toContain('Forbidden');
});
