import { expect, Page } from '@playwright/test';

export const ADMIN_EMAIL = process.env.E2E_ADMIN_EMAIL ?? 'admin@tujenge.test';
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? 'e2e admin password';

/** Waits until the WASM bundle has hydrated the page, so typing reaches Rust handlers. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => (window as any).__tujengeHydrated === true, null, { timeout: 30_000 });
}

export async function logIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

export async function logOut(page: Page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `end2end/screenshots/${name}.png`, fullPage: true });
}

/** A suffix that keeps names unique across runs against the same database. */
export const run = Date.now().toString(36);
