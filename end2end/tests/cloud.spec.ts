import { expect, test } from '@playwright/test';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, createKey, createOrganization, hydrated, logIn, run, screenshot, sendTemplate,
} from './helpers';

const GRAPH_URL = process.env.E2E_GRAPH_URL ?? 'http://127.0.0.1:3191';
const APP_ID = process.env.E2E_META_APP_ID ?? '1234567890';
const APP_SECRET = process.env.E2E_META_APP_SECRET ?? 'e2e meta app secret';
const ACCESS_TOKEN = process.env.E2E_ACCESS_TOKEN ?? 'EAAGe2eSystemUserAccessToken0123456789abcd';
const PHONE_NUMBER_ID = process.env.E2E_PHONE_NUMBER_ID ?? '106540352242922';
const WABA_ID = process.env.E2E_WABA_ID ?? '102290129340398';

// A provider's day one on the Cloud API: the admin registers the Meta app (and gets what
// Meta's dashboard needs), creates a project on a Cloud number; a partner sends through
// the API and support follows the message to Graph and back (its statuses, posted by
// "Meta" to the app's callback URL).
test('an admin adds a Meta app and a Cloud project; a message sent through the API is traced to Graph and back', async ({ page }) => {
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/meta-apps');
  await hydrated(page);
  await page.getByLabel('App id').fill(APP_ID);
  await page.getByLabel('Name', { exact: true }).fill('Provider app');
  await page.getByLabel('App secret').fill(APP_SECRET);
  await page.getByLabel('Graph API URL').fill(GRAPH_URL);
  await page.getByRole('button', { name: 'Register app' }).click();
  const card = page.getByRole('region', { name: 'Meta app Provider app' });
  await expect(card).toContainText(`/meta/${APP_ID}/webhook`);
  await expect(card.getByRole('button', { name: 'Copy callback URL' })).toBeVisible();
  await expect(card.getByRole('button', { name: 'Copy verify token' })).toBeVisible();
  await expect(page.locator('body')).not.toContainText(APP_SECRET);
  await screenshot(page, 'meta-apps');

  // The verify token shown is the one Meta's handshake must send.
  const token = (await card.locator('dt:text-is("Verify token") + dd code').textContent())!.trim();
  const handshake = await page.request.get(`/meta/${APP_ID}/webhook`, {
    params: { 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '4242' },
  });
  expect(await handshake.text()).toBe('4242');

  const name = `Cloud shop ${run}`;
  await createOrganization(page, `${name} org`);
  await page.goto('/projects/new');
  await hydrated(page);
  await page.getByLabel('Organization').selectOption({ label: `${name} org` });
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('WhatsApp phone number').fill('15550783881');
  await expect(page.getByLabel('WhatsApp Cloud API')).toBeChecked();
  await expect(page.getByLabel('Upstream base URL')).toBeHidden();
  await page.getByLabel('Meta app').selectOption(APP_ID);
  await page.getByLabel('Phone number id').fill(PHONE_NUMBER_ID);
  await page.getByLabel('WhatsApp Business Account id').fill(WABA_ID);
  await page.getByLabel('Access token').fill(ACCESS_TOKEN);
  await screenshot(page, 'cloud-project-form');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.locator('.summary')).toContainText('WhatsApp Cloud API');
  await expect(page.locator('.summary')).toContainText(`••••${ACCESS_TOKEN.slice(-4)}`);
  await expect(page.locator('body')).not.toContainText(ACCESS_TOKEN);
  await expect(page.getByRole('region', { name: 'Upstream connection' })).toContainText('Meta answers for this number');
  await screenshot(page, 'cloud-project');

  const key = await createKey(page, 'shop backend');
  await sendTemplate(page, key, '255712345678');

  await page.goto('/messages');
  await page.getByLabel('Project').selectOption({ label: name });
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByRole('link', { name: /Trace of message/ }).first().click();
  await expect(page.getByRole('heading', { name: /Message #\d+/ })).toBeVisible();
  const upstream = page.getByRole('region', { name: '3. The upstream request and answer' });
  await expect(upstream).toContainText(`${GRAPH_URL}/v23.0/${PHONE_NUMBER_ID}/messages`);
  await expect(upstream).toContainText('wamid.');
  // Graph's statuses come back through the app's callback URL, signed with the app secret.
  const statuses = page.getByRole('region', { name: 'Status notifications' });
  await expect(async () => {
    await page.reload();
    await expect(statuses).toContainText('read', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await screenshot(page, 'cloud-trace');
});

// Customer success keeps a Cloud number's templates at Meta: Sync reads the account's
// library (every status Meta has, with what it means), and a new template is submitted,
// shown pending, and approved when Meta's review comes back by notification.
test("a Cloud project's templates are Meta's: synced with every status, submitted and approved", async ({ page }) => {
  const entry = (name: string, status: string, extra: object = {}) => ({
    name: `${name}_${run}`, language: 'en_US', category: 'MARKETING', status,
    components: [{ type: 'BODY', text: 'Our big sale starts today!' }], ...extra,
  });
  // Meta's library as WhatsApp Manager left it: a template in each status.
  const seeded = await page.request.post(`${GRAPH_URL}/control/templates`, {
    data: [
      entry('spring_sale', 'PAUSED', { quality_score: { score: 'RED' } }),
      entry('winter_sale', 'DISABLED'),
      entry('new_arrivals', 'PENDING'),
      entry('flash_sale', 'REJECTED', { rejected_reason: 'INVALID_FORMAT' }),
      entry('delivery_update', 'APPROVED', { category: 'UTILITY', quality_score: { score: 'GREEN' } }),
      entry('welcome', 'APPROVED'),
      entry('welcome', 'APPROVED', { language: 'sw', components: [{ type: 'BODY', text: 'Karibu dukani!' }] }),
    ],
  });
  expect(seeded.ok()).toBeTruthy();
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/projects');
  await page.getByRole('link', { name: `Cloud shop ${run}` }).click();
  await expect(page.getByRole('heading', { name: `Cloud shop ${run}` })).toBeVisible();
  const projectId = page.url().split('/').pop();
  await page.goto(`/templates?project=${projectId}`);
  await hydrated(page);
  await page.getByRole('button', { name: 'Sync from Meta' }).click();
  await expect(page.getByText(/Synced from Meta: \d+ template names \(\d+ new/)).toBeVisible();
  const row = (name: string) => page.getByRole('row', { name: new RegExp(`${name}_${run}`) });
  await expect(row('spring_sale')).toContainText('paused');
  await expect(row('spring_sale')).toContainText('quality RED');
  await expect(row('winter_sale')).toContainText('disabled');
  await expect(row('new_arrivals')).toContainText('pending');
  await expect(row('flash_sale')).toContainText('rejected');
  await expect(row('flash_sale')).toContainText('INVALID_FORMAT');
  await expect(row('delivery_update')).toContainText('approved');
  await page.getByText('What the statuses mean').click();
  await expect(page.getByText('it can never be sent again')).toBeVisible();
  await expect(page.getByText('Import templates (JSON)')).toBeHidden();
  await screenshot(page, 'templates-from-meta');

  // One language of a template is deleted at Meta; the other stays, on screen and at Meta.
  await expect(row('welcome')).toContainText('sw');
  await row('welcome').getByRole('link').click();
  await hydrated(page);
  await page.getByRole('tab', { name: 'sw' }).click();
  await page.getByText('Delete…').click();
  await expect(page.getByText('Deleting only the sw translation deletes it at Meta')).toBeVisible();
  await screenshot(page, 'template-delete-language');
  await page.getByRole('button', { name: 'Delete only sw' }).click();
  await expect(page.getByText('Deleted.')).toBeVisible();
  await expect(page.getByRole('tab')).toHaveText(['en_US']);
  await page.goto(`/templates?project=${projectId}`);
  await hydrated(page);
  await page.getByRole('button', { name: 'Sync from Meta' }).click();
  await expect(page.getByText(/Synced from Meta/)).toBeVisible();
  await expect(row('welcome')).toContainText('en_US');
  await expect(row('welcome')).not.toContainText('sw');

  await page.getByRole('link', { name: 'New template' }).click();
  await hydrated(page);
  await page.getByLabel('Name').fill(`shipping_${run}`);
  await page.getByLabel('Body').fill('Your order has shipped.');
  await expect(page.getByText('Not submitted yet')).toBeVisible();
  await page.getByRole('button', { name: 'Submit to Meta' }).click();
  await expect(page.getByText('Submitted to Meta: it shows as pending')).toBeVisible();
  await screenshot(page, 'template-submitted');
  await expect(async () => {
    await page.goto(`/templates?project=${projectId}`);
    await expect(row('shipping')).toContainText('approved', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
});

// Support sees a number's standing at Meta on its project, and a drop reaches the home
// overview with what to do: Meta's quality notification makes the gateway read it again.
test("a number's quality drop at Meta shows on its project with a timeline, and on the home overview", async ({ page }) => {
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/projects');
  await page.getByRole('link', { name: `Cloud shop ${run}` }).click();
  await hydrated(page);
  const panel = page.getByRole('region', { name: 'Number health' });
  await panel.getByRole('button', { name: 'Check now' }).click();
  await expect(panel).toContainText('GREEN');
  await expect(panel).toContainText('TIER_1K');

  const dropped = await page.request.post(`${GRAPH_URL}/control/number_health`, {
    data: { phone_number_id: PHONE_NUMBER_ID, event: 'DOWNGRADE', quality_rating: 'YELLOW' },
  });
  expect(dropped.ok()).toBeTruthy();
  await expect(async () => {
    await page.reload();
    await expect(panel).toContainText('quality rating: GREEN → YELLOW', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(panel).toContainText('Quality dropped to YELLOW');
  await expect(panel).toContainText("Meta's notification");
  await screenshot(page, 'number-health');

  // Customer success warms the number up: caps that grow day by day, checked as typed.
  await panel.getByText('Set a warm-up plan').click();
  const caps = panel.getByLabel('Daily caps on new conversations, one step a day');
  await caps.fill('500, 250');
  await expect(panel.getByText('Caps grow day by day: 250 comes after 500.')).toBeVisible();
  await caps.fill('250, 500, 1000, 2000');
  await panel.getByRole('button', { name: 'Save the plan' }).click();
  await expect(panel.getByTestId('conversation-cap')).toContainText('of 250 new conversations');
  await expect(panel.getByTestId('conversation-cap')).toContainText('day 1 of its warm-up plan');
  await expect(panel).toContainText('Warm-up plan: 250, 500, 1000, 2000 new conversations a day');
  await screenshot(page, 'warmup-plan');

  // Meta's notice about the account reads in words on the number's timeline.
  const notice = await page.request.post(`${GRAPH_URL}/control/account_update`, {
    data: { value: { phone_number: '15550783881', event: 'ACCOUNT_VIOLATION', violation_info: { violation_type: 'SCAM' } } },
  });
  expect(notice.ok()).toBeTruthy();
  await expect(async () => {
    await page.reload();
    await expect(panel).toContainText('Meta found a policy violation (scam)', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await screenshot(page, 'account-notice');

  // Meta refuses a send for the pair rate limit: the home overview counts it with what to do.
  const key = await createKey(page, 'limits check');
  const refused = await page.request.post('/v1/messages', {
    headers: { 'WA-API-KEY': key },
    data: { to: '15550131056', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } },
  });
  expect(refused.status()).toBe(400);

  await page.goto('/');
  const attention = page.getByRole('region', { name: 'Needs attention' });
  await expect(attention).toContainText(`Cloud shop ${run}`);
  await expect(attention).toContainText('Quality dropped to YELLOW');
  await screenshot(page, 'home-needs-attention');
  const limits = page.getByRole('table', { name: 'Meta holding numbers back' });
  const pair = limits.getByRole('row', { name: /131056/ });
  await expect(pair).toContainText('Pair rate limit hit');
  await expect(pair.getByRole('link', { name: /^[\d,]+ messages?$/ })).toBeVisible();
  await limits.scrollIntoViewIfNeeded();
  await screenshot(page, 'home-meta-limits');
});
