// Debian's Chromium driven by playwright-core, for the console's end-to-end tests; plus what the
// tests check on every page: CSP violations and script errors, axe-core, screenshots.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';

// What the functions passed to page.evaluate / addInitScript use: they run in the browser, and the
// root tsconfig has no DOM library (these declarations stay inside this module).
declare const document: { addEventListener(type: 'securitypolicyviolation', fn: (e: { violatedDirective: string; blockedURI: string; sourceFile: string; lineNumber: number; sample: string }) => void): void };
declare const window: { __silCspViolation(text: string): void; axe: Axe };
interface Axe {
  run(context: unknown, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
}

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Problems seen in a context: CSP violations, uncaught errors, console errors. */
export interface PageProblems {
  csp: string[];
  errors: string[];
}

/**
 * A context whose pages report CSP violations (securitypolicyviolation events, through a
 * binding: the listener runs in the page but is installed by the browser, not by a script the
 * CSP could block) and script errors into `problems`.
 */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; problems: PageProblems }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', colorScheme: 'light', ...options });
  const problems: PageProblems = { csp: [], errors: [] };
  await context.exposeBinding('__silCspViolation', ({ page }, text: string) => {
    problems.csp.push(`${page.url()}: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__silCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
    });
  });
  context.on('weberror', (e) => problems.errors.push(`uncaught: ${e.error().message}`));
  context.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.errors.push(`console: ${m.text()}`);
  });
  return { context, problems };
}

/** A context in Arabic (locale and the console's saved language) signed in with the cookies of `signedIn`. */
export async function arabicContext(browser: Browser, signedIn: BrowserContext): Promise<{ context: BrowserContext; problems: PageProblems }> {
  const made = await newContext(browser, { locale: 'ar' });
  await made.context.addInitScript(() => {
    try {
      localStorage.setItem('sil.lang', 'ar');
    } catch {
      // about:blank has no storage
    }
  });
  await made.context.addCookies(await signedIn.cookies());
  return made;
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page (evaluated through the DevTools protocol, so the CSP does not apply). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Violations of impact serious or critical, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  return (await axeViolations(page))
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.join(', ')}`);
}

/**
 * Saves a screenshot as docs/screenshots/<name>, rewriting the file only when the picture
 * changed (so that a test run leaves the repository clean unless the UI did change). `mask`
 * covers what differs from run to run (a random secret).
 */
export async function saveScreenshot(page: Page, name: string, opts: { mask?: Locator[]; fullPage?: boolean } = {}): Promise<string> {
  const png = await page.screenshot({ animations: 'disabled', caret: 'hide', fullPage: opts.fullPage ?? false, mask: opts.mask ?? [], maskColor: '#c7c9d9' });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, name);
  if (!existsSync(path) || !readFileSync(path).equals(png)) writeFileSync(path, png);
  return path;
}
