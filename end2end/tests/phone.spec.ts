import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createKey, createProject, hydrated, logIn, run, screenshot, sendTemplate } from './helpers';

// On a phone, every page fits the screen's width: wide tables scroll inside their own
// box, the page itself never sideways; the navigation folds away behind a Menu button.
// And no id repeats on a page, so every label names its own input.
test('every console page fits a phone screen, tables scrolling in their own box, labels naming one input each', async ({ page }) => {
  test.setTimeout(120_000);
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await createProject(page, `Phone ${run}`, `2553${Date.now().toString().slice(-8)}`);
  const project = page.url();
  // Statuses come back (a 470 failure) and the webhook is down: every overview table shows.
  await hydrated(page);
  await page.getByRole('button', { name: 'Set the inbound URL on the upstream' }).click();
  await expect(page.getByText('The upstream now sends its notifications')).toBeVisible();
  const secret = await createKey(page, 'phone');
  await sendTemplate(page, secret, '15550000470');
  const hook = await page.request.post('/v1/configs/webhook', { headers: { 'WA-API-KEY': secret }, data: { url: 'http://127.0.0.1:9/hook' } });
  expect(hook.status()).toBe(200);
  await expect(async () => {
    await page.goto('/');
    await expect(page.getByRole('region', { name: 'Top error codes' })).toContainText('470', { timeout: 1000 });
    await expect(page.getByRole('region', { name: 'Webhook delivery health' })).toContainText('127.0.0.1:9', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await page.goto('/messages');
  const trace = await page.getByRole('link', { name: /^Trace of message/ }).first().getAttribute('href');

  await page.setViewportSize({ width: 390, height: 844 });
  const pages: [string, string][] = [
    ['overview', '/'],
    ['projects', '/projects'],
    ['new-project', '/projects/new'],
    ['project', project],
    ['keys', `${project}/keys`],
    ['webhook', `${project}/webhook`],
    ['profile', `${project}/profile`],
    ['settings', `${project}/settings`],
    ['messages', '/messages'],
    ['message-trace', trace!],
    ['error-codes', '/error-codes'],
    ['error-code', '/error-codes/470'],
    ['templates', '/templates'],
    ['template-editor', `/templates/new?project=${project.match(/\/projects\/(\d+)/)![1]}`],
    ['organizations', '/organizations'],
    ['users', '/users'],
    ['audit', '/audit'],
  ];
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  await hydrated(page);
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toHaveAttribute('aria-controls', 'site-menu');
  await menu.click();
  await expect(nav).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await menu.click();
  await expect(nav).toBeHidden();
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(nav).toBeVisible();
  await nav.getByRole('link', { name: 'Messages' }).click();
  await expect(page.getByRole('heading', { name: 'Messages', exact: true })).toBeVisible();
  await expect(nav).toBeHidden();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');

  const overflowing: string[] = [];
  const repeatedIds: string[] = [];
  for (const [name, url] of pages) {
    await page.goto(url);
    await expect(page.getByRole('main')).toBeVisible();
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    if (widths.page > widths.screen) overflowing.push(`${name}: ${widths.page}px on a ${widths.screen}px screen`);
    const ids = await page.evaluate(() => Array.from(document.querySelectorAll('[id]')).map((e) => e.id));
    repeatedIds.push(...ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `${name}: ${id}`));
    await screenshot(page, `phone-${name}`);
  }
  expect(overflowing).toEqual([]);
  expect(repeatedIds).toEqual([]);

  // The chart's axis labels stay readable on a phone (the drawing shrinks, they do not).
  await page.goto('/?range=7d');
  const label = page.locator('figure.chart svg text').last();
  const height = await label.evaluate((e) => e.getBoundingClientRect().height);
  expect(height).toBeGreaterThanOrEqual(9);
  await screenshot(page, 'phone-chart');

  // The messages list is a stack of cards: status and error codes in view, no sideways scroll.
  await page.goto('/messages');
  const first = page.getByRole('table', { name: 'Messages' }).locator('tbody tr').first();
  await first.scrollIntoViewIfNeeded();
  await expect(first.locator('td[data-label="Status"]')).toBeInViewport();
  await expect(first.locator('td[data-label="Error codes"]')).toBeInViewport();
});
