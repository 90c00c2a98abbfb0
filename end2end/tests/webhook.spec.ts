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
  // Nothing saved yet: the test event says what to do, in the server's words.
  await page.getByRole('button', { name: 'Send test event' }).click();
  await expect(page.getByText('Save a webhook URL first.')).toBeVisible();
  await expect(page.getByText(/Please correct/)).toHaveCount(0);
  const form = page.getByRole('form', { name: 'Webhook settings' });
  await form.getByLabel('Webhook URL').fill('ftp://wrong');
  await expect(form.getByText('Enter a full URL starting with https://')).toBeVisible();
  await form.getByLabel('Webhook URL').fill(url);
  await form.getByLabel('Header 1 name').fill('X-Partner-Token');
  await form.getByLabel('Header 1 value').fill('s3cret-value');
  await form.getByRole('button', { name: 'Save webhook' }).click();
  await expect(page.getByText('Webhook saved.')).toBeVisible();
  // One banner at a time: the test event's refusal gives way to the save's result.
  await expect(page.getByText('Save a webhook URL first.')).toHaveCount(0);
  await expect(page.locator('.notice')).toHaveCount(1);

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
  expect(received[0]['x-tujenge-event-id']).toMatch(/^evt_\d+$/);
  expect(received[0]['x-tujenge-test']).toBe('true');
  expect(received[0]['x-tujenge-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  // The check's findings take the test event's place: one result at a time.
  await page.getByRole('button', { name: 'Check webhook' }).click();
  await expect(page.getByRole('list', { name: 'Webhook check' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Test event result' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('new-signing-secret')).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  await screenshot(page, 'webhook');

  // Rotating with an overlap: both secrets sign (the new one first) until the old one stops.
  await hydrated(page);
  await signing.getByText('Rotate the signing secret…').click();
  await signing.getByLabel('The old secret also signs for 24 hours').check();
  await signing.getByRole('button', { name: 'Rotate the signing secret' }).click();
  const rotated = (await page.getByTestId('new-signing-secret').textContent())!.trim();
  expect(rotated).not.toBe(secret);
  await page.reload();
  const active = page.getByRole('list', { name: 'Active signing secrets' });
  await expect(active.getByRole('listitem')).toHaveCount(2);
  await expect(active.getByRole('listitem').first()).toContainText(`••••${rotated.slice(-4)} · current`);
  await expect(active.getByRole('listitem').last()).toContainText(`••••${secret.slice(-4)} · old`);
  await expect(active.getByRole('listitem').last()).toContainText('stops signing');
  await expect(active).not.toContainText(rotated.slice(6, 20));
  await hydrated(page);
  await page.getByRole('button', { name: 'Send test event' }).click();
  await expect(page.getByRole('status', { name: 'Test event result' })).toContainText('Status 200');
  expect(received[received.length - 1]['x-tujenge-signature']).toMatch(/^sha256=[0-9a-f]{64},sha256=[0-9a-f]{64}$/);
  await screenshot(page, 'webhook-rotation');
  receiver.close();
});
