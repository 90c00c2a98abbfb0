import { expect, Page } from '@playwright/test';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';

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

/** As an admin, creates an organization; returns once it is listed. */
export async function createOrganization(page: Page, name: string) {
  await page.goto('/organizations');
  await page.getByLabel("New organization's name").fill(name);
  await page.getByRole('button', { name: 'Create organization' }).click();
  // Created before the next page loads (leaving at once could cut the request off).
  await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
}

export const PARTNER_PASSWORD = 'partner password 123';

/** As an admin, creates a partner user of the organization labelled `orgLabel`. */
export async function createPartner(page: Page, email: string, orgLabel: string) {
  await page.goto('/users');
  const addUser = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create user' }) });
  await addUser.getByLabel('Email').fill(email);
  await addUser.getByLabel('Initial password').fill(PARTNER_PASSWORD);
  await addUser.getByLabel('Role').selectOption('partner');
  await addUser.getByLabel('Organization (partners only)').selectOption({ label: orgLabel });
  await addUser.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('cell', { name: email, exact: true })).toBeVisible();
}

/** Creates an organization and a project behind the upstream simulator; ends on the project page. */
export async function createProject(page: Page, name: string, phone: string) {
  await createOrganization(page, `${name} org`);
  await page.goto('/projects/new');
  await hydrated(page);
  await page.getByLabel('Organization').selectOption({ label: `${name} org` });
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('WhatsApp phone number').fill(phone);
  await page.getByLabel('On-Premises client').check();
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

/** Sends a template message through the gateway with `key` (by default Meta's sample
 * template, which every account has, in its language); the gateway must accept it. */
export async function sendTemplate(page: Page, key: string, to: string, name = 'hello_world') {
  const sent = await page.request.post('/v1/messages', {
    headers: { 'WA-API-KEY': key },
    data: { to, type: 'template', template: { name, language: { code: 'en_US' } } },
  });
  expect(sent.status()).toBe(200);
}

/** A partner's webhook receiver on loopback: answers every request with `status` and
 * keeps the headers of what arrived. */
export interface Receiver {
  url: string;
  received: http.IncomingHttpHeaders[];
  close: () => void;
}

export async function startReceiver(status = 200): Promise<Receiver> {
  const received: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.statusCode = status;
      res.end(status === 200 ? 'thanks' : 'down for maintenance');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => server.close() };
}

/** A project with something to triage. */
export interface TriageProject {
  name: string;
  projectId: string;
  key: string;
  receiver: Receiver;
  /** The WhatsApp id of the message the upstream fails with 1013. */
  failedMessageId: string;
}

/** As the admin, sets up a project whose webhook answers 500 (so every forwarding attempt
 * fails) and sends three messages through the gateway: one the upstream fails with 1013,
 * one that works, one the gateway refuses (470, no open 24-hour window). Logs out. */
export async function seedTriageProject(page: Page): Promise<TriageProject> {
  const receiver = await startReceiver(500);
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  const name = `Triage shop ${run}`;
  await createProject(page, name, `2553${Date.now().toString().slice(-8)}`);
  const projectId = page.url().split('/').pop()!;
  await hydrated(page);
  await page.getByRole('button', { name: 'Set the inbound URL on the upstream' }).click();
  await expect(page.getByText('The upstream now sends its notifications')).toBeVisible();
  const key = await createKey(page, 'messages test');
  const api = { 'WA-API-KEY': key };
  const hook = await page.request.post('/v1/configs/webhook', { headers: api, data: { url: receiver.url } });
  expect(hook.status()).toBe(200);

  const template = (to: string) => ({ to, type: 'template', template: { name: 'order_update', language: { code: 'en' } } });
  const send = (data: object) => page.request.post('/v1/messages', { headers: api, data });
  const failing = await send(template('15550001013'));
  expect(failing.status()).toBe(200);
  const failedMessageId: string = (await failing.json()).messages[0].id;
  expect((await send(template('15551230001'))).status()).toBe(200);
  expect((await send({ to: '15551230002', type: 'text', text: { body: 'hi' } })).status()).toBe(400);
  await logOut(page);
  return { name, projectId, key, receiver, failedMessageId };
}
