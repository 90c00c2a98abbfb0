import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createProject, hydrated, logIn, logOut, run, screenshot } from './helpers';

test('an admin sets up a partner, who then sees only their own project', async ({ page }) => {
  const org = `Acme Foods ${run}`;
  const otherOrg = `Other Co ${run}`;
  const partnerEmail = `partner-${run}@acme.test`;
  const partnerPassword = 'partner password 123';
  const phone = `2557${Date.now().toString().slice(-8)}`;
  const otherPhone = `2547${Date.now().toString().slice(-8)}`;

  await page.goto('/login');
  await screenshot(page, 'login');
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);

  // Organizations.
  await page.getByRole('link', { name: 'Organizations' }).click();
  for (const name of [org, otherOrg]) {
    await page.getByLabel("New organization's name").fill(name);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
  }

  // A partner user of the first organization.
  await page.getByRole('link', { name: 'Users' }).click();
  const addUser = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create user' }) });
  await addUser.getByLabel('Email').fill(partnerEmail);
  await addUser.getByLabel('Initial password').fill(partnerPassword);
  await addUser.getByLabel('Role').selectOption('partner');
  await addUser.getByLabel('Organization (partners only)').selectOption({ label: org });
  await addUser.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('cell', { name: partnerEmail, exact: true })).toBeVisible();

  // A project for each organization; the phone check answers while typing (hydrated).
  for (const [name, orgName, number] of [[`Duka ${run}`, org, phone], [`Other shop ${run}`, otherOrg, otherPhone]]) {
    await page.goto('/projects/new');
    await hydrated(page);
    await page.getByLabel('Organization').selectOption({ label: orgName });
    await page.getByLabel('Display name').fill(name);
    const phoneField = page.getByLabel('WhatsApp phone number');
    await phoneField.pressSequentially('0712');
    await expect(page.getByText('Start with the country code, not 0')).toBeVisible();
    await phoneField.fill(number);
    await expect(page.getByText('Start with the country code, not 0')).toHaveCount(0);
    await page.getByLabel('On-Premises client').check();
    await page.getByLabel('Upstream base URL').fill('http://127.0.0.1:9');
    await page.getByLabel('Upstream admin username').fill('admin');
    await page.getByLabel('Upstream admin password').fill('upstream secret');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect(page.getByRole('heading', { name })).toBeVisible();
  }
  await screenshot(page, 'project');
  await page.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Edit project' })).toBeVisible();
  await expect(page).toHaveURL(/\/projects\/\d+\/settings$/);
  await screenshot(page, 'project-settings');
  await page.getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('link', { name: `Other shop ${run}` })).toBeVisible();
  await screenshot(page, 'projects');
  await logOut(page);

  // The partner sees their organization's project and not the other one.
  await logIn(page, partnerEmail, partnerPassword);
  await page.getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('link', { name: `Duka ${run}` })).toBeVisible();
  await expect(page.getByRole('link', { name: `Other shop ${run}` })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await screenshot(page, 'projects-partner');
});

test('with JavaScript off, logging in and creating an organization still work', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  await page.goto('/organizations');
  const name = `No-JS Org ${run}`;
  await page.getByLabel("New organization's name").fill(name);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByText(`Organization ${name} created.`)).toBeVisible();
  await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();

  // A field error comes back without JavaScript too.
  await page.getByLabel("New organization's name").fill(name);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByText(`An organization named '${name}' already exists.`).first()).toBeVisible();
  await context.close();
});

test('a wrong password shows a message under the form', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByText('Wrong email or password').first()).toBeVisible();
});

test('an error code explains itself: what happened, the cause, what to do', async ({ page }) => {
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.getByRole('link', { name: 'Error codes' }).click();
  await page.getByLabel('Search codes, titles and fixes').fill('window');
  await page.getByRole('button', { name: 'Search' }).click();
  await screenshot(page, 'error-codes');
  await page.getByRole('link', { name: '470', exact: true }).click();
  await expect(page.getByRole('heading', { name: /470/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'What to do' })).toBeVisible();
  await expect(page.getByText('Send an approved template message instead')).toBeVisible();
  await expect(page.getByText(/In your projects: \d+ message/)).toBeVisible();
  await screenshot(page, 'error-code');
});

test('the audit log says who did what to which subject, in words, with a link to it', async ({ page }) => {
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  const name = `Audited ${run}`;
  await createProject(page, name, `2557${Date.now().toString().slice(-8)}`);
  await page.goto('/audit');
  const row = page.getByRole('row').filter({ hasText: 'created the project' }).filter({ hasText: name }).first();
  await expect(row).toContainText(ADMIN_EMAIL);
  await expect(row.getByRole('link', { name })).toHaveAttribute('href', /^\/projects\/\d+$/);
  await expect(row).toContainText(`name: ${name}`);
  await screenshot(page, 'audit');
});
