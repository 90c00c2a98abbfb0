import { expect, test } from '@playwright/test';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createProject, hydrated, logIn, logOut, run, screenshot } from './helpers';

test('a partner sets the webhook, signs it, and the test event reaches the receiver with the configured header and a signature', async ({ page }) => {
  const received: http.IncomingHttpHeaders[] = [];
  const receiver = http.createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    req.on('end', () => res.end('thanks'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/whatsapp`;

  // Customer success sets up the project and the partner's account.
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  const name = `Hook shop ${run}`;
  await createProject(page, name, `2559${Date.now().toString().slice(-8)}`);
  const projectUrl = `${page.url()}/webhook`;
  const partner = `hook-${run}@partner.test`;
  await page.goto('/users');
  const addUser = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create user' }) });
  await addUser.getByLabel('Email').fill(partner);
  await addUser.getByLabel('Initial password').fill('partner password 123');
  await addUser.getByLabel('Role').selectOption('partner');
  await addUser.getByLabel('Organization (partners only)').selectOption({ label: `${name} org` });
  await addUser.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('cell', { name: partner, exact: true })).toBeVisible();
  await logOut(page);

  // The partner configures the webhook.
  await logIn(page, partner, 'partner password 123');
  await page.goto(projectUrl);
  await hydrated(page);
  const form = page.getByRole('form', { name: 'Webhook settings' });
  await form.getByLabel('Webhook URL').fill('ftp://wrong');
  await expect(form.getByText('Enter a full URL starting with https://')).toBeVisible();
  await form.getByLabel('Webhook URL').fill(url);
  await form.getByLabel('Header 1 name').fill('X-Partner-Token');
  await form.getByLabel('Header 1 value').fill('s3cret-value');
  await form.getByRole('button', { name: 'Save webhook' }).click();
  await expect(page.getByText('Webhook saved.')).toBeVisible();

  await page.goto(projectUrl);
  await hydrated(page);
  await expect(page.getByRole('form', { name: 'Webhook settings' }).getByLabel('Header 1 value')).toHaveAttribute('placeholder', '••••alue');
  await expect(page.getByText('s3cret-value')).toHaveCount(0);

  // A signing secret, shown once.
  const signing = page.getByRole('region', { name: 'Signature' });
  await expect(signing).toContainText('Deliveries are not signed');
  await signing.getByRole('button', { name: 'Create a signing secret' }).click();
  const secret = (await page.getByTestId('new-signing-secret').textContent())!.trim();
  expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
  await expect(signing).toContainText('Copy this signing secret now. It will not be shown again.');
  await expect(signing).toContainText('X-Tujenge-Signature');
  await screenshot(page, 'webhook-signing');

  await page.getByRole('button', { name: 'Send test event' }).click();
  await expect(page.getByRole('status', { name: 'Test event result' })).toContainText('Status 200');
  expect(received.length).toBe(1);
  expect(received[0]['x-partner-token']).toBe('s3cret-value');
  expect(received[0]['x-tujenge-event-id']).toMatch(/^evt_test_/);
  expect(received[0]['x-tujenge-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  await page.reload();
  await expect(page.getByTestId('new-signing-secret')).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  await screenshot(page, 'webhook');
  receiver.close();
});
