import { expect, Locator, Page, test } from '@playwright/test';
import * as fs from 'node:fs';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, PARTNER_PASSWORD, SUPPORT_EMAIL, SUPPORT_PASSWORD, TriageProject,
  createOrganization, createPartner, createProject, hydrated, logIn, logOut, run, screenshot,
  seedTriageProject,
} from './helpers';

// Support triages failed messages: from the list to a trace and the error's explanation;
// partners see only theirs. Every test reads the same seeded project (set up once).
test.describe('triage', () => {
  let triage: TriageProject;

  test.beforeAll(async ({ browser }) => {
    const page = await browser.newPage();
    triage = await seedTriageProject(page);
    await page.close();
  });

  test.afterAll(() => triage?.receiver.close());

  /** The project's failed or refused messages, filtered as support does, once the 1013
   * failure (which arrives with a status notification, a moment after the send) is in. */
  async function problemRows(page: Page): Promise<Locator> {
    await page.goto('/messages');
    await page.getByLabel('Project').selectOption({ label: triage.name });
    await page.getByLabel('Status').selectOption('failed or refused');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/status=problems/);
    const rows = page.getByRole('table', { name: 'Messages' }).locator('tbody tr');
    await expect(async () => {
      await page.reload();
      await expect(rows.filter({ hasText: '1013' })).toHaveCount(1, { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    return rows;
  }

  /** Opens the trace of the message the upstream failed with 1013; returns its URL. */
  async function openFailedTrace(page: Page): Promise<string> {
    const rows = await problemRows(page);
    await rows.filter({ hasText: '1013' }).getByRole('link', { name: /Trace of message/ }).click();
    await expect(page.getByRole('heading', { name: /Message #\d+/ })).toBeVisible();
    return page.url();
  }

  test('support filters problem messages of a project; times show relative with UTC on hover', async ({ page }) => {
    await logIn(page, SUPPORT_EMAIL, SUPPORT_PASSWORD);
    const rows = await problemRows(page);
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: '470' })).toContainText('refused');
    // Why each failed, in words: the gateway's refusal, the client's title for the failure.
    await expect(rows.filter({ hasText: '470' })).toContainText('has not written to this number in the last 24 hours');
    await expect(rows.filter({ hasText: '1013' })).toContainText('User is not valid');
    await hydrated(page);
    await expect(rows.first().locator('time')).toHaveText(/^(just now|\d+ min ago)$/);
    await expect(rows.first().locator('time')).toHaveAttribute('title', / · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    await screenshot(page, 'messages');
  });

  test('the CSV export holds exactly the filtered rows', async ({ page }) => {
    await logIn(page, SUPPORT_EMAIL, SUPPORT_PASSWORD);
    await problemRows(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('id,time_utc,project,direction,contact,type,status,error_codes,whatsapp_id,reason');
    expect(csv.slice(1).map((l) => l.split(',')[4]).sort()).toEqual(['15550001013', '15551230002']);
  });

  test('the search box opens the message a ticket quotes by its id, and finds any part of a number', async ({ page }) => {
    await logIn(page, SUPPORT_EMAIL, SUPPORT_PASSWORD);
    await page.goto('/messages');
    await page.getByLabel('Search').fill(triage.failedMessageId);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page.getByRole('heading', { name: /Message #\d+/ })).toBeVisible();
    await expect(page.getByRole('region', { name: "1. The partner's request" })).toContainText('15550001013');

    await page.goto('/messages');
    await page.getByLabel('Project').selectOption({ label: triage.name });
    await page.getByLabel('Search').fill('0001013');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/q=0001013/);
    const rows = page.getByRole('table', { name: 'Messages' }).locator('tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText('15550001013');
    await expect(page.getByLabel('Search')).toHaveValue('0001013');
    await screenshot(page, 'messages-search');
  });

  test("a failed message's trace shows the request, the decision, the upstream's answer, the status and the forwarding attempts", async ({ page }) => {
    await logIn(page, SUPPORT_EMAIL, SUPPORT_PASSWORD);
    await openFailedTrace(page);
    const request = page.getByRole('region', { name: "1. The partner's request" });
    await expect(request).toContainText('order_update');
    await expect(request).not.toContainText(triage.key);
    await expect(page.getByRole('region', { name: "2. The gateway's decision" })).toContainText('Every check passed');
    await expect(page.getByRole('region', { name: '3. The upstream request and answer' })).toContainText('/v1/messages');
    const statuses = page.getByRole('region', { name: 'Status notifications' });
    await expect(statuses).toContainText('User is not valid');
    // The failure in words, from the catalog: what it means and what to do.
    await expect(statuses.getByTestId('code-explained')).toContainText('What to do:');
    const forwarding = page.getByRole('region', { name: "Forwarding to the partner's webhook" });
    await expect(async () => {
      await page.reload();
      const attempts = forwarding.getByRole('table', { name: 'Forwarding attempts' }).first();
      await expect(attempts).toContainText('HTTP 500', { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await screenshot(page, 'message-trace');
  });

  test("an error code links to its explanation, with the caller's counts", async ({ page }) => {
    await logIn(page, SUPPORT_EMAIL, SUPPORT_PASSWORD);
    await openFailedTrace(page);
    await page.getByRole('link', { name: '1013 — User is not valid' }).click();
    await expect(page).toHaveURL(/\/error-codes\/1013$/);
    await expect(page.getByRole('heading', { name: 'What to do' })).toBeVisible();
    await expect(page.getByText(/In your projects: [1-9][\d,]* messages? in the last 24 hours/)).toBeVisible();
    await screenshot(page, 'error-code');
  });

  test('the overview shows the top error codes, the failure rate and the delivery health', async ({ page }) => {
    await logIn(page, SUPPORT_EMAIL, SUPPORT_PASSWORD);
    const health = page.getByRole('region', { name: 'Webhook delivery health' });
    // The 1013 failure and the failed forwarding attempts arrive a moment after the sends.
    await expect(async () => {
      await page.goto(`/?range=24h&project=${triage.projectId}`);
      await expect(page.getByRole('region', { name: 'Top error codes' })).toContainText('1013', { timeout: 1000 });
      await expect(health).toContainText('HTTP 500', { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId('failure-rate')).toHaveText('66.7%');
    await expect(health).toContainText(triage.receiver.url);
    await screenshot(page, 'overview');
  });

  test('a partner of another organization sees none of it, even with a crafted link', async ({ page }) => {
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    const traceUrl = await openFailedTrace(page);
    const outsider = `outsider-${run}@partner.test`;
    await createOrganization(page, `Outsider ${run}`);
    await createPartner(page, outsider, `Outsider ${run}`);
    await logOut(page);

    await logIn(page, outsider, PARTNER_PASSWORD);
    await page.goto('/messages');
    await expect(page.getByText('No messages match')).toBeVisible();
    const crafted = await page.goto(traceUrl);
    expect(crafted!.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    // Their project page is the same plain 404: no half-drawn project, no buttons.
    const project = await page.goto(`/projects/${triage.projectId}`);
    expect(project!.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expect(page.getByText('All messages of this project')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /inbound URL/ })).toHaveCount(0);
    await screenshot(page, 'project-not-found');
  });
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
