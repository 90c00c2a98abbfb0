import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createOrganization, hydrated, logIn, logOut, run, screenshot } from './helpers';

test('an admin sets a forgotten password, and the user then changes it on their account page', async ({ page }) => {
  const email = `forgetful-${run}@tujenge.test`;
  const [initial, fromAdmin, chosen] = ['initial password 1', 'set by the admin 2', 'chosen by myself 3'];

  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/users');
  await hydrated(page);
  const addUser = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create user' }) });
  await addUser.getByLabel('Email').fill(email);
  await addUser.getByLabel('Initial password').fill(initial);
  await addUser.getByLabel('Role').selectOption('support');
  await addUser.getByRole('button', { name: 'Create user' }).click();
  const row = page.getByRole('row').filter({ hasText: email });
  await expect(row).toBeVisible();

  // The user forgot it: the admin sets a new one from the user's row.
  await row.getByText('Set a new password…').click();
  const reset = row.getByRole('form', { name: `New password for ${email}` });
  await reset.getByLabel('New password').fill(fromAdmin);
  await reset.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByText("New password set; that user's sessions have ended.")).toBeVisible();
  await logOut(page);

  // The user logs in with it and picks their own from the account page.
  await logIn(page, email, fromAdmin);
  await page.getByRole('link', { name: email }).click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password', { exact: true }).fill(chosen);
  await page.getByLabel('New password again').fill(chosen);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('That is not your current password.').first()).toBeVisible();

  await page.getByLabel('Current password').fill(fromAdmin);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').getByText('Password changed. Your other sessions have ended.')).toBeVisible();
  await expect(page.getByLabel('Current password')).toHaveValue('');
  await screenshot(page, 'account');
  await logOut(page);

  // Only the password they chose works now.
  for (const old of [initial, fromAdmin]) {
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(old);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByText('Wrong email or password').first()).toBeVisible();
  }
  await logIn(page, email, chosen);
});

test("changing a user's role says what it does as it is chosen, and saves only once confirmed", async ({ page }) => {
  const email = `moving-${run}@tujenge.test`;
  const org = `Role org ${run}`;
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await createOrganization(page, org);
  await page.goto('/users');
  await hydrated(page);
  const addUser = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create user' }) });
  await addUser.getByLabel('Email').fill(email);
  await addUser.getByLabel('Initial password').fill('initial password 1');
  await addUser.getByLabel('Role').selectOption('support');
  await addUser.getByRole('button', { name: 'Create user' }).click();
  const row = page.getByRole('row').filter({ hasText: email });
  await expect(row).toBeVisible();

  await row.getByText('Change role or access…').click();
  const change = row.getByRole('form', { name: `Change ${email}` });
  const said = change.getByTestId('role-consequence');
  await expect(said).toHaveText('The role and organization decide what they see.');
  await change.getByLabel('Role').selectOption('partner');
  await change.getByLabel('Organization').selectOption({ label: org });
  const consequence = `${email} becomes a partner of ${org}: they see only ${org}'s projects. It takes effect on their next page.`;
  await expect(said).toHaveText(consequence);
  await change.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(`${consequence} Tick “Confirm the change” and save again.`).first()).toBeVisible();
  await expect(said, 'the form stays as chosen').toHaveText(consequence);
  await expect(row.getByRole('cell', { name: 'Support', exact: true })).toBeVisible();
  await screenshot(page, 'users-role-change');

  await change.getByLabel('Confirm the change').check();
  await change.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').getByText('User saved.')).toBeVisible();
  await expect(row.getByRole('cell', { name: 'Partner', exact: true })).toBeVisible();
});
