// The health views end to end, in Debian's Chromium against a real `sil start` probing every
// 500 ms (SIL_HEALTH_INTERVAL_MS): two providers on mocks on 127.0.0.1, one whose health endpoint
// fails; the cards show Active and Error from the monitor, the status filter narrows to the
// failing one, and its details page shows the reason, uptime and status changes, live. axe-core;
// docs/screenshots/health.png and health-list.png. Skipped when /usr/bin/chromium is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../scripts/build-console.ts';
import { startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.ts';
import { startSil, type E2eHub } from './hub.ts';
import { hasChromium, launchBrowser, newContext, saveScreenshot, seriousViolations, type PageProblems } from './browser.ts';
import { pageApi, pageChange, setUpOwner } from './page-api.ts';

declare const document: any;
declare function scrollTo(x: number, y: number): void;

const PASSWORD = 'correct horse battery staple';
const poll = <T,>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout });

if (!hasChromium) console.warn('health e2e: skipped — /usr/bin/chromium is missing (apt-get install chromium)');

describe.skipIf(!hasChromium)('health views in Chromium (e2e)', { timeout: 120_000 }, () => {
  let hub: E2eHub;
  let good: MockUpstream;
  let bad: MockUpstream;
  let browser: Browser;
  let context: BrowserContext;
  let problems: PageProblems;
  let page: Page;
  let badDown = false;
  const previous = { interval: process.env.SIL_HEALTH_INTERVAL_MS, probes: process.env.SIL_HEALTH_PROBES };

  const api = <T = Record<string, any>>(method: string, path: string, body?: unknown) => pageApi<T>(page, method, path, body);
  const change = (method: string, path: string, body: Record<string, unknown>, base: string) => pageChange(page, method, path, body, base);
  async function open(p: Page, path: string): Promise<void> {
    await p.goto(`${hub.url}${path}`);
    await p.waitForSelector('body[data-session=ok]');
  }
  const badge = (id: string) => page.locator(`article[aria-labelledby="pv-c-${id}"] .pv-badge`);

  beforeAll(async () => {
    ensureConsoleBuilt({ quiet: true });
    good = await startMockUpstream(() => ({ status: 200, body: { data: [] } }));
    bad = await startMockUpstream(() => (badDown ? { status: 503, body: { error: { message: 'maintenance' } } } : { status: 200, body: { data: [] } }));
    // The child `sil start` inherits these (the test suite turns probes off by default).
    process.env.SIL_HEALTH_INTERVAL_MS = '500';
    process.env.SIL_HEALTH_PROBES = 'on';
    try {
      [hub, browser] = await Promise.all([startSil(), launchBrowser()]);
    } finally {
      for (const [name, value] of [['SIL_HEALTH_INTERVAL_MS', previous.interval], ['SIL_HEALTH_PROBES', previous.probes]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    ({ context, problems } = await newContext(browser));
    page = await context.newPage();
    await setUpOwner(page, hub, PASSWORD);
    let base = (await api('GET', '/api/providers')).body.commit as string;
    for (const [id, mock] of [['openai-main', good], ['openai-backup', bad]] as const) {
      base = await change('POST', '/api/providers', { provider: { id, name: id, template: 'openai', environment: 'prod', connection: { baseUrl: mock.url } } }, base);
      base = await change('POST', `/api/providers/${id}/keys`, { secret: `sk-proj-${'e'.repeat(40)}` }, base);
    }
    // Some good history first, then the backup's health endpoint fails.
    for (let i = 0; i < 150 && !(await api('GET', '/api/health/openai-backup')).body.health?.lastProbe?.ok; i++) await new Promise((r) => setTimeout(r, 100));
    badDown = true;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await good?.close();
    await bad?.close();
  });

  it('cards show the live status; the status filter uses it', async () => {
    await open(page, '/');
    await poll(() => badge('openai-backup').getAttribute('data-status')).toBe('error');
    expect(await badge('openai-main').getAttribute('data-status')).toBe('active');
    expect(await badge('openai-backup').innerText()).toContain('Error');
    expect(await page.locator('article[aria-labelledby="pv-c-openai-backup"] .pv-health-reason').innerText()).toMatch(/probes failed: status 503/);
    await page.locator('.pv-seg-error').click();
    await poll(() => page.locator('article.pv-card').count()).toBe(1);
    expect(await page.locator('.pv-seg-error .pv-count').innerText()).toBe('1');
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('.pv-seg-all').click();
    await page.evaluate(() => scrollTo(0, 0));
    await saveScreenshot(page, 'health-list.png');
  });

  it('the details page shows the reason, uptime and status changes, and follows a recovery live', async () => {
    await open(page, '/providers/view?id=openai-backup');
    const live = page.locator('[data-testid=pv-health-live]');
    await poll(() => live.innerText()).toMatch(/probes failed: status 503/);
    const uptime = await page.locator('[data-testid=pv-uptime]').innerText();
    expect(uptime).toMatch(/\d+(\.\d+)? %/);
    expect(uptime).toContain('last 24 hours');
    await poll(() => page.locator('[data-testid=pv-transitions]').innerText()).toMatch(/Degraded → Error/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.evaluate(() => {
      document.activeElement?.blur?.();
      scrollTo(0, 0);
    });
    await saveScreenshot(page, 'health.png', { fullPage: true });
    badDown = false;
    await poll(() => page.locator('#pv-health-title + p .pv-badge').getAttribute('data-status')).toBe('active');
    await poll(() => page.locator('[data-testid=pv-transitions]').innerText()).toMatch(/Error → Active/);
    expect(problems).toEqual({ csp: [], errors: [] });
  });
});
