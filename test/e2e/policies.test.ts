// The policies screen end to end, in Debian's Chromium against a real `sil start`: a provider on a
// mock upstream on 127.0.0.1, a binding and a client; a policy created in the form (the browser's
// own checks first), attached to the client in the client form, traffic through the proxy and the
// counter moving on the policies screen; an edit (a commit), an edit conflict (409) with Reload,
// the refused delete while the client names it (shown in the dialog), Arabic right to left with
// Arabic-Indic digits, a phone without sideways scroll. axe-core on each screen; screenshots in
// docs/screenshots/. Skipped, saying so, when /usr/bin/chromium is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../scripts/build-console.ts';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../helpers/mock-upstream.ts';
import { startSil, type E2eHub } from './hub.ts';
import { hasChromium, launchBrowser, newContext, arabicContext, saveScreenshot, seriousViolations, type PageProblems } from './browser.ts';
import { pageApi, pageChange, setUpOwner } from './page-api.ts';

// Browser globals of the functions passed to page.evaluate (the root tsconfig has no DOM library).
declare const document: any;
declare const localStorage: { setItem(k: string, v: string): void };
declare function scrollTo(x: number, y: number): void;

const PASSWORD = 'correct horse battery staple';
const ARABIC_INDIC = /[\u0660-\u0669]/;


if (!hasChromium) console.warn('policies e2e: skipped — /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)');

