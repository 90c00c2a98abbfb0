import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createProject, logIn, openProjectTab, run, screenshot } from './helpers';

test('the profile form refuses a 513-character description while typing and saves a valid profile upstream', async ({ page }) => {
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await createProject(page, `Profile shop ${run}`, `2553${Date.now().toString().slice(-8)}`);
  const projectUrl = await openProjectTab(page, 'profile');

  const form = page.getByRole('form', { name: 'Business profile' });
  const description = form.getByLabel('Description');
  await description.fill('d'.repeat(513));
  await expect(form.getByText('513 / 512')).toBeVisible();
  await expect(form.getByText('513 / 512')).toHaveClass(/counter-over/);
  await expect(form.getByRole('button', { name: 'Save profile' })).toBeDisabled();
  await expect(form.getByText(/Save is disabled: description/)).toBeVisible();
  await screenshot(page, 'profile');

  await description.fill('Fresh groceries delivered across Dar es Salaam.');
  // Categories in WhatsApp's words, never their codes.
  const categories = await form.getByLabel('Business category').locator('option').allTextContents();
  expect(categories).toContain('Food and grocery');
  expect(categories).toContain('Professional services');
  expect(categories.filter((c) => /_|^[a-z]/.test(c) || /biz|undefined/i.test(c))).toEqual([]);
  await form.getByLabel('Business category').selectOption({ label: 'Food and grocery' });
  // No photo yet: nothing to delete.
  await expect(page.getByText('No photo yet.')).toBeVisible();
  await expect(page.getByText('Delete photo…')).toHaveCount(0);
  await form.getByLabel('Website 1').fill('https://duka.test');
  await expect(form.getByRole('button', { name: 'Save profile' })).toBeEnabled();
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(form.getByText('Business profile saved.')).toBeVisible();

  // Read back from the upstream (the simulator), not from the browser.
  await page.goto(projectUrl);
  const again = page.getByRole('form', { name: 'Business profile' });
  await expect(again.getByLabel('Description')).toHaveValue('Fresh groceries delivered across Dar es Salaam.');
  await expect(again.getByLabel('Website 1')).toHaveValue('https://duka.test');
  await expect(again.getByLabel('Business category')).toHaveValue('GROCERY');
});
