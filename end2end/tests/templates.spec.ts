import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createProject, hydrated, logIn, run, screenshot } from './helpers';

test('the editor checks as you type: variables fill the preview live, and a 1025-character body is refused', async ({ page }) => {
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await createProject(page, `Template shop ${run}`, `2554${Date.now().toString().slice(-8)}`);
  const projectId = page.url().split('/').pop();
  await page.goto(`/templates?project=${projectId}`);
  await page.getByRole('link', { name: 'New template' }).click();
  await hydrated(page);
  // A marker on the window: it survives only if nothing below reloads the page.
  await page.evaluate(() => ((window as any).__sameDocument = true));

  // Nothing typed yet: no errors. Then each finding names its field as the form does.
  await expect(page.getByText("Each field is checked against WhatsApp's rules as you type.")).toBeVisible();
  await expect(page.locator('.findings')).toHaveCount(0);
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0);
  await page.getByLabel('Name').fill('Order Update');
  const findings = page.getByRole('region', { name: 'Findings' });
  await expect(findings).toContainText("Name: names use lowercase letters, digits and _ only: replace 'O', a space, 'U'.");
  await expect(findings).toContainText('Body: write the message body.');
  await page.getByLabel('Name').fill(`order_update_${run}`);
  await page.getByLabel('Body').fill('Hello {{1}}, your order *{{2}}* has shipped.');
  await expect(page.getByText('2 variables: {{1}}, {{2}}')).toBeVisible();
  // Typed key by key: the sample inputs keep their focus while the preview follows.
  await page.getByLabel('Sample for {{1}}').pressSequentially('Amina');
  await page.getByLabel('Sample for {{2}}').fill('A-1042');
  const preview = page.getByTestId('preview-body');
  await expect(preview).toHaveText('Hello Amina, your order A-1042 has shipped.');
  await expect(preview.locator('span.font-semibold')).toHaveText('A-1042');
  // A text header has its own {{1}} and its own sample.
  await page.getByLabel('Header', { exact: true }).selectOption('text');
  await page.getByLabel('Header text').fill('Order {{1}}');
  await page.getByLabel("Sample for the header's {{1}}").fill('A-1042');
  await expect(page.getByTestId('preview-header')).toHaveText('Order A-1042');
  await page.getByLabel('Footer').fill('Reply STOP to opt out');
  await page.getByRole('button', { name: 'Add button' }).click();
  await page.getByLabel('Button 1 text').fill('Track order');
  await page.getByLabel('Button 1 text').blur();
  await expect(page.getByRole('figure', { name: 'Preview' })).toContainText('Track order');
  await expect(page.getByText('No findings')).toBeVisible();
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await screenshot(page, 'template-editor');
  await page.getByRole('button', { name: 'Save template' }).click();
  await expect(page.getByText('Template saved.')).toBeVisible();
  await expect(page).toHaveURL(/\/templates\/\d+$/);
  // Saved again on the same page: an update, not a second template.
  await page.getByLabel('Footer').fill('Reply STOP to stop these messages');
  const [second] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/save_template')),
    page.getByRole('button', { name: 'Save template' }).click(),
  ]);
  expect(second.status()).toBe(200);
  await expect(page.getByText('Template saved.')).toBeVisible();
  await expect(page.getByText('Delete…')).toBeVisible();

  // 1025 characters: the counter turns red, the linter says what to change, the server refuses.
  await page.getByLabel('Body').fill('x'.repeat(1025));
  const counter = page.locator('#body-counter');
  await expect(counter).toHaveText('1025 / 1024');
  await expect(counter).toHaveClass(/counter-over/);
  await expect(page.getByTestId('body-error')).toContainText('limit is 1024');
  await expect(page.getByRole('button', { name: 'Save template' })).toBeDisabled();
  await expect(page.getByTestId('save-blocked')).toHaveText('Save is off until the finding above is fixed.');
  await screenshot(page, 'template-too-long');
  // The server refuses it too, whatever the browser does.
  const refused = await page.evaluate(async (project) => {
    const csrf = document.querySelector('meta[name="csrf-token"]')!.getAttribute('content')!;
    const id = location.pathname.split('/').pop()!;
    const template = { name: 'too_long', translations: [{ language: 'en', body: 'x'.repeat(1025) }] };
    const body = new URLSearchParams({ project_id: project!, id, template: JSON.stringify(template) });
    const r = await fetch('/api/save_template', { method: 'POST', headers: { 'x-csrf-token': csrf, accept: 'application/json' }, body });
    return [r.status, await r.text()];
  }, projectId);
  expect(refused[1]).toContain('limit is 1024');
  await page.reload();
  await expect(page.getByLabel('Body')).toHaveValue('Hello {{1}}, your order *{{2}}* has shipped.');
});

test('the 251st template name of a project is refused', async ({ page }) => {
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await createProject(page, `Full library ${run}`, `2555${Date.now().toString().slice(-8)}`);
  const projectId = page.url().split('/').pop();
  await page.goto(`/templates?project=${projectId}`);
  await hydrated(page);
  const library = Array.from({ length: 250 }, (_, i) => ({ name: `notice_${i}`, category: 'utility', status: 'approved', translations: [{ language: 'en', body: `Notice number ${i} for you.` }] }));
  await page.getByText('Import templates (JSON)').click();
  await page.getByLabel(/Templates, as exported/).fill(JSON.stringify(library));
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByText('250 of 250 template names used')).toBeVisible();
  await page.getByLabel('Name contains').fill('notice_24');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/q=notice_24/);
  await expect(page.getByRole('table', { name: 'Templates' }).locator('tbody tr')).toHaveCount(11);
  await screenshot(page, 'templates');

  await page.getByRole('link', { name: 'New template' }).click();
  await hydrated(page);
  await page.getByLabel('Name').fill('one_too_many');
  await page.getByLabel('Body').fill('Hello there, this is one more.');
  await page.getByRole('button', { name: 'Save template' }).click();
  await expect(page.getByText(/already has 250 template names/).first()).toBeVisible();
  await page.goto(`/templates?project=${projectId}`);
  await expect(page.getByRole('link', { name: 'one_too_many' })).toHaveCount(0);
});
