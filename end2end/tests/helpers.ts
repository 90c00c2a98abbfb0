import { expect, Page } from '@playwright/test';

export const ADMIN_EMAIL = process.env.E2E_ADMIN_EMAIL ?? 'admin@tujenge.test';
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? 'e2e admin password';

/** Waits until the WASM bundle has hydrated the page, so typing reaches Rust handlers. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => (window as any).__tujengeHydrated === true, null, { timeout: 60_000 });
}

export async function logIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

export async function logOut(page: Page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `end2end/screenshots/${name}.png`, fullPage: true });
}

/** A suffix that keeps names unique across runs against the same database. */
export const run = Date.now().toString(36);

export const SUPPORT_EMAIL = process.env.E2E_SUPPORT_EMAIL ?? 'support@tujenge.test';
export const SUPPORT_PASSWORD = process.env.E2E_SUPPORT_PASSWORD ?? 'e2e support password';
export const SIM_URL = process.env.E2E_SIM_URL ?? 'http://127.0.0.1:3190';
export const SIM_PASSWORD = process.env.E2E_SIM_PASSWORD ?? 'e2e simulator password';

/** From any page of a project, opens one of its tabs (keys, webhook, profile, settings),
 * waits for hydration and returns the tab's URL. */
export async function openProjectTab(page: Page, tab: string): Promise<string> {
  const base = page.url().match(/^(.*\/projects\/\d+)/)![1];
  await page.goto(`${base}/${tab}`);
  await hydrated(page);
  return page.url();
}

/** Creates an organization and a project behind the upstream simulator; ends on the project page. */
export async function createProject(page: Page, name: string, phone: string) {
  await page.goto('/organizations');
  await page.getByLabel("New organization's name").fill(`${name} org`);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByRole('cell', { name: `${name} org`, exact: true })).toBeVisible();
  await page.goto('/projects/new');
  await hydrated(page);
  await page.getByLabel('Organization').selectOption({ label: `${name} org` });
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('WhatsApp phone number').fill(phone);
  await page.getByLabel('Upstream base URL').fill(SIM_URL);
  await page.getByLabel('Upstream admin username').fill('admin');
  await page.getByLabel('Upstream admin password').fill(SIM_PASSWORD);
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
}

/** From any page of a project, creates an API key on its keys tab and returns the key. */
export async function createKey(page: Page, name: string): Promise<string> {
  await openProjectTab(page, 'keys');
  const keys = page.getByRole('region', { name: 'API keys' });
  await keys.getByLabel('Key name').fill(name);
  await keys.getByRole('button', { name: 'Create key' }).click();
  return (await page.getByTestId('new-key').textContent())!.trim();
}

/** Sends a template message through the gateway with `key`; the gateway must accept it. */
export async function sendTemplate(page: Page, key: string, to: string, name = 'hello_world') {
  const sent = await page.request.post('/v1/messages', {
    headers: { 'WA-API-KEY': key },
    data: { to, type: 'template', template: { name, language: { code: 'en' } } },
  });
  expect(sent.status()).toBe(200);
}
