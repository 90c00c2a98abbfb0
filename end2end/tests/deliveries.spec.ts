import { expect, test } from '@playwright/test';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, createKey, createProject, hydrated, logIn, run, screenshot,
  sendTemplate, startReceiver,
} from './helpers';

// A partner's webhook is down at night: the delivery log says what each notification is,
// where it stands in one word and when it is tried next; one is sent again with its
// answer shown at once; all failed ones are resent after a confirmation naming the count;
// saving a working URL says how many waiting ones go to it now; a test event looks like a
// real status and is in the log too.
test('the delivery log fixes a webhook: what each notification is, resend one or all, the fixed URL takes the waiting ones', async ({ page }) => {
  test.setTimeout(120_000);
  const down = await startReceiver(500);
  const fixed = await startReceiver(200);
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await createProject(page, `Night shop ${run}`, `2556${Date.now().toString().slice(-8)}`);
  const projectId = page.url().split('/').pop()!;
  await hydrated(page);
  await page.getByRole('button', { name: 'Set the inbound URL on the upstream' }).click();
  await expect(page.getByText('The upstream now sends its notifications')).toBeVisible();
  const key = await createKey(page, 'night');
  const hook = await page.request.post('/v1/configs/webhook', { headers: { 'WA-API-KEY': key }, data: { url: down.url } });
  expect(hook.status()).toBe(200);
  await sendTemplate(page, key, '15551239876');

  // The statuses (sent, delivered, read) fail at the partner: retrying, with the next try.
  const log = `/projects/${projectId}/webhook`;
  const rows = page.getByRole('table', { name: 'Deliveries' }).locator('tbody tr');
  await expect(async () => {
    await page.goto(`${log}?show=retrying`);
    await expect(rows).toHaveCount(3, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await hydrated(page);
  await expect(page.getByRole('link', { name: 'retrying' })).toHaveAttribute('aria-current', 'page');
  const read = rows.filter({ hasText: /\bread\b/ }).first();
  await expect(read).toContainText('15551239876');
  await expect(read).toContainText('retrying');
  await expect(read).toContainText('next try');
  await expect(read.getByRole('link', { name: 'trace →' })).toHaveAttribute('href', /^\/messages\/\d+$/);
  await read.getByText(/\d+ attempts? · HTTP 500 in \d+ ms/).click();
  await expect(read).toContainText('down for maintenance');
  await expect(read).toContainText('"statuses"');
  await screenshot(page, 'delivery-log');

  // One, now: the answer in words, the row as it then stands.
  await read.getByRole('button', { name: /^Send evt_\d+ again$/ }).click();
  await expect(page.getByTestId('resend-result')).toHaveText(/^evt_\d+ sent again, and it failed — HTTP 500 in \d+ ms$/);

  // All failed since today: the count first, then the resend.
  await page.getByText('Resend failed notifications…').click();
  await page.getByLabel(/^Failed or given up since \(/).fill(new Date().toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Count them' }).click();
  const confirm = page.getByRole('form', { name: 'Confirm the resend' });
  await expect(confirm).toContainText('Resend 3 failed notifications?');
  const before = down.received.length;
  await confirm.getByRole('button', { name: 'Resend 3' }).click();
  await expect(page.getByText('3 failed notifications queued to be sent again.')).toBeVisible();
  // They go at once (and fail again): each then waits minutes for its next try.
  await expect.poll(() => down.received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 3);
  await page.waitForTimeout(1000);

  // The partner fixes the URL: the waiting ones go to it now, and arrive.
  await page.goto(log);
  await hydrated(page);
  const form = page.getByRole('form', { name: 'Webhook settings' });
  await form.getByLabel('Webhook URL').fill(fixed.url);
  await form.getByRole('button', { name: 'Save webhook' }).click();
  await expect(page.getByText(/^Webhook saved\. 3 notifications waiting for a retry are being sent to it now\.$/)).toBeVisible();
  await expect.poll(() => fixed.received.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
  await expect(async () => {
    await page.goto(`${log}?show=delivered`);
    await expect(rows).toHaveCount(3, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });

  // A test event is shaped like a real status, marked by a header, and logged.
  await page.goto(log);
  await hydrated(page);
  await page.getByRole('button', { name: 'Send test event' }).click();
  await expect(page.getByRole('status', { name: 'Test event result' })).toContainText('Status 200');
  const testEvent = fixed.received[fixed.received.length - 1];
  expect(testEvent['x-tujenge-test']).toBe('true');
  await page.reload();
  await expect(rows.first()).toContainText('test: sent');
  await expect(rows.first()).toContainText('delivered');

  // On a phone each row is a card: the status and "Send again" without scrolling sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  const card = rows.first();
  await card.scrollIntoViewIfNeeded();
  await expect(card.getByText('delivered')).toBeInViewport();
  await expect(card.getByRole('button', { name: /^Send evt_\d+ again$/ })).toBeInViewport();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await screenshot(page, 'delivery-log-phone');
  down.close();
  fixed.close();
});