describe.skipIf(!hasChromium)('policies screen in Chromium (e2e)', { timeout: 90_000 }, () => {
  let hub: E2eHub;
  let upstream: MockUpstream;
  let browser: Browser;
  let context: BrowserContext;
  let problems: PageProblems;
  let page: Page;
  let clientToken = '';
  let sent = 0;

  const api = <T = Record<string, any>>(method: string, path: string, body?: unknown) => pageApi<T>(page, method, path, body);
  const change = (method: string, path: string, body: Record<string, unknown>, base: string) => pageChange(page, method, path, body, base);
  const chat = () =>
    fetch(`${hub.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${clientToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] }),
    }).then(async (r) => ({ status: r.status, body: await r.text(), limit: r.headers.get('x-ratelimit-limit-requests') }));
  const subjects = async () => (await api<{ commits: { subject: string }[] }>('GET', '/api/history?limit=3')).body.commits.map((c) => c.subject);

  async function open(p: Page, path: string): Promise<void> {
    await p.goto(`${hub.url}${path}`);
    await p.waitForSelector('body[data-session=ok]');
  }
  const row = (p: Page) => p.locator('tr[data-policy=web-limits]');
  const counter = (p: Page, limit: string) => row(p).locator(`[data-counter="${limit}|client:web"] .po-used`);
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
    upstream = await startMockUpstream(() => ({ status: 200, body: chatCompletion('gpt-4o-mini', 'hi') }));
    [hub, browser] = await Promise.all([startSil(), launchBrowser()]);
    ({ context, problems } = await newContext(browser));
    page = await context.newPage();
    await setUpOwner(page, hub, PASSWORD);
    // A provider on the mock with a key, a binding with one target, and a client without a policy.
    let base = (await api('GET', '/api/providers')).body.commit as string;
    base = await change('POST', '/api/providers', { provider: { id: 'openai-main', template: 'openai', environment: 'prod', connection: { baseUrl: upstream.url } } }, base);
    base = await change('POST', '/api/providers/openai-main/keys', { secret: `sk-proj-${'a'.repeat(40)}` }, base);
    base = await change('POST', '/api/bindings', { binding: { name: 'chat', environment: 'prod', protocol: 'openai-chat', targets: [{ provider: 'openai-main', model: 'gpt-4o-mini' }] } }, base);
    base = await change('POST', '/api/clients', { client: { name: 'web', environment: 'prod', bindings: ['chat'] } }, base);
    const issued = await api('POST', '/api/clients/web/tokens', { base });
    expect(issued.status).toBe(201);
    clientToken = issued.body.token as string;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await upstream?.close();
  });

  it('creates a policy in the form, after the browser\'s own checks', async () => {
    await open(page, '/policies');
    expect(await page.locator('.sidebar a[aria-current=page]').innerText()).toBe('Policies');
    await expect.poll(() => page.locator('.bd-empty').innerText()).toContain('No policies yet');
    await Promise.all([page.waitForURL((u) => u.search === '?new=1'), page.getByRole('link', { name: 'New policy' }).click()]);
    await page.fill('#po-name', 'web-limits');
    await page.fill('#po-description', 'The web app');
    await page.check('#po-rate-on');
    await page.fill('#po-rate-burst', '0');
    await page.check('#po-quota-on');
    // Nothing is sent while the form itself can tell what is wrong.
    let posted = false;
    page.on('request', (r) => void (r.method() === 'POST' && r.url().endsWith('/api/policies') && (posted = true)));
    await page.getByRole('button', { name: 'Create policy' }).click();
    expect(await page.locator('#po-rate-requests-help').innerText()).toBe('The rate limit needs a whole number of requests, 1 or more.');
    expect(await page.locator('#po-rate-burst').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#po-quota-help').innerText()).toBe('A quota needs requests, tokens or both.');
    expect(posted).toBe(false);
    await page.fill('#po-rate-requests', '60');
    await page.fill('#po-rate-burst', '10');
    await page.fill('#po-quota-requests', '1000');
    await page.selectOption('#po-quota-period', 'day');
    await page.check('#po-budget-on');
    await page.fill('#po-budget-amount', '50');
    await page.selectOption('#po-budget-onExceeded', 'block');
    await page.fill('#po-budget-alertAt', '80, 50');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create policy' }).click();
    await expect.poll(() => page.locator('.notice-ok').innerText()).toMatch(/^Saved in commit [0-9a-f]{7}\.$/);
    expect(new URL(page.url()).search).toBe('?name=web-limits');
    expect((await api('GET', '/api/policies/web-limits')).body.policy).toEqual({
      name: 'web-limits',
      description: 'The web app',
      rateLimit: { requests: 60, per: 'minute', burst: 10 },
      quota: { requests: 1000, period: 'day' },
      budget: { amount: 50, period: 'month', onExceeded: 'block', alertAtPercent: [50, 80] },
    });
    expect((await subjects())[0]).toBe('policies: add web-limits');
  });

  it('attaches it to the client in the client form', async () => {
    await open(page, '/clients?name=web');
    await expect.poll(() => page.locator('#cl-policy option', { hasText: 'web-limits' }).count()).toBe(1);
    await page.selectOption('#cl-policy', 'web-limits');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await api('GET', '/api/clients/web')).body.client.policy).toBe('web-limits');
  });

  it('shows where it is attached and its live use, which moves with the traffic', async () => {
    // The hub loads each commit within a second or so: the proxy's rate headers say the policy is live.
    const deadline = Date.now() + 15_000;
    let r = await chat();
    while ((r.status !== 200 || r.limit === null) && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 200));
      r = await chat();
    }
    expect(r.status, r.body).toBe(200);
    for (let i = 0; i < 2; i++) expect((await chat()).status).toBe(200);
    const counted = async () => (await api<{ limits: { policy: string; limit: string; used: number }[] }>('GET', '/api/limits')).body.limits.find((l) => l.policy === 'web-limits' && l.limit === 'quota.requests')?.used ?? 0;
    sent = await counted();
    expect(sent).toBeGreaterThanOrEqual(3);

    await open(page, '/policies');
    await expect.poll(() => row(page).count()).toBe(1);
    expect(await row(page).locator('.po-summary').innerText()).toBe('60 requests / minute, burst 10 · 1,000 requests / day · 50 USD / month, blocks (alerts at 50, 80 %)');
    expect(await row(page).locator('[data-attached]').evaluateAll((els) => els.map((e: any) => e.getAttribute('data-attached')))).toEqual(['client:web']);
    await expect.poll(() => counter(page, 'quota.requests').innerText()).toBe(`${sent} / 1,000`);
    expect(await counter(page, 'rate').innerText()).toMatch(/^\d+ \/ 10$/);
    expect(await row(page).locator('[data-counter="quota.requests|client:web"] .po-when').innerText()).toMatch(/^resets /);
    expect(await row(page).locator('[data-counter="quota.requests|client:web"] meter').getAttribute('value')).toBe(String(sent));
    // Two more requests; Refresh reads the counters again.
    for (let i = 0; i < 2; i++) expect((await chat()).status).toBe(200);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => counter(page, 'quota.requests').innerText()).toBe(`${sent + 2} / 1,000`);
    sent += 2;
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'policies.png');
  });

  it('edits it (a new commit), and offers Reload when the config changed under the edit', async () => {
    await open(page, '/policies?name=web-limits');
    await expect.poll(() => page.locator('#po-quota-requests').inputValue()).toBe('1000');
    await page.fill('#po-quota-requests', '2000');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.notice-ok').innerText()).toMatch(/^Saved in commit [0-9a-f]{7}\.$/);
    expect((await subjects())[0]).toBe('policies: update web-limits');
    expect((await api('GET', '/api/policies/web-limits')).body.policy.quota).toEqual({ requests: 2000, period: 'day' });

    // Someone else changes the policy; this page's save is refused with 409 and a Reload.
    const head = (await api('GET', '/api/policies')).body.commit as string;
    await change('PATCH', '/api/policies/web-limits', { policy: { description: 'The web app, edited elsewhere' } }, head);
    await page.fill('#po-description', 'Mine');
    await page.getByRole('button', { name: 'Save' }).click();
    const conflict = page.locator('.api-error[data-code=SIL_GIT_CONFLICT]');
    await expect.poll(() => conflict.count()).toBe(1);
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => page.locator('#po-description').inputValue()).toBe('The web app, edited elsewhere');

    await open(page, '/policies');
    await expect.poll(() => row(page).locator('.po-summary').innerText()).toContain('2,000 requests / day');
  });

  it('asks before deleting, and shows the hub\'s refusal while the client names it', async () => {
    await open(page, '/policies?name=web-limits');
    await page.getByRole('button', { name: 'Delete policy' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.locator('h2').innerText()).toBe('Delete policy web-limits?');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    const refusal = dialog.locator('.api-error');
    await expect.poll(() => refusal.count()).toBe(1);
    expect(await refusal.innerText()).toContain('policy "web-limits" does not exist');
    expect(await refusal.innerText()).toContain('clients/web.yaml');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api('GET', '/api/policies/web-limits')).status).toBe(200);
  });

  it('attaches it to a provider on the provider\'s page, and shows that attachment', async () => {
    await open(page, '/providers/view?id=openai-main');
    await expect.poll(() => page.locator('#pv-policy option', { hasText: 'web-limits' }).count()).toBe(1);
    await page.selectOption('#pv-policy', 'web-limits');
    await page.locator('section[aria-labelledby=pv-policy-title]').getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await api('GET', '/api/providers/openai-main')).body.provider.policy).toBe('web-limits');
    expect(await seriousViolations(page)).toEqual([]);
    await open(page, '/policies');
    await expect.poll(() => row(page).locator('[data-attached]').evaluateAll((els) => els.map((e: any) => e.getAttribute('data-attached')))).toEqual(['client:web', 'provider:openai-main']);
    // Taken off again: the provider's file no longer names it.
    await open(page, '/providers/view?id=openai-main');
    await expect.poll(() => page.locator('#pv-policy').inputValue()).toBe('web-limits');
    await page.selectOption('#pv-policy', '');
    await page.locator('section[aria-labelledby=pv-policy-title]').getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await api('GET', '/api/providers/openai-main')).body.provider.policy).toBeUndefined();
  });

  it('lays out right to left in Arabic with Arabic-Indic digits, and fits a phone', async () => {
    const { context: ar, problems: arProblems } = await arabicContext(browser, context);
    const p = await ar.newPage();
    await open(p, '/policies');
    expect(await p.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    expect(await p.locator('h1').innerText()).toBe('السياسات');
    await expect.poll(() => row(p).count()).toBe(1);
    expect(await row(p).locator('.po-summary').innerText()).toContain('٦٠ طلب / دقيقة');
    await expect.poll(() => counter(p, 'quota.requests').innerText()).toMatch(ARABIC_INDIC);
    expect(await row(p).locator('[data-counter="quota.requests|client:web"] .po-when').innerText()).toMatch(ARABIC_INDIC);
    expect(await seriousViolations(p)).toEqual([]);
    await shot(p, 'policies-ar.png');
    // A phone (390×844): the table turns into one block per policy, the page never scrolls sideways.
    await p.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => noSidewaysScroll(p)).toBe(true);
    expect(await counter(p, 'quota.requests').isVisible()).toBe(true);
    await open(p, '/policies?name=web-limits');
    await expect.poll(() => p.locator('#po-quota-requests').inputValue()).toBe('2000');
    expect(await noSidewaysScroll(p)).toBe(true);
    expect(arProblems).toEqual({ csp: [], errors: [] });
    expect(problems).toEqual({ csp: [], errors: [] });
    await ar.close();
  });
});
