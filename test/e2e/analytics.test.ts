// The analytics screens end to end, in Debian's Chromium against a real `sil start`: a provider on
// a mock upstream on 127.0.0.1, a binding with one target and a client, known traffic through
// /v1/chat/completions (successes and provider errors); then the tiles, the breakdown row, drawn
// chart canvases, the comparison, the "no backup target" recommendation, the client's quota in the
// limits table, the period picker's queries, the refused and the empty period, Arabic (right to
// left, Arabic-Indic digits, the recommendation written in Arabic), a phone without sideways
// overflow, the printable report (its print media hides the console's frame) and the CSV download.
// axe-core on each screen; screenshots in docs/screenshots/. Skipped, saying so, when
// /usr/bin/chromium is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../scripts/build-console.ts';
import { fieldValue } from '../../admin/src/lib/analytics.ts';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../helpers/mock-upstream.ts';
import { startSil, type E2eHub } from './hub.ts';
import { hasChromium, launchBrowser, newContext, arabicContext, saveScreenshot, seriousViolations, type PageProblems } from './browser.ts';
import { pageApi, pageChange, setUpOwner } from './page-api.ts';

// Browser globals of the functions passed to page.evaluate (the root tsconfig has no DOM library).
declare const document: any;
declare const localStorage: { setItem(k: string, v: string): void };
declare function getComputedStyle(el: unknown): { display: string };
declare function scrollTo(x: number, y: number): void;

const PASSWORD = 'correct horse battery staple';
const OK_REQUESTS = 6;
const FAILED_REQUESTS = 2;
const ARABIC_INDIC = /[\u0660-\u0669]/;
const DAY = 86_400_000;


if (!hasChromium) console.warn('analytics e2e: skipped — /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)');

