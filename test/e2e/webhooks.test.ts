// The Webhooks page end to end, in Debian's Chromium against a real `sil start`, with a receiver
// on 127.0.0.1 (a plain node:http server): a subscription for config.* created in the form (its
// secret shown once, a 1 h retry schedule so nothing retries by itself during the test); a config
// commit → a config.applied that verifies with the standardwebhooks package and shows in the
// delivery log; the receiver failing once → the delivery pending with HTTP 500, replayed from the
// console → a second request with the same webhook-id; the secret rotated (shown once, the next
// delivery verifies with it); a Razorpay provider's webhooks posted to /hooks/<id>, one signed as
// Razorpay documents and one with a bad signature, listed under "Received from providers" with
// their verdicts; Arabic right to left; a phone without sideways scroll. axe-core on each view;
// screenshots docs/screenshots/webhooks.png, webhooks-inbound.png and webhooks-ar.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../scripts/build-console.ts';
import { startSil, type E2eHub } from './hub.ts';
import { hasChromium, launchBrowser, newContext, arabicContext, saveScreenshot, seriousViolations, type PageProblems } from './browser.ts';
import { setUpOwner } from './page-api.ts';

declare const document: any;
declare function scrollTo(x: number, y: number): void;

const PASSWORD = 'correct horse battery staple';
const RAZORPAY_SECRET = 'e2eRazorpayWebhookSecret01';
interface Answer<T = Record<string, any>> { status: number; body: T }
interface Received { headers: IncomingHttpHeaders; body: string; status: number }

/** The receiver: records every request; answers 500 while `failNext` > 0, else 200 "ok". */
async function startReceiver() {
  const rx = { received: [] as Received[], failNext: 0, url: '', server: undefined as Server | undefined };
  rx.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = rx.failNext > 0 ? (rx.failNext--, 500) : 200;
      rx.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'receiver down for a moment');
    });
  });
  await new Promise<void>((ok) => rx.server!.listen(0, '127.0.0.1', ok));
  rx.url = `http://127.0.0.1:${(rx.server.address() as AddressInfo).port}/sil`;
  return rx;
}

if (!hasChromium) console.warn('webhooks e2e: skipped — /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)');

