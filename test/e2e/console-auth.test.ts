// The console end to end, in Debian's Chromium against a real `sil start`: first-run setup from
// the printed link with TOTP enrolment, logout, login (wrong code, throttling, right code),
// Arabic right-to-left, a phone-sized screen, an expired session, accessibility (axe-core), the
// CSP (no violations on any page), the JavaScript budget of the first load, and the screenshots
// in docs/screenshots/. Skipped, saying so, when /usr/bin/chromium is missing (CI installs it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { totpCode, totpStep } from '../../server/api/owner/totp.ts';
import { ensureConsoleBuilt } from '../../scripts/build-console.ts';
import { startSil, type E2eHub } from './hub.ts';
import { hasChromium, launchBrowser, newContext, saveScreenshot, seriousViolations, type PageProblems } from './browser.ts';

// Browser globals of the functions passed to page.evaluate (the root tsconfig has no DOM library).
declare const document: { documentElement: { lang: string; dir: string; dataset: Record<string, string | undefined>; scrollWidth: number }; body: object; dispatchEvent(e: unknown): boolean };
declare const localStorage: { getItem(key: string): string | null };
declare const location: { href: string };
declare function getComputedStyle(el: object): { backgroundColor: string; getPropertyValue(name: string): string };
declare class Event {
  constructor(type: string);
}
interface ImageElement {
  complete: boolean;
  naturalWidth: number;
}

const PASSWORD = 'correct horse battery staple';
const AR_CENTER = 'مركز تكامل مزودي الخدمات';

if (!hasChromium) console.warn('console e2e: skipped — /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)');