describe.skipIf(!hasChromium)('analytics screens and the printable report in Chromium (e2e)', { timeout: 90_000 }, () => {
  let hub: E2eHub;
  let upstream: MockUpstream;
  let browser: Browser;
  let context: BrowserContext;
  let problems: PageProblems;
  let page: Page;

  const api = <T = Record<string, any>>(p: Page, method: string, path: string, body?: unknown) => pageApi<T>(p, method, path, body);
  const change = (method: string, path: string, body: Record<string, unknown>, base: string) => pageChange(page, method, path, body, base);
  const chat = (token: string) =>
    fetch(`${hub.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hello' }] }),
    }).then(async (r) => ({ status: r.status, body: await r.text() }));

  async function open(p: Page, path: string): Promise<void> {
    await p.goto(`${hub.url}${path}`);
    await p.waitForSelector('body[data-session=ok]');
  }
  const tile = (p: Page, id: string) => p.locator(`[data-tile=${id}] .an-tile-value`);
  /** Whether a chart's canvas has anything drawn (a pixel that is not transparent). */
  const drawn = (p: Page, chart: string) =>
    p.locator(`[data-chart=${chart}] canvas`).first().evaluate((c: any) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data as Uint8ClampedArray;
      for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
      return false;
    });
  const noSidewaysScroll = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  async function shot(p: Page, name: string): Promise<void> {
    await p.evaluate(() => {
      document.activeElement?.blur?.();
      scrollTo(0, 0);
    });
    await saveScreenshot(p, name, { fullPage: true });
  }

  beforeAll(async () => {
    ensureConsoleBuilt({ quiet: true });
    let calls = 0;
    upstream = await startMockUpstream(() => (++calls <= OK_REQUESTS ? { status: 200, body: chatCompletion('gpt-4o-mini', 'hi') } : { status: 500, body: { error: { message: 'mock failure' } } }));
    [hub, browser] = await Promise.all([startSil(), launchBrowser()]);
    ({ context, problems } = await newContext(browser, { acceptDownloads: true }));
    page = await context.newPage();
    await setUpOwner(page, hub, PASSWORD);
    // A provider on the mock, its key, a binding with one target (no backup) and a client.
    let base = (await api(page, 'GET', '/api/providers')).body.commit as string;
    base = await change('POST', '/api/providers', { provider: { id: 'openai-main', template: 'openai', environment: 'prod', connection: { baseUrl: upstream.url } } }, base);
    base = await change('POST', '/api/providers/openai-main/keys', { secret: `sk-proj-${'a'.repeat(40)}` }, base);
    base = await change('POST', '/api/bindings', { binding: { name: 'chat', environment: 'prod', protocol: 'openai-chat', targets: [{ provider: 'openai-main', model: 'gpt-4o-mini' }] } }, base);
    base = await change('POST', '/api/policies', { policy: { name: 'web-daily', quota: { requests: 1000, period: 'day' } } }, base);
    base = await change('POST', '/api/clients', { client: { name: 'web', environment: 'prod', bindings: ['chat'], policy: 'web-daily' } }, base);
    const issued = await api(page, 'POST', '/api/clients/web/tokens', { base });
    expect(issued.status).toBe(201);
    const clientToken = issued.body.token as string;
    // The hub loads each commit within a second or so: the first answer of the proxy says it is live.
    const deadline = Date.now() + 15_000;
    let first = await chat(clientToken);
    while (first.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      first = await chat(clientToken);
    }
    expect(first.status, first.body).toBe(200);
    for (let i = 1; i < OK_REQUESTS + FAILED_REQUESTS; i++) await chat(clientToken);
    expect(upstream.received.length).toBe(OK_REQUESTS + FAILED_REQUESTS);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await upstream?.close();
  });

  it('shows the traffic: tiles, charts, breakdown, comparison and the "no backup" recommendation', async () => {
    await open(page, '/analytics');
    expect(await page.locator('.sidebar a[aria-current=page]').innerText()).toBe('Analytics');
    await expect.poll(() => tile(page, 'requests').innerText(), { timeout: 10_000 }).toBe(String(OK_REQUESTS + FAILED_REQUESTS));
    expect(await tile(page, 'success').innerText()).toBe('75%');
    expect(await page.locator('[data-tile=tokens] .an-tile-sub').innerText()).toBe(`${5 * OK_REQUESTS} in, ${3 * OK_REQUESTS} out`);
    for (const chart of ['requests', 'success', 'latency', 'cost', 'tokens']) await expect.poll(() => drawn(page, chart)).toBe(true);
    const row = page.locator('.an-table[data-by=provider] tr[data-key=openai-main]');
    await expect.poll(() => row.locator('td').first().innerText()).toBe(String(OK_REQUESTS + FAILED_REQUESTS));
    await expect.poll(() => page.locator('.an-table[data-compare=chat] tr[data-target="openai-main/gpt-4o-mini"]').count()).toBe(1);
    expect(await page.locator('[data-scatter=speed-quality] [data-point]').count()).toBe(1);
    const rec = page.locator('.an-rec[data-kind=no-backup]');
    await expect.poll(() => rec.count()).toBeGreaterThan(0);
    expect(await rec.first().locator('.an-rec-kind').innerText()).toContain('No backup target');
    expect(await rec.first().locator('a.an-rec-action').getAttribute('href')).toMatch(/^\/bindings/);
    expect(await rec.first().locator('.an-rec-title').innerText()).toBe('chat has no backup target');
    expect(await rec.first().locator('a.an-rec-action').innerText()).toBe('Add a target to chat');
    expect(await rec.first().locator('[data-evidence=requestsInPeriod] th').innerText()).toBe('Requests in the period');
    // The client's daily request quota, as the limiter counts it.
    const quota = page.locator('tr[data-limit="web-daily|quota.requests"]');
    await expect.poll(() => quota.count()).toBe(1);
    expect(await quota.locator('td').nth(0).innerText()).toBe('Client web');
    expect((await quota.locator('td').nth(2).innerText()).trim()).toMatch(/^\d+ \/ 1,000$/);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'analytics.png');
  });

  it('asks the API for the period picked, keeps it in the address bar, and says when a period has no traffic', async () => {
    await open(page, '/analytics');
    const asked = page.waitForRequest((r) => r.url().includes('/api/analytics/overview?period=1h'));
    await page.click('[data-period="1h"]');
    await asked;
    expect(new URL(page.url()).searchParams.get('period')).toBe('1h');
    expect(await page.locator('[data-period="1h"]').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => tile(page, 'requests').innerText()).toBe(String(OK_REQUESTS + FAILED_REQUESTS));

    // Custom: a from after the to is refused at the fields; a right one is asked for.
    await page.click('[data-period="custom"]');
    await page.fill('#an-from', '2030-01-02T00:00');
    await page.fill('#an-to', '2030-01-01T00:00');
    await page.getByRole('button', { name: 'Apply' }).click();
    expect(await page.locator('#an-custom-error').innerText()).toBe('The start of the period must come before its end.');
    // Older than the hub keeps: the API's refusal is shown (ApiErrorView).
    await page.fill('#an-from', '2020-01-01T00:00');
    await page.fill('#an-to', '2020-01-02T00:00');
    const custom = page.waitForRequest((r) => /\/api\/analytics\/overview\?period=custom&from=2020-01-0.T..%3A00%3A00.000Z&to=2020-01-0/.test(r.url()));
    await page.getByRole('button', { name: 'Apply' }).click();
    await custom;
    await expect.poll(() => page.locator('.an-section .api-error').first().getAttribute('data-code')).toBe('SIL_ANALYTICS_QUERY');
    // Two days ago, a day long: no traffic, and no empty charts.
    await page.fill('#an-from', fieldValue(Date.now() - 3 * DAY));
    await page.fill('#an-to', fieldValue(Date.now() - 2 * DAY));
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByTestId('an-empty').innerText()).toBe('No traffic in this period.');
    expect(await page.locator('[data-chart]').count()).toBe(0);

    // A filter narrows every part; a client without traffic shows the empty state too.
    await open(page, '/analytics?client=web');
    await expect.poll(() => tile(page, 'requests').innerText()).toBe(String(OK_REQUESTS + FAILED_REQUESTS));
    expect(await page.locator('#an-filter-client').inputValue()).toBe('web');
    const filtered = page.waitForRequest((r) => r.url().includes('/api/analytics/overview?period=24h&binding=chat&client=web'));
    await page.selectOption('#an-filter-binding', 'chat');
    await filtered;
  });

  it('lays out right to left in Arabic with Arabic-Indic digits', async () => {
    const { context: ar, problems: arProblems } = await arabicContext(browser, context);
    const p = await ar.newPage();
    await open(p, '/analytics');
    expect(await p.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    expect(await p.locator('h1').innerText()).toBe('التحليلات');
    await expect.poll(() => tile(p, 'requests').innerText()).toBe('٨');
    expect(await tile(p, 'success').innerText()).toMatch(ARABIC_INDIC);
    await expect.poll(() => drawn(p, 'requests')).toBe(true);
    // The uPlot legend's values (at the cursor) are formatted the same way.
    await p.locator('[data-chart=tokens]').scrollIntoViewIfNeeded();
    const over = (await p.locator('[data-chart=tokens] .u-over').boundingBox())!;
    await p.mouse.move(over.x + over.width - 2, over.y + over.height / 2);
    await expect.poll(() => p.locator('[data-chart=tokens] .u-legend').innerText()).toMatch(ARABIC_INDIC);
    expect(await p.locator('[data-chart=tokens] .u-legend').innerText()).toContain('الوقت');
    await p.mouse.move(0, 0);
    await expect.poll(() => p.locator('.an-rec[data-kind=no-backup] .an-rec-kind').first().innerText()).toContain('لا هدف احتياطي');
    // The recommendation itself in Arabic (from the hub's text id and figures), the binding's name as it is.
    const rec = p.locator('.an-rec[data-kind=no-backup]').first();
    expect(await rec.getAttribute('data-text')).toBe('no-backup.single');
    expect(await rec.locator('.an-rec-title').innerText()).toContain('لا يوجد هدف احتياطي للارتباط');
    expect(await rec.locator('.an-rec-title').innerText()).toContain('chat');
    expect(await rec.locator('.an-rec-title').getAttribute('lang')).toBeNull();
    expect(await rec.locator('.an-rec-detail').innerText()).toContain('openai-main');
    expect(await rec.locator('[data-evidence=requestsInPeriod] th').innerText()).toBe('الطلبات في الفترة');
    expect(await rec.locator('[data-evidence=requestsInPeriod] td').innerText()).toBe('٨');
    expect(await rec.locator('[data-evidence=targets] td').innerText()).toMatch(ARABIC_INDIC);
    expect(await rec.locator('a.an-rec-action').innerText()).toContain('إضافة هدف إلى');
    expect(await seriousViolations(p)).toEqual([]);
    await shot(p, 'analytics-ar.png');
    expect(arProblems).toEqual({ csp: [], errors: [] });
    await ar.close();
  });

  it('fits a phone (390×844): tiles wrap, tables scroll inside their frame, no sideways page scroll', async () => {
    const { context: phone, problems: phoneProblems } = await newContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.addCookies(await context.cookies());
    const p = await phone.newPage();
    await open(p, '/analytics');
    await expect.poll(() => drawn(p, 'latency')).toBe(true);
    await expect.poll(() => p.locator('.an-table[data-by=provider]').count()).toBe(1);
    expect(await noSidewaysScroll(p)).toBe(true);
    const canvasWidth = await p.locator('[data-chart=requests] canvas').first().evaluate((c: any) => c.getBoundingClientRect().width);
    expect(canvasWidth).toBeLessThanOrEqual(390);
    expect(await seriousViolations(p)).toEqual([]);
    await shot(p, 'analytics-phone.png');
    expect(phoneProblems).toEqual({ csp: [], errors: [] });
    await phone.close();
  });

  it('prints the report without the console\'s frame', async () => {
    await open(page, '/analytics?period=24h');
    await page.locator('[data-printable]').click();
    await page.waitForURL((u) => u.pathname === '/analytics/report');
    await expect.poll(() => page.locator('[data-report-by=binding] tr[data-key=chat] td').first().innerText()).toBe(String(OK_REQUESTS + FAILED_REQUESTS));
    await expect.poll(() => page.locator('.an-rec[data-kind=no-backup]').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Print / save as PDF' }).isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    const hidden = await page.evaluate(() => ['.sidebar', '.topbar', '.an-report-tools'].map((s) => getComputedStyle(document.querySelector(s)).display));
    expect(hidden).toEqual(['none', 'none', 'none']);
    await shot(page, 'report.png');
    await page.emulateMedia({ media: 'screen' });
  });

  it('downloads the period as CSV', async () => {
    await open(page, '/analytics');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-download=csv]').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('openai-main');
    expect(problems.csp).toEqual([]);
    expect(problems.errors).toEqual([]);
  });
});