describe.skipIf(!hasChromium)('webhooks page in Chromium (e2e)', { timeout: 90_000 }, () => {
  let hub: E2eHub;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let browser: Browser;
  let context: BrowserContext;
  let problems: PageProblems;
  let page: Page;
  let secret = '';

  function api<T = Record<string, any>>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    return page.evaluate(async ([m, u, b]) => {
      const s = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const r = await fetch(u as string, { method: m as string, headers: { 'content-type': 'application/json', 'x-sil-csrf': s.csrfToken }, body: b === undefined ? undefined : JSON.stringify(b) });
      return { status: r.status, body: (await r.json()) as T };
    }, [method, path, body] as const) as Promise<Answer<T>>;
  }
  /** A config commit (a new policy): answers its commit, whose config.applied the receiver gets. */
  async function configChange(name: string): Promise<string> {
    const base = (await api('GET', '/api/policies')).body.commit as string;
    const r = await api('POST', '/api/policies', { base, policy: { name, rateLimit: { requests: 60, per: 'minute' } } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.commit as string;
  }
  /** The receiver's requests carrying config.applied of `commit` (bounded wait for `count` of them). */
  async function arrivals(commit: string, count: number): Promise<Received[]> {
    const of = () => rx.received.filter((r) => JSON.parse(r.body).data?.commit === commit);
    for (let i = 0; i < 100 && of().length < count; i++) await new Promise((ok) => setTimeout(ok, 100));
    expect(of().length).toBe(count);
    return of();
  }
  async function open(p: Page, path: string): Promise<void> {
    await p.goto(`${hub.url}${path}`);
    await p.waitForSelector('body[data-session=ok]');
  }
  const row = (p: Page, webhookId: string) => p.locator(`tr[data-webhook-id="${webhookId}"]`);
  const noSidewaysScroll = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  async function shot(p: Page, name: string): Promise<void> {
    await p.evaluate(() => {
      document.activeElement?.blur?.();
      scrollTo(0, 0);
    });
    // Times, ids, ports and fingerprints differ from run to run.
    const mask = ['.wh-nowrap', 'td:has(> .wh-id)', '.wh-attempts .wh-num', '.wh-log-table .wh-ms', '.wh-next', '.wh-url', '.wh-status .bd-muted', '.wh-key-list', '.wh-detail h3 code', '.wh-detail .wh-pre', '[data-testid=wh-replayed]', '[data-testid=wh-updated]', '.wh-detail p .bd-muted'].map((s) => p.locator(s));
    await saveScreenshot(p, name, { fullPage: true, mask });
  }

  beforeAll(async () => {
    ensureConsoleBuilt({ quiet: true });
    rx = await startReceiver();
    [hub, browser] = await Promise.all([startSil(), launchBrowser()]);
    ({ context, problems } = await newContext(browser));
    page = await context.newPage();
    await setUpOwner(page, hub, PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await new Promise((ok) => (rx?.server ? rx.server.close(ok) : ok(undefined)));
  });

  it('creates a subscription in the form and shows its secret once', async () => {
    await open(page, '/webhooks');
    expect(await page.locator('.sidebar a[aria-current=page]').innerText()).toBe('Webhooks');
    await expect.poll(() => page.locator('.bd-empty:not([data-testid])').count()).toBe(1);
    // Nothing received from providers yet: the panel says which URL to give them.
    expect(await page.getByTestId('wh-inbound-empty').innerText()).toContain(`${hub.url}/hooks/<provider-id>`);
    await page.getByRole('link', { name: '+ New webhook' }).click();
    await page.waitForSelector('#wh-name');
    // The form checks before sending.
    await page.getByRole('button', { name: 'Create webhook' }).click();
    expect(await page.locator('#wh-name-help').innerText()).toMatch(/^Use lowercase letters/);
    expect(await page.locator('#wh-events-help').innerText()).toBe('Choose at least one event.');
    await page.fill('#wh-name', 'receiver');
    await page.fill('#wh-url', rx.url);
    await page.fill('#wh-description', 'the test receiver');
    await page.check('[data-event="config.*"]');
    await page.locator('.wh-advanced summary').click();
    await page.fill('#wh-schedule', '1h');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByTestId('wh-secret').waitFor();
    secret = await page.getByTestId('wh-secret').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(await page.getByTestId('wh-secret-once').innerText()).toContain('you will not see it again');
    expect(page.url()).toMatch(/\/webhooks\?name=receiver$/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.locator('.wh-view').waitFor();
    expect(await page.locator('.wh-view .wh-events').innerText()).toBe('config.*');
    expect(await page.getByTestId('wh-keys').locator('li').count()).toBe(1);
    await page.reload();
    await page.locator('.wh-view').waitFor();
    expect(await page.content()).not.toContain(secret);
    const file = (await api('GET', '/api/webhooks/receiver')).body.webhook;
    expect(file).toMatchObject({ name: 'receiver', url: rx.url, description: 'the test receiver', events: ['config.*'], retry: { scheduleSeconds: [3600] }, state: { disabledByHub: false } });
  });

  it('delivers a config change signed; the delivery shows in the log', async () => {
    const commit = await configChange('first');
    const [got] = await arrivals(commit, 1);
    const event = new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>) as { type: string; data: { commit: string } };
    expect(event).toMatchObject({ type: 'config.applied', data: { commit } });
    const id = got!.headers['webhook-id'] as string;
    await open(page, '/webhooks?name=receiver');
    await expect.poll(async () => (await page.getByRole('button', { name: 'Refresh' }).click(), row(page, id).getAttribute('data-state'))).toBe('delivered');
    expect(await row(page, id).locator('.wh-last').innerText()).toBe('HTTP 200');
    // The last attempt's duration, through Intl: "12 ms" (or "1.2 s" on a slow machine).
    expect(await row(page, id).locator('.wh-ms').innerText()).toMatch(/^(\d+ ms|\d+(\.\d+)? s)$/);
    await open(page, '/webhooks');
    expect(await page.locator('tr[data-webhook=receiver] .wh-badge').innerText()).toBe('Active');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows a failed attempt and replays it from the console with the same webhook-id', async () => {
    rx.failNext = 1;
    const commit = await configChange('second');
    const [failed] = await arrivals(commit, 1);
    expect(failed!.status).toBe(500);
    const id = failed!.headers['webhook-id'] as string;
    await open(page, '/webhooks?name=receiver');
    await expect.poll(async () => (await page.getByRole('button', { name: 'Refresh' }).click(), row(page, id).getAttribute('data-state'))).toBe('pending');
    expect(await row(page, id).locator('.wh-last').innerText()).toBe('HTTP 500');
    expect(await row(page, id).locator('.wh-ms').innerText()).toMatch(/^(\d+ ms|\d+(\.\d+)? s)$/);
    await row(page, id).getByRole('button', { name: 'Details' }).click();
    const detail = page.getByTestId('wh-delivery');
    await detail.locator('tr[data-attempt="1"]').waitFor();
    expect(await detail.locator('tr[data-attempt="1"]').innerText()).toContain('receiver down for a moment');
    expect(await detail.locator('.wh-pre').last().innerText()).toContain('"type": "config.applied"');
    await detail.getByRole('button', { name: 'Replay' }).click();
    await page.getByTestId('wh-replayed').waitFor();
    const both = await arrivals(commit, 2);
    expect(both[1]!.status).toBe(200);
    expect(both[1]!.headers['webhook-id']).toBe(id);
    expect(new Webhook(secret).verify(both[1]!.body, both[1]!.headers as Record<string, string>)).toMatchObject({ type: 'config.applied' });
    await expect.poll(async () => (await page.getByRole('button', { name: 'Refresh' }).click(), page.locator(`tr[data-webhook-id="${id}"][data-state=delivered]`).count())).toBe(1);
    expect(await row(page, id).count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'webhooks.png');
  });

  it('rotates the secret: shown once, the next delivery verifies with it', async () => {
    await open(page, '/webhooks?name=receiver');
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.fill('#wh-grace', '721');
    expect(await page.locator('#wh-grace-help').innerText()).toBe('A whole number of hours from 0 to 720.');
    await page.fill('#wh-grace', '0');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Rotate', exact: true }).click();
    await page.getByTestId('wh-secret').waitFor();
    const next = await page.getByTestId('wh-secret').inputValue();
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(secret);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('wh-secret').count()).toBe(0);
    const commit = await configChange('third');
    const [got] = await arrivals(commit, 1);
    expect(new Webhook(next).verify(got!.body, got!.headers as Record<string, string>)).toMatchObject({ type: 'config.applied' });
    expect(() => new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>)).toThrow();
  });

  it('lists the webhooks a provider posted to /hooks/<id>, accepted and refused', async () => {
    let base = (await api('GET', '/api/providers')).body.commit as string;
    const add = async (path: string, body: Record<string, unknown>) => {
      const r = await api('POST', path, { base, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      base = r.body.commit as string;
    };
    await add('/api/providers', { provider: { id: 'razorpay-main', template: 'razorpay', environment: 'prod' } });
    await add('/api/providers/razorpay-main/keys', { secret: { keyId: 'rzp_test_E2eKey0001', keySecret: 'E2eRazorpayKeySecret0001', webhookSecret: RAZORPAY_SECRET } });
    await open(page, '/webhooks');
    await page.getByTestId('wh-inbound-empty').waitFor();
    // Razorpay signs the raw body: hex HMAC-SHA256 with the webhook secret, in X-Razorpay-Signature.
    const post = (eventId: string, secret: string) => {
      const body = JSON.stringify({ entity: 'event', account_id: 'acc_E2e', event: 'payment.captured', contains: ['payment'], payload: { payment: { entity: { id: `pay_${eventId}`, amount: 5000, currency: 'INR' } } }, created_at: Math.floor(Date.now() / 1000) });
      const signature = createHmac('sha256', secret).update(body).digest('hex');
      return fetch(`${hub.url}/hooks/razorpay-main`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Razorpay-Signature': signature, 'X-Razorpay-Event-Id': eventId }, body });
    };
    expect((await post('evt_E2eGood01', RAZORPAY_SECRET)).status).toBe(200);
    expect((await post('evt_E2eForged1', 'not-the-secret')).status).toBe(401);
    // The panel reads again every 10 s while the page is visible: both appear without a reload.
    const rows = page.locator('.wh-inbound-table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    const refused = rows.nth(0);
    const accepted = rows.nth(1);
    expect(await accepted.getAttribute('data-verdict')).toBe('accepted');
    expect(await accepted.locator('.wh-badge').innerText()).toBe('Accepted');
    expect(await accepted.locator('.wh-event').innerText()).toBe('payment.captured\nevt_E2eGood01');
    expect(await accepted.locator('td').nth(2).innerText()).toBe('hmac');
    expect(await accepted.getByRole('link', { name: 'razorpay-main' }).getAttribute('href')).toBe('/providers/view?id=razorpay-main');
    expect(await refused.getAttribute('data-verdict')).toBe('refused');
    expect(await refused.locator('.wh-badge').innerText()).toBe('Refused · SIL_HOOK_SIGNATURE');
    expect(await page.locator('.wh-inbound').innerText()).not.toContain(RAZORPAY_SECRET);
    expect(await page.getByTestId('wh-inbound-empty').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'webhooks-inbound.png');
  });

  it('lays out right to left in Arabic, and fits a phone', async () => {
    const { context: ar, problems: arProblems } = await arabicContext(browser, context);
    const p = await ar.newPage();
    await open(p, '/webhooks?name=receiver');
    expect(await p.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    expect(await p.locator('h1').innerText()).toBe('خطافات الويب');
    expect(await p.locator('.sidebar a[aria-current=page]').innerText()).toBe('خطافات الويب');
    await p.locator('tr[data-state=delivered]').first().waitFor();
    expect(await p.locator('tr[data-state=delivered] .wh-badge').first().innerText()).toBe('سُلّم');
    // Counts in Arabic-Indic digits through Intl.
    expect(await p.locator('.wh-log .wh-toolbar .bd-muted').innerText()).toMatch(/[٠-٩]/);
    expect(await p.locator('.wh-log-table .wh-ms').first().innerText()).toMatch(/[٠-٩]/);
    await p.locator('tr[data-state=pending], tr[data-state=delivered]').first().getByRole('button', { name: 'التفاصيل' }).click();
    await p.getByTestId('wh-delivery').locator('tr[data-attempt="1"]').waitFor();
    expect(await seriousViolations(p)).toEqual([]);
    await shot(p, 'webhooks-ar.png');
    await p.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => noSidewaysScroll(p)).toBe(true);
    for (const path of ['/webhooks', '/webhooks?new=1']) {
      await open(p, path);
      await p.locator(path.includes('new') ? '#wh-name' : 'tr[data-webhook=receiver]').waitFor();
      await expect.poll(() => noSidewaysScroll(p)).toBe(true);
    }
    // The providers' webhooks in Arabic (on the phone: the table scrolls inside its box).
    await open(p, '/webhooks');
    expect(await p.locator('#wh-inbound-title').innerText()).toBe('الواردة من المزوّدين');
    await p.locator('.wh-inbound-table tr[data-verdict=refused]').waitFor();
    expect(await p.locator('.wh-inbound-table tr[data-verdict=refused] .wh-badge').innerText()).toBe('مرفوض · SIL_HOOK_SIGNATURE');
    expect(await p.locator('.wh-inbound-table tr[data-verdict=accepted] .wh-badge').innerText()).toBe('مقبول');
    expect(await p.locator('.wh-inbound-table tr[data-verdict=accepted] .wh-event').getAttribute('dir')).toBe('ltr');
    expect(await noSidewaysScroll(p)).toBe(true);
    expect(await seriousViolations(p)).toEqual([]);
    expect(arProblems).toEqual({ csp: [], errors: [] });
    expect(problems).toEqual({ csp: [], errors: [] });
    await ar.close();
  });
});