describe.skipIf(!hasChromium)('console in Chromium (e2e)', { timeout: 60_000 }, () => {
  let hub: E2eHub;
  let browser: Browser;
  let owner: { context: BrowserContext; problems: PageProblems };
  let page: Page;
  let secret = '';
  const problems: PageProblems[] = [];
  /** TOTP steps already used (each code works once): the next login takes a later one. */
  let lastStep = -1;

  /** A code the hub accepts now and has not seen: the current step or the next (drift window). */
  function freshCode(): string {
    const now = Date.now();
    const step = Math.max(totpStep(now), lastStep + 1);
    if (step > totpStep(now) + 1) throw new Error('no unused TOTP step in the window; wait 30 s');
    lastStep = step;
    return totpCode(secret, step * 30_000);
  }

  /** A six-digit code that is none of the codes the hub would accept now. */
  function wrongCode(): string {
    const now = Date.now();
    const valid = new Set([-1, 0, 1, 2].map((d) => totpCode(secret, now + d * 30_000)));
    for (let n = 123456; ; n = (n + 111111) % 1_000_000) if (!valid.has(String(n).padStart(6, '0'))) return String(n).padStart(6, '0');
  }

  async function context(options = {}) {
    const c = await newContext(browser, options);
    problems.push(c.problems);
    return c;
  }

  beforeAll(async () => {
    ensureConsoleBuilt({ quiet: true });
    [hub, browser] = await Promise.all([startSil(), launchBrowser()]);
    owner = await context();
    page = await owner.context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('sets up the owner from the printed link: password, TOTP enrolment with a QR code, lands on /', async () => {
    expect(hub.setupLink).toMatch(/\/setup#[A-Za-z0-9_-]{43}$/);
    // Before setup, console pages and the login page point to the printed link.
    await page.goto(`${hub.url}/settings`);
    await page.waitForSelector('body[data-session=setup-needed]');
    expect(await page.locator('#main .notice').innerText()).toContain('`sil start`');
    await page.goto(`${hub.url}/setup`);
    await expect.poll(() => page.locator('.notice').innerText()).toContain('This page needs the one-time link');
    await page.goto(hub.setupLink);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Set up the owner account');
    await page.fill('#setup-password', PASSWORD);
    await page.fill('#setup-confirm', `${PASSWORD}!`);
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('#setup-problem').innerText()).toBe('The two passwords differ.');
    await page.fill('#setup-confirm', PASSWORD);
    await page.click('button[type=submit]');
    const secretEl = page.getByTestId('totp-secret');
    await secretEl.waitFor();
    secret = (await secretEl.innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const qr = page.locator('img.setup-qr');
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(await qr.evaluate((img) => (img as unknown as ImageElement).complete && (img as unknown as ImageElement).naturalWidth > 0)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreenshot(page, 'setup.png', { mask: [qr, secretEl] });
    await page.fill('#setup-code', freshCode());
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('button[type=submit]')]);
    const session = await page.evaluate(() => fetch('/api/session').then((r) => r.json() as Promise<{ authenticated: boolean; setupNeeded: boolean }>));
    expect(session).toMatchObject({ authenticated: true, setupNeeded: false });
  });

  it('shows the console layout with the sidebar entry and logs out', async () => {
    await page.goto(`${hub.url}/settings`);
    await page.waitForSelector('body[data-session=ok]');
    const center = page.locator('#sidebar a.nav-center');
    await expect.poll(() => center.innerText()).toContain('Service Providers Integration Center');
    expect(await center.getAttribute('href')).toBe('/');
    expect(await page.locator('#sidebar a[aria-current=page]').innerText()).toBe('Settings');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim().toLowerCase())).toBe('#6366f1');
    expect(await seriousViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.click('#logout')]);
    await expect.poll(() => page.locator('.notice').innerText()).toBe('You are signed out.');
    const session = await page.evaluate(() => fetch('/api/session').then((r) => r.json() as Promise<{ authenticated: boolean; setupNeeded: boolean }>));
    expect(session.authenticated).toBe(false);
  });

  it('sends a console page without a session to the login page, and back after login', async () => {
    await page.goto(`${hub.url}/history`);
    await page.waitForURL((u) => u.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/history');
    await page.locator('#login-password').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreenshot(page, 'login.png');
    await page.fill('#login-password', PASSWORD);
    await page.fill('#login-code', wrongCode());
    await page.click('button[type=submit]');
    const alert = page.locator('.api-error');
    await expect.poll(() => alert.innerText()).toContain('Wrong password or authenticator code.');
    expect(await alert.getAttribute('data-code')).toBe('SIL_LOGIN_FAILED');
    await page.fill('#login-code', freshCode());
    await Promise.all([page.waitForURL((u) => u.pathname === '/history'), page.click('button[type=submit]')]);
    await page.waitForSelector('body[data-session=ok]');
  });

  it('switches to Arabic: right-to-left, the Arabic sidebar entry, no flash after reload', async () => {
    await page.goto(`${hub.url}/bindings`);
    await page.waitForSelector('body[data-session=ok]');
    await Promise.all([page.waitForEvent('load'), page.click('[data-set-lang=ar]')]);
    await page.waitForSelector('body[data-session=ok]');
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    expect(await page.locator('#sidebar a.nav-center').innerText()).toContain(AR_CENTER);
    expect(await page.locator('h1').innerText()).toBe('الارتباطات');
    expect(await page.title()).toBe('الارتباطات · sil');
    // The sidebar is on the right in RTL.
    const box = (await page.locator('#sidebar').boundingBox())!;
    expect(box.x).toBeGreaterThan(600);
    // Applied before the first paint: the HTML says ltr, the head script turns it before <body>.
    const dirAtBody = await page.evaluate(async () => {
      const html = await (await fetch(location.href)).text();
      return /<html lang="en" dir="ltr">/.test(html) && document.documentElement.dir;
    });
    expect(dirAtBody).toBe('rtl');
    expect(await seriousViolations(page)).toEqual([]);
    await Promise.all([page.waitForEvent('load'), page.click('[data-set-lang=en]')]);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
  });

  it('shows the login page in Arabic (fresh browser)', async () => {
    const { context: c } = await context();
    const p = await c.newPage();
    await p.goto(`${hub.url}/login`);
    await p.locator('#login-password').waitFor();
    await Promise.all([p.waitForEvent('load'), p.click('[data-set-lang=ar]')]);
    await p.locator('#login-password').waitFor();
    expect(await p.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await p.locator('h1').innerText()).toBe('تسجيل الدخول');
    expect(await p.locator('label[for=login-code]').innerText()).toBe('رمز المصادقة');
    expect(await seriousViolations(p)).toEqual([]);
    await saveScreenshot(p, 'login-ar.png');
    await c.close();
  });

  it('fits a phone (390×844): the sidebar folds behind the menu button', async () => {
    const p = await owner.context.newPage();
    await p.setViewportSize({ width: 390, height: 844 });
    await p.goto(`${hub.url}/clients`);
    await p.waitForSelector('body[data-session=ok]');
    const menu = p.locator('.menu-button');
    expect(await menu.isVisible()).toBe(true);
    expect(await p.locator('#sidebar').isVisible()).toBe(false);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect((await p.locator('.topbar').boundingBox())!.height).toBeLessThan(64);
    await saveScreenshot(p, 'phone.png');
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    expect(await p.locator('#sidebar a.nav-center').isVisible()).toBe(true);
    expect(await seriousViolations(p)).toEqual([]);
    await saveScreenshot(p, 'phone-menu.png');
    await p.keyboard.press('Escape');
    expect(await p.locator('#sidebar').isVisible()).toBe(false);
    // Arabic is wider: the top bar still fits on one line.
    await Promise.all([p.waitForEvent('load'), p.click('[data-set-lang=ar]')]);
    await p.waitForSelector('body[data-session=ok]');
    expect((await p.locator('.topbar').boundingBox())!.height).toBeLessThan(64);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await Promise.all([p.waitForEvent('load'), p.click('[data-set-lang=en]')]);
    await p.close();
  });

  it('switches the theme to dark and back without a reload', async () => {
    await page.goto(`${hub.url}/settings`);
    await page.waitForSelector('body[data-session=ok]');
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await bg();
    await page.click('[data-set-theme=dark]');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await bg()).not.toBe(light);
    await page.reload();
    expect(await page.evaluate(() => [document.documentElement.dataset.theme, localStorage.getItem('sil.theme')])).toEqual(['dark', 'dark']);
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('[data-set-theme=system]');
    expect(await bg()).toBe(light);
  });

  it('follows a dark system theme unless the owner picked light', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    try {
      await page.goto(`${hub.url}/settings`);
      await page.waitForSelector('body[data-session=ok]');
      const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(await bg()).toBe('rgb(15, 16, 32)'); // --bg, dark
      await page.click('[data-set-theme=light]');
      expect(await bg()).toBe('rgb(247, 247, 251)'); // --bg, light
      await page.click('[data-set-theme=dark]');
      expect(await bg()).toBe('rgb(15, 16, 32)');
    } finally {
      await page.click('[data-set-theme=system]');
      await page.emulateMedia({ colorScheme: 'light' });
    }
  });

  it('shows the wait time when logins are throttled (429)', async () => {
    const { context: c } = await context();
    const p = await c.newPage();
    await p.goto(`${hub.url}/login`);
    await p.locator('#login-password').waitFor();
    const alert = p.locator('.api-error');
    let code = '';
    // From the 2nd failure on, the next attempt must wait (1 s, 2 s, ...); at most 4 failures
    // here, below the lockout at the 5th.
    for (let attempt = 0; attempt < 4 && code !== 'SIL_LOGIN_THROTTLED'; attempt++) {
      await p.fill('#login-password', 'not the password');
      await p.fill('#login-code', '000000');
      await p.click('button[type=submit]');
      await alert.waitFor();
      await expect.poll(() => p.locator('button[type=submit]').isEnabled()).toBe(true);
      code = (await alert.getAttribute('data-code')) ?? '';
    }
    expect(code).toBe('SIL_LOGIN_THROTTLED');
    expect(await alert.innerText()).toMatch(/Too many attempts in a short time\. Wait \d+ seconds and try again\./);
    await c.close();
  });

  it('loads the first page with less than 150 KB of compressed JavaScript', async () => {
    // A cold browser cache each time: the login page, and the main screen with the owner's session.
    const measure = async (path: string, storageState?: Awaited<ReturnType<BrowserContext['storageState']>>) => {
      const { context: c } = await context(storageState ? { storageState } : {});
      const p = await c.newPage();
      const sizes: Promise<number>[] = [];
      p.on('requestfinished', (r) => {
        if (r.resourceType() === 'script') sizes.push(r.sizes().then((s) => s.responseBodySize));
      });
      await p.goto(`${hub.url}${path}`, { waitUntil: 'networkidle' });
      const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
      await c.close();
      console.log(`console e2e: first load of ${path}: ${sizes.length} scripts, ${(bytes / 1024).toFixed(1)} KB of compressed JavaScript`);
      return { count: sizes.length, bytes };
    };
    const login = await measure('/login');
    const main = await measure('/', await owner.context.storageState());
    expect(login.count).toBeGreaterThan(0);
    expect(login.bytes).toBeLessThan(150 * 1024);
    expect(main.bytes).toBeLessThan(150 * 1024);
  });

  it('ends on the login page with a notice when the session expired', async () => {
    await page.goto(`${hub.url}/settings`);
    await page.waitForSelector('body[data-session=ok]');
    await owner.context.clearCookies();
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/login'),
      page.evaluate(() => document.dispatchEvent(new Event('visibilitychange'))),
    ]);
    const url = new URL(page.url());
    expect([url.searchParams.get('next'), url.searchParams.get('expired')]).toEqual(['/settings', '1']);
    await expect.poll(() => page.locator('.notice').innerText()).toBe('Your session ended. Sign in again to continue.');
  });

  it('saw no CSP violation and no script error on any page', () => {
    expect(problems.flatMap((p) => p.csp)).toEqual([]);
    expect(problems.flatMap((p) => p.errors)).toEqual([]);
  });
});
