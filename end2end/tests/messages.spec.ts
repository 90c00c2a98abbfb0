import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { ADMIN_EMAIL, ADMIN_PASSWORD, SUPPORT_EMAIL, SUPPORT_PASSWORD, createKey, createProject, hydrated, logIn, logOut, run, screenshot } from './helpers';

test('support triages a failed message from the list to its trace and the error explanation; partners see only theirs', async ({ page, request }) => {
  // The partner's webhook answers 500, so every forwarding attempt is recorded as failed.
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.statusCode = 500; res.end('down for maintenance'); });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  const name = `Triage shop ${run}`;
  await createProject(page, name, `2553${Date.now().toString().slice(-8)}`);
  const projectId = page.url().split('/').pop();
  await hydrated(page);
  await page.getByRole('button', { name: 'Set the inbound URL on the upstream' }).click();
  await expect(page.getByText('The upstream now sends its notifications')).toBeVisible();
  const key = await createKey(page, 'messages test');
  const api = { 'WA-API-KEY': key };
  expect((await request.post('/v1/configs/webhook', { headers: api, data: { url: hook } })).status()).toBe(200);

  // One message the upstream will fail with 1013, one that works, one the gateway refuses (470).
  const template = (to: string) => ({ to, type: 'template', template: { name: 'order_update', language: { code: 'en' } } });
  expect((await request.post('/v1/messages', { headers: api, data: template('15550001013') })).status()).toBe(200);
  expect((await request.post('/v1/messages', { headers: api, data: template('15551230001') })).status()).toBe(200);
  expect((await request.post('/v1/messages', { headers: api, data: { to: '15551230002', type: 'text', text: { body: 'hi' } } })).status()).toBe(400);
  await logOut(page);

  // Support filters failed messages of the project.
  await logIn(page, SUPPORT_EMAIL, SUPPORT_PASSWORD);
  await page.goto('/messages');
  await page.getByLabel('Project').selectOption({ label: name });
  await page.getByLabel('Status').selectOption('failed or refused');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/status=problems/);
  const rows = page.getByRole('table', { name: 'Messages' }).locator('tbody tr');
  // The 1013 failure arrives with the status notification, a moment after the send.
  await expect(async () => {
    await page.reload();
    await expect(rows.filter({ hasText: '1013' })).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: '470' })).toContainText('refused');
  // Lists say how long ago; the exact time, local and UTC, is on hover.
  await hydrated(page);
  await expect(rows.first().locator('time')).toHaveText(/^(just now|\d+ min ago)$/);
  await expect(rows.first().locator('time')).toHaveAttribute('title', / · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  await screenshot(page, 'messages');

  // The CSV export holds exactly the filtered rows.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
  expect(csv[0]).toBe('id,time_utc,project,direction,contact,type,status,error_codes');
  expect(csv.slice(1).map((l) => l.split(',')[4]).sort()).toEqual(['15550001013', '15551230002']);

  // Its trace: the request, the decision, the upstream's answer, the failed status with
  // the upstream's error, and the attempts to forward it to the partner's webhook.
  await rows.filter({ hasText: '1013' }).getByRole('link', { name: /Trace of message/ }).click();
  await expect(page.getByRole('heading', { name: /Message #\d+/ })).toBeVisible();
  await expect(page.getByRole('region', { name: "1. The partner's request" })).toContainText('order_update');
  await expect(page.getByRole('region', { name: "1. The partner's request" })).not.toContainText(key);
  await expect(page.getByRole('region', { name: "2. The gateway's decision" })).toContainText('Every check passed');
  await expect(page.getByRole('region', { name: '3. The upstream request and answer' })).toContainText('/v1/messages');
  await expect(page.getByRole('region', { name: 'Status notifications' })).toContainText('User is not valid');
  const forwarding = page.getByRole('region', { name: "Forwarding to the partner's webhook" });
  await expect(async () => {
    await page.reload();
    await expect(forwarding.getByRole('table', { name: 'Forwarding attempts' }).first()).toContainText('HTTP 500', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  const traceUrl = page.url();
  await screenshot(page, 'message-trace');

  // The error code links to its explanation.
  await page.getByRole('link', { name: '1013 — User is not valid' }).click();
  await expect(page).toHaveURL(/\/error-codes\/1013$/);
  await expect(page.getByRole('heading', { name: 'What to do' })).toBeVisible();
  await expect(page.getByText(/In your projects: [1-9]\d* message\(s\) in the last 24 hours/)).toBeVisible();
  await screenshot(page, 'error-code');
  await page.goto(`/?range=24h&project=${projectId}`);
  await expect(page.getByRole('region', { name: 'Top error codes' })).toContainText('1013');
  await expect(page.getByTestId('failure-rate')).toHaveText('66.7%');
  await expect(page.getByRole('region', { name: 'Webhook delivery health' })).toContainText(hook);
  await expect(page.getByRole('region', { name: 'Webhook delivery health' })).toContainText('HTTP 500');
  await screenshot(page, 'overview');
  await logOut(page);

  // A partner of another organization sees none of it, even with a crafted link.
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  const outsider = `outsider-${run}@partner.test`;
  await page.goto('/organizations');
  await page.getByLabel("New organization's name").fill(`Outsider ${run}`);
  await page.getByRole('button', { name: 'Create organization' }).click();
  // Created before the next page loads (leaving at once could cut the request off).
  await expect(page.getByRole('cell', { name: `Outsider ${run}`, exact: true })).toBeVisible();
  await page.goto('/users');
  const addUser = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create user' }) });
  await addUser.getByLabel('Email').fill(outsider);
  await addUser.getByLabel('Initial password').fill('partner password 123');
  await addUser.getByLabel('Role').selectOption('partner');
  await addUser.getByLabel('Organization (partners only)').selectOption({ label: `Outsider ${run}` });
  await addUser.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('cell', { name: outsider, exact: true })).toBeVisible();
  await logOut(page);
  await logIn(page, outsider, 'partner password 123');
  await page.goto('/messages');
  await expect(page.getByText('No messages match')).toBeVisible();
  const crafted = await page.goto(traceUrl);
  expect(crafted!.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  receiver.close();
});

test('the overview chart works without JavaScript and shows values on hover once hydrated', async ({ page, browser }) => {
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  // Its own project, so the chart shows whichever tests ran before.
  await createProject(page, `Chart ${run}`, `2554${Date.now().toString().slice(-8)}`);
  await page.goto('/?range=7d');
  await hydrated(page);
  await expect(page.getByRole('link', { name: '7d' })).toHaveAttribute('aria-current', 'true');
  const chart = page.locator('figure.chart svg[role=img]');
  await expect(chart).toBeVisible();
  await chart.locator('g.bar').last().hover();
  await expect(page.getByTestId('chart-readout')).toContainText(/\d+ delivered or read, \d+ pending, \d+ failed or refused, \d+ received/);
  await page.getByRole('link', { name: '24h' }).click();
  await expect(page).toHaveURL(/range=24h/);
  await expect(chart.locator('g.bar')).toHaveCount(24);

  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await logIn(noJs, ADMIN_EMAIL, ADMIN_PASSWORD);
  await noJs.goto('/?range=30d');
  await expect(noJs.locator('figure.chart svg g.bar')).toHaveCount(30);
  await expect(noJs.locator('figure.chart svg g.bar title').last()).toHaveText(/delivered or read/);
  await plain.close();
});
