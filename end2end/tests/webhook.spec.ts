import { expect, test } from '@playwright/test';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, PARTNER_PASSWORD, createPartner, createProject, hydrated, logIn,
  logOut, run, screenshot, startReceiver,
} from './helpers';

test('a partner sets the webhook, signs it, and the test event reaches the receiver with the configured header and a signature', async ({ page }) => {
  const receiver = await startReceiver();
  const { url, received } = receiver;

  // Customer success sets up the project and the partner's account.
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  const name = `Hook shop ${run}`;
  await createProject(page, name, `2559${Date.now().toString().slice(-8)}`);
  const projectUrl = `${page.url()}/webhook`;
  const partner = `hook-${run}@partner.test`;
  await createPartner(page, partner, `${name} org`);
  await logOut(page);

  // The partner configures the webhook.
  await logIn(page, partner, PARTNER_PASSWORD);
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
  // The saved value is masked: the input is empty, its placeholder shows the last 4 characters.
  const savedValue = page.getByRole('form', { name: 'Webhook settings' }).getByLabel('Header 1 value');
  await expect(savedValue).toHaveAttribute('placeholder', '••••alue');
  await expect(savedValue).toHaveValue('');

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
