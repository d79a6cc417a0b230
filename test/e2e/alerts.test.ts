// The notification centre end to end, in Debian's Chromium against a real `sil start`
// (SIL_ALERTS_EVALUATE_MS=500 so rules are evaluated twice a second): a provider on a mock that
// answers 500, a key that expires in 5 days, a policy alerting at a 50 % error rate on the
// binding; failing traffic → a critical policy alert and a warning key-expiring alert; the top
// bar's count, the list with filters, acknowledge (the count follows), silence for 1 h and lift
// it, a custom end time refused in the past; Arabic right to left; a phone without sideways
// scroll. axe-core on each view; screenshots docs/screenshots/alerts.png and alerts-ar.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../scripts/build-console.ts';
import { startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.ts';
import { startSil, type E2eHub } from './hub.ts';
import { hasChromium, launchBrowser, newContext, arabicContext, saveScreenshot, seriousViolations, type PageProblems } from './browser.ts';
import { pageApi, pageChange, setUpOwner } from './page-api.ts';

declare const document: any;
declare function scrollTo(x: number, y: number): void;

const PASSWORD = 'correct horse battery staple';
const RULE = 'policy:watch/error-rate>=0.5';
const KEY_ALERT = 'key-expiring:openai-main/primary';


if (!hasChromium) console.warn('alerts e2e: skipped — /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)');

describe.skipIf(!hasChromium)('notification centre in Chromium (e2e)', { timeout: 90_000 }, () => {
  let hub: E2eHub;
  let upstream: MockUpstream;
  let browser: Browser;
  let context: BrowserContext;
  let problems: PageProblems;
  let page: Page;
  let clientToken = '';

  const api = <T = Record<string, any>>(method: string, path: string, body?: unknown) => pageApi<T>(page, method, path, body);
  const change = (method: string, path: string, body: Record<string, unknown>, base: string) => pageChange(page, method, path, body, base);
  const chat = () => fetch(`${hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${clientToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hello' }] }) }).then((r) => r.text());
  async function open(p: Page, path: string): Promise<void> {
    await p.goto(`${hub.url}${path}`);
    await p.waitForSelector('body[data-session=ok]');
  }
  const card = (p: Page, id: string) => p.locator(`li[data-alert-id="${id}"]`);
  const badge = (p: Page) => p.getByTestId('alert-badge');
  const noSidewaysScroll = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  async function shot(p: Page, name: string): Promise<void> {
    await p.evaluate(() => {
      document.activeElement?.blur?.();
      scrollTo(0, 0);
    });
    // Times differ from run to run.
    await saveScreenshot(p, name, { fullPage: true, mask: [p.locator('.al-meta'), p.getByTestId('al-updated')] });
  }

  beforeAll(async () => {
    ensureConsoleBuilt({ quiet: true });
    upstream = await startMockUpstream(() => ({ status: 500, body: { error: { message: 'the provider is broken' } } }));
    const before = process.env.SIL_ALERTS_EVALUATE_MS;
    process.env.SIL_ALERTS_EVALUATE_MS = '500';
    try {
      [hub, browser] = await Promise.all([startSil(), launchBrowser()]);
    } finally {
      if (before === undefined) delete process.env.SIL_ALERTS_EVALUATE_MS;
      else process.env.SIL_ALERTS_EVALUATE_MS = before;
    }
    ({ context, problems } = await newContext(browser));
    page = await context.newPage();
    await setUpOwner(page, hub, PASSWORD);
    let base = (await api('GET', '/api/providers')).body.commit as string;
    base = await change('POST', '/api/providers', { provider: { id: 'openai-main', template: 'openai', environment: 'prod', connection: { baseUrl: upstream.url } } }, base);
    const expires = new Date(Date.now() + 5 * 86_400_000 + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    base = await change('POST', '/api/providers/openai-main/keys', { secret: `sk-proj-${'a'.repeat(40)}`, expires }, base);
    base = await change('POST', '/api/policies', { policy: { name: 'watch', alerts: [{ metric: 'error-rate', threshold: 0.5, windowMinutes: 5, severity: 'critical' }] } }, base);
    base = await change('POST', '/api/bindings', { binding: { name: 'chat', environment: 'prod', protocol: 'openai-chat', policy: 'watch', targets: [{ provider: 'openai-main', model: 'gpt-4o-mini' }] } }, base);
    base = await change('POST', '/api/clients', { client: { name: 'web', environment: 'prod', bindings: ['chat'] } }, base);
    const issued = await api('POST', '/api/clients/web/tokens', { base });
    expect(issued.status).toBe(201);
    clientToken = issued.body.token as string;
    for (let i = 0; i < 6; i++) await chat();
    // Rules are evaluated every 500 ms: both alerts within a few seconds (bounded wait).
    let firing: string[] = [];
    for (let i = 0; i < 100 && firing.length < 2; i++) {
      firing = (await api<{ alerts: { id: string }[] }>('GET', '/api/alerts?state=firing')).body.alerts.map((a) => a.id).filter((id) => id === RULE || id === KEY_ALERT);
      if (firing.length < 2) await new Promise((r) => setTimeout(r, 200));
    }
    expect(firing.sort()).toEqual([KEY_ALERT, RULE]);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await upstream?.close();
  });

  it('shows the unread count in the top bar and lists firing alerts, most severe first', async () => {
    await open(page, '/alerts');
    expect(await page.locator('.sidebar a[aria-current=page]').innerText()).toBe('Alerts');
    const unread = (await api<{ unread: number }>('GET', '/api/alerts/unread')).body.unread;
    expect(unread).toBeGreaterThanOrEqual(2);
    await expect.poll(() => badge(page).getAttribute('data-unread')).toBe(String(unread));
    expect(await badge(page).getAttribute('aria-label')).toBe(`Alerts: ${unread} unread`);
    await expect.poll(() => card(page, RULE).count()).toBe(1);
    expect(await card(page, RULE).locator('h3').innerText()).toBe('watch: error rate at 100% (alerts at 50%)');
    expect(await card(page, RULE).locator('.al-sev').innerText()).toContain('Critical');
    expect(await card(page, KEY_ALERT).locator('h3').innerText()).toMatch(/^openai-main\/primary: the key expires \w+ \d+, \d{4}$/);
    const order = await page.locator('li[data-alert-id]').evaluateAll((els) => els.map((e: any) => e.getAttribute('data-alert-id')));
    expect(order.indexOf(RULE)).toBeLessThan(order.indexOf(KEY_ALERT));
    // the filters
    await page.selectOption('[data-testid=al-filter-kind]', 'key-expiring');
    await expect.poll(() => page.locator('li[data-alert-id]').count()).toBe(1);
    expect(page.url()).toContain('kind=key-expiring');
    await page.selectOption('[data-testid=al-filter-kind]', '');
    await page.selectOption('[data-testid=al-filter-state]', 'resolved');
    await expect.poll(() => page.locator('.bd-empty').innerText()).toBe('No alerts match these filters.');
    await page.selectOption('[data-testid=al-filter-state]', '');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'alerts.png');
  });

  it('acknowledges an alert: the count in the top bar follows at once', async () => {
    await open(page, '/alerts');
    const before = Number(await badge(page).getAttribute('data-unread'));
    await card(page, RULE).getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => card(page, RULE).getByTestId('al-acked').count()).toBe(1);
    await expect.poll(() => badge(page).getAttribute('data-unread')).toBe(String(before - 1));
    expect(await card(page, RULE).getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect((await api<{ alerts: { id: string; acknowledgedAt?: number }[] }>('GET', '/api/alerts')).body.alerts.find((a) => a.id === RULE)?.acknowledgedAt).toBeTypeOf('number');
  });

  it('silences for an hour, refuses a custom time in the past, lifts the silence', async () => {
    await open(page, '/alerts');
    const c = card(page, KEY_ALERT);
    await c.getByRole('button', { name: 'Until…' }).click();
    await c.locator('input[type=datetime-local]').fill('2020-01-01T10:00');
    await c.getByRole('button', { name: 'Silence', exact: true }).click();
    expect(await c.locator('.al-invalid').innerText()).toBe('Pick a time in the future, at most 90 days ahead.');
    await c.getByRole('button', { name: 'Cancel' }).click();
    const at = Date.now();
    await c.getByRole('button', { name: '1 hour' }).click();
    await expect.poll(() => c.getByTestId('al-silenced').count()).toBe(1);
    const silenced = (await api<{ alerts: { id: string; silencedUntil?: number }[] }>('GET', '/api/alerts')).body.alerts.find((a) => a.id === KEY_ALERT)?.silencedUntil ?? 0;
    expect(silenced - at).toBeGreaterThan(3_590_000);
    expect(silenced - at).toBeLessThan(3_700_000);
    await c.getByRole('button', { name: 'Lift silence' }).click();
    await expect.poll(() => c.getByTestId('al-silenced').count()).toBe(0);
    expect((await api<{ silences: unknown[] }>('GET', '/api/alerts')).body.silences).toEqual([]);
  });

  it('lays out right to left in Arabic, and fits a phone', async () => {
    const { context: ar, problems: arProblems } = await arabicContext(browser, context);
    const p = await ar.newPage();
    await open(p, '/alerts');
    expect(await p.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    expect(await p.locator('h1').innerText()).toBe('التنبيهات');
    await expect.poll(() => card(p, RULE).count()).toBe(1);
    expect(await card(p, RULE).locator('h3').innerText()).toContain('نسبة الأخطاء');
    expect(await card(p, RULE).locator('.al-sev').innerText()).toContain('حرج');
    // The hub's English detail stays left to right inside the Arabic page.
    expect(await card(p, RULE).locator('.al-detail').evaluate((e: any) => (globalThis as any).getComputedStyle(e).direction)).toBe('ltr');
    expect(await badge(p).getAttribute('aria-label')).toMatch(/^التنبيهات: /);
    expect(await p.locator('.sidebar a[aria-current=page]').innerText()).toBe('التنبيهات');
    expect(await seriousViolations(p)).toEqual([]);
    await shot(p, 'alerts-ar.png');
    await p.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => noSidewaysScroll(p)).toBe(true);
    expect(await badge(p).isVisible()).toBe(true);
    expect(arProblems).toEqual({ csp: [], errors: [] });
    expect(problems).toEqual({ csp: [], errors: [] });
    await ar.close();
  });
});
