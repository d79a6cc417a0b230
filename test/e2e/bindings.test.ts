// The bindings, clients and history screens end to end, in Debian's Chromium against a real
// `sil start`: a binding with two targets created in the console and reordered by drag, by
// keyboard and by buttons (the API shows the new order); the validator's refusal (422) inline
// and an edit conflict (409) with its Reload; a client and a token shown once with a copy
// button; the history with signature status, a diff and a confirmed revert; axe-core on every
// screen; screenshots in docs/screenshots/. Skipped, saying so, when /usr/bin/chromium is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../scripts/build-console.ts';
import { startSil, type E2eHub } from './hub.ts';
import { hasChromium, launchBrowser, newContext, saveScreenshot, seriousViolations, type PageProblems } from './browser.ts';
import { setUpOwner } from './page-api.ts';

// Browser globals of the functions passed to page.evaluate (the root tsconfig has no DOM library).
declare const document: { activeElement: { getAttribute(name: string): string | null; tagName: string } | null; documentElement: { scrollWidth: number } };
declare const navigator: { clipboard: { readText(): Promise<string> } };
declare function scrollTo(x: number, y: number): void;

const PASSWORD = 'correct horse battery staple';

interface Answer<T = Record<string, any>> { status: number; body: T }
interface Target { provider: string; model?: string }

if (!hasChromium) console.warn('bindings e2e: skipped — /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)');

describe.skipIf(!hasChromium)('bindings, clients and history in Chromium (e2e)', { timeout: 90_000 }, () => {
  let hub: E2eHub;
  let browser: Browser;
  let context: BrowserContext;
  let problems: PageProblems;
  let page: Page;

  /** A call of the admin API from the page: the owner's session cookie and CSRF token. */
  function api<T = Record<string, any>>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    return page.evaluate(async ([m, p, b]) => {
      const s = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const r = await fetch(p as string, { method: m as string, headers: { 'content-type': 'application/json', 'x-sil-csrf': s.csrfToken }, body: b === undefined ? undefined : JSON.stringify(b) });
      return { status: r.status, body: (await r.json()) as T };
    }, [method, path, body] as const) as Promise<Answer<T>>;
  }
  const head = async () => (await api<{ head: string; commits: { id: string; subject: string; signature: { status: string } }[] }>('GET', '/api/history?limit=5')).body;
  const targets = async () => (await api<{ binding: { targets: Target[] } }>('GET', '/api/bindings/chat')).body.binding.targets.map((t) => `${t.provider}/${t.model}`);

  async function open(path: string): Promise<void> {
    await page.goto(`${hub.url}${path}`);
    await page.waitForSelector('body[data-session=ok]');
  }
  const rows = () => page.locator('.bd-target');
  const order = () => rows().locator('select.bd-provider').evaluateAll((els) => els.map((el) => (el as unknown as { value: string }).value));
  const announced = () => page.getByTestId('bd-announce').innerText();
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName ?? '');
  /** A full-page screenshot from the top, without a focus ring or an open suggestion list. */
  async function fullShot(name: string, mask: Locator[] = []): Promise<void> {
    await page.evaluate(() => {
      (document.activeElement as unknown as { blur?: () => void } | null)?.blur?.();
      scrollTo(0, 0);
    });
    await saveScreenshot(page, name, { fullPage: true, mask });
  }
  const center = async (l: Locator) => {
    const b = (await l.boundingBox())!;
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  };

  beforeAll(async () => {
    ensureConsoleBuilt({ quiet: true });
    [hub, browser] = await Promise.all([startSil(), launchBrowser()]);
    ({ context, problems } = await newContext(browser, { permissions: ['clipboard-read', 'clipboard-write'] }));
    page = await context.newPage();
    // The owner, set up through the API of the one-time link (console-auth.test.ts does it in the UI).
    await setUpOwner(page, hub, PASSWORD);
    // Two prod providers to bind, and a dev one that a prod binding may not use.
    let base = (await api('GET', '/api/providers')).body.commit as string;
    for (const [id, template, environment] of [['openai-main', 'openai', 'prod'], ['anthropic-main', 'anthropic', 'prod'], ['openai-dev', 'openai', 'dev']]) {
      const r = await api('POST', '/api/providers', { base, provider: { id, template, environment } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      base = r.body.commit;
    }
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('creates a binding with two targets in the console', async () => {
    await open('/bindings');
    await expect.poll(() => page.locator('.bd-empty').innerText()).toContain('No bindings yet');
    expect(await seriousViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL((u) => u.search === '?new=1'), page.getByRole('link', { name: 'New binding' }).click()]);
    await page.fill('#bd-name', 'chat');
    expect(await page.locator('#bd-environment').inputValue()).toBe('prod');
    expect(await page.locator('#bd-protocol').inputValue()).toBe('openai-chat');
    await page.fill('#bd-description', 'Chat completions for the web app');
    for (const [i, provider, model] of [[0, 'openai-main', 'gpt-4o'], [1, 'anthropic-main', 'claude-sonnet-4-5']] as const) {
      await page.getByRole('button', { name: 'Add target' }).click();
      // Focus goes to the new row's provider.
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
      await rows().nth(i).locator('select.bd-provider').selectOption(provider);
      await rows().nth(i).locator('input.bd-model').fill(model);
    }
    // Suggestions from the catalog template of each provider.
    await expect.poll(() => rows().nth(1).locator('datalist option[value="claude-sonnet-4-5"]').count()).toBe(1);
    await page.getByRole('button', { name: 'Create binding' }).click();
    await expect.poll(() => page.locator('.notice-ok').innerText()).toMatch(/^Saved in commit [0-9a-f]{7}\.$/);
    expect(new URL(page.url()).search).toBe('?name=chat');
    expect(await targets()).toEqual(['openai-main/gpt-4o', 'anthropic-main/claude-sonnet-4-5']);
    expect((await head()).commits[0].subject).toBe('bindings: add chat');
  });

  it('reorders the targets by drag, by keyboard and by buttons, and saves the new order', async () => {
    await open('/bindings?name=chat');
    await expect.poll(order).toEqual(['openai-main', 'anthropic-main']);

    // Drag the second row's handle above the first (pointer events, in small steps).
    await page.locator('.bd-targets').evaluate((el) => (el as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'center' }));
    const from = await center(rows().nth(1).locator('.bd-handle'));
    const firstRow = (await rows().nth(0).boundingBox())!;
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x, firstRow.y + 5, { steps: 8 });
    expect(await rows().nth(1).getAttribute('class')).toContain('bd-dragging');
    await page.mouse.up();
    await expect.poll(order).toEqual(['anthropic-main', 'openai-main']);
    expect(await announced()).toBe('anthropic-main moved to position 1 of 2.');

    // Keyboard on the handle: Arrow Down; focus stays on the moved row's handle.
    await rows().nth(0).locator('.bd-handle').focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(order).toEqual(['openai-main', 'anthropic-main']);
    expect(await announced()).toBe('anthropic-main moved to position 2 of 2.');
    expect(await focused()).toBe('Reorder target 2 of 2: anthropic-main');
    await page.keyboard.press('ArrowDown'); // already last: nothing moves
    await expect.poll(order).toEqual(['openai-main', 'anthropic-main']);

    // The Move up button (named for its row); it is disabled at the top, so focus goes to the handle.
    await page.getByRole('button', { name: 'Move anthropic-main up' }).click();
    await expect.poll(order).toEqual(['anthropic-main', 'openai-main']);
    expect(await page.getByRole('button', { name: 'Move anthropic-main up' }).isDisabled()).toBe(true);
    expect(await focused()).toBe('Reorder target 1 of 2: anthropic-main');

    // Alt+Arrow anywhere in a row: from the model field of the first row, down and up again;
    // focus stays in the field.
    await rows().nth(0).locator('input.bd-model').focus();
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(order).toEqual(['openai-main', 'anthropic-main']);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('class'))).toBe('bd-model');
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(order).toEqual(['anthropic-main', 'openai-main']);
    // Each model moved with its row.
    expect(await rows().nth(0).locator('input.bd-model').inputValue()).toBe('claude-sonnet-4-5');

    expect(await seriousViolations(page)).toEqual([]);
    await fullShot('bindings.png');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.notice-ok').innerText()).toMatch(/^Saved in commit/);
    expect(await targets()).toEqual(['anthropic-main/claude-sonnet-4-5', 'openai-main/gpt-4o']);
    expect((await head()).commits[0].subject).toBe('bindings: update chat');
  });

  it('shows the validator\'s message inline when a target is refused (422) and marks its row', async () => {
    await open('/bindings?name=chat');
    await expect.poll(order).toEqual(['anthropic-main', 'openai-main']);
    const before = (await head()).head;
    await page.getByRole('button', { name: 'Add target' }).click();
    await rows().nth(2).locator('select.bd-provider').selectOption('openai-dev');
    await rows().nth(2).locator('input.bd-model').fill('gpt-4o');
    await page.getByRole('button', { name: 'Save' }).click();
    const alert = page.locator('.api-error');
    await expect.poll(() => alert.getAttribute('data-code')).toBe('SIL_CONFIG_INVALID');
    expect(await alert.innerText()).toContain('target provider "openai-dev" is in environment "dev", this binding is in "prod"');
    expect(await alert.locator('.api-error-issues code').first().innerText()).toMatch(/^bindings\/chat\.yaml:\d+:\d+$/);
    expect(await rows().nth(2).getAttribute('class')).toContain('bd-target-invalid');
    // ... and at the row of the target it is about, tied to its provider field.
    expect(await rows().nth(2).locator('.bd-row-issues').innerText()).toBe('target provider "openai-dev" is in environment "dev", this binding is in "prod"');
    expect(await rows().nth(2).locator('select.bd-provider').getAttribute('aria-invalid')).toBe('true');
    expect(await rows().nth(0).getAttribute('class')).not.toContain('bd-target-invalid');
    expect((await head()).head).toBe(before); // nothing was written
    expect(await seriousViolations(page)).toEqual([]);
    await fullShot('bindings-invalid.png');
    // Removing the row is announced; the binding is unchanged.
    await page.getByRole('button', { name: 'Remove openai-dev' }).click();
    expect(await announced()).toBe('openai-dev removed.');
    expect(await focused()).toBe('Reorder target 2 of 2: openai-main'); // the last row: focus goes to the one before
    await expect.poll(order).toEqual(['anthropic-main', 'openai-main']);
  });

  it('explains an edit conflict (409) and reloads the current version', async () => {
    await open('/bindings?name=chat');
    await expect.poll(order).toEqual(['anthropic-main', 'openai-main']);
    // Someone else changes the binding meanwhile (another tab, a git push).
    const r = await api('PATCH', '/api/bindings/chat', { base: (await head()).head, binding: { description: 'Changed elsewhere' } });
    expect(r.status).toBe(200);
    await page.fill('#bd-description', 'My change');
    await page.getByRole('button', { name: 'Save' }).click();
    const alert = page.locator('.api-error');
    await expect.poll(() => alert.getAttribute('data-code')).toBe('SIL_GIT_CONFLICT');
    expect(await alert.innerText()).toContain('Someone else changed this since you opened it');
    expect(await alert.innerText()).toContain('bindings/chat.yaml');
    await Promise.all([page.waitForEvent('load'), alert.getByRole('button', { name: 'Reload' }).click()]);
    await expect.poll(() => page.locator('#bd-description').inputValue()).toBe('Changed elsewhere');
    expect(await targets()).toEqual(['anthropic-main/claude-sonnet-4-5', 'openai-main/gpt-4o']);
  });

  it('lists bindings with their targets in order', async () => {
    await open('/bindings');
    const row = page.locator('.bd-table tbody tr', { hasText: 'chat' });
    await expect.poll(() => row.locator('.bd-chain li').allInnerTexts()).toEqual(['anthropic-main · claude-sonnet-4-5', 'openai-main · gpt-4o']);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreenshot(page, 'bindings-list.png');
  });

  let token = '';

  it('creates a client and a token that is shown once, with a copy button', async () => {
    await open('/clients');
    await expect.poll(() => page.locator('.bd-empty').innerText()).toContain('No clients yet');
    await Promise.all([page.waitForURL((u) => u.search === '?new=1'), page.getByRole('link', { name: 'New client' }).click()]);
    await page.fill('#cl-name', 'web');
    await page.getByRole('checkbox', { name: 'chat' }).check();
    await page.fill('#cl-ips', '10.0.0.0/8\n2001:db8::/32');
    expect(await seriousViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL((u) => u.search === '?name=web&created=1'), page.getByRole('button', { name: 'Create client' }).click()]);
    await expect.poll(() => page.locator('.notice-ok').innerText()).toBe('Client web created. Create a token for it below.');
    expect((await api('GET', '/api/clients/web')).body.client).toMatchObject({ name: 'web', environment: 'prod', bindings: ['chat'], ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'] });

    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('new-token');
    await shown.waitFor();
    token = await shown.inputValue();
    expect(token).toMatch(/^sil_[0-9A-Za-z]{36}$/);
    expect(await page.locator('.cl-once').innerText()).toContain('it is shown only this once');
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(() => page.locator('.cl-once [role=status]').innerText()).toBe('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    const row = page.locator('.bd-table tbody tr', { hasText: 't1' });
    await expect.poll(() => row.innerText()).toContain(`…${token.slice(-4)}`);
    expect(await row.innerText()).toContain('active');
    expect(await seriousViolations(page)).toEqual([]);
    await fullShot('clients.png', [shown, page.locator('.bd-table tbody td:nth-child(2) code'), page.locator('.bd-table tbody td:nth-child(3)')]);
  });

  it('does not show the token again after a reload, nor in any answer', async () => {
    await page.reload();
    await page.waitForSelector('body[data-session=ok]');
    await page.locator('.bd-table tbody tr', { hasText: 't1' }).waitFor();
    expect(await page.getByTestId('new-token').count()).toBe(0);
    expect(await page.content()).not.toContain(token);
    const answers = JSON.stringify([(await api('GET', '/api/clients/web')).body, (await api('GET', '/api/clients')).body]);
    expect(answers).not.toContain(token);
    expect(answers).toContain(token.slice(-4));
    await open('/clients');
    await expect.poll(() => page.locator('.bd-table tbody tr', { hasText: 'web' }).innerText()).toMatch(/web\s+prod\s+chat\s+1/);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('lists the history with good signatures, shows a diff, and reverts after a confirmation', async () => {
    await open('/history');
    const items = page.locator('.hi-commit');
    await expect.poll(() => items.first().locator('.hi-subject').innerText()).toBe('clients: create token web/t1');
    const subjects = await items.locator('.hi-subject').allInnerTexts();
    expect(subjects).toEqual(expect.arrayContaining(['bindings: add chat', 'bindings: update chat', 'clients: add web', 'providers: add openai-main (openai)']));
    // Every commit the console made is signed by the hub's key.
    const statuses = await items.locator('[data-status]').evaluateAll((els) => els.map((el) => el.getAttribute('data-status')));
    expect(statuses.length).toBe(subjects.length);
    expect(new Set(statuses)).toEqual(new Set(['good']));
    expect(await items.first().locator('[data-status]').innerText()).toContain('Signature good');
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreenshot(page, 'history.png', { mask: [items.locator('time'), items.locator('code')] });

    // The reorder commit: its diff shows the targets swapped.
    const reorder = items.filter({ hasText: 'bindings: update chat' }).last();
    await Promise.all([page.waitForURL((u) => u.search.startsWith('?commit=')), reorder.locator('.hi-subject').click()]);
    const id = new URL(page.url()).searchParams.get('commit')!;
    await expect.poll(() => page.locator('#hi-title').innerText()).toBe('bindings: update chat');
    expect(await page.locator('.bd-facts').innerText()).toContain('signed by sil-hub');
    const diff = page.locator('.hi-diff');
    // openai-main with its model went from first to last.
    await expect.poll(() => diff.locator('.hi-del').allInnerTexts()).toEqual(['-  - provider: openai-main', '-    model: gpt-4o']);
    expect(await diff.locator('.hi-add').allInnerTexts()).toEqual(['+  - provider: openai-main', '+    model: gpt-4o']);
    expect(await diff.locator('.hi-context').allInnerTexts()).toEqual(expect.arrayContaining(['   - provider: anthropic-main']));
    expect(await diff.locator('.hi-hunk').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await fullShot('history-commit.png', [page.locator('.bd-facts dd')]);

    // Revert asks first; Escape (or Cancel) leaves everything as it was.
    const before = (await head()).head;
    await page.getByRole('button', { name: 'Revert this commit…' }).click();
    const dialog = page.getByRole('dialog', { name: `Revert commit ${id.slice(0, 7)}?` });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('A new commit will undo “bindings: update chat”');
    expect(await focused()).toBe('BUTTON');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect((await head()).head).toBe(before);

    await page.getByRole('button', { name: 'Revert this commit…' }).click();
    await dialog.getByRole('button', { name: 'Revert', exact: true }).click();
    await expect.poll(() => page.locator('.hi-revert .notice-ok').innerText()).toMatch(/^Reverted in the new commit [0-9a-f]{7}\./);
    const after = await head();
    expect(after.commits[0]).toMatchObject({ subject: 'revert: bindings: update chat', signature: { status: 'good' } });
    expect(after.commits[1].id).toBe(before);
    // The description edit made after the reorder stays: only the reorder is undone.
    expect(await targets()).toEqual(['openai-main/gpt-4o', 'anthropic-main/claude-sonnet-4-5']);

    // The revert commit links back to what it reverted.
    await Promise.all([page.waitForURL((u) => u.search === `?commit=${after.commits[0].id}`), page.getByRole('link', { name: 'Open it' }).click()]);
    await expect.poll(() => page.locator('#hi-title').innerText()).toBe('revert: bindings: update chat');
    expect(await page.locator('.bd-facts dd a', { hasText: id.slice(0, 7) }).getAttribute('href')).toBe(`/history?commit=${id}`);
  });

  it('shows the screens right-to-left in Arabic without serious axe violations', async () => {
    await open('/bindings?name=chat');
    await Promise.all([page.waitForEvent('load'), page.click('[data-set-lang=ar]')]);
    await page.waitForSelector('body[data-session=ok]');
    await expect.poll(() => page.locator('#bd-editor-title').innerText()).toBe('الارتباط chat');
    expect(await page.getByRole('button', { name: 'نقل anthropic-main لأعلى' }).isEnabled()).toBe(true);
    // Right-to-left: the handle is at the right of its row's fields.
    const handle = (await rows().nth(0).locator('.bd-handle').boundingBox())!;
    const model = (await rows().nth(0).locator('input.bd-model').boundingBox())!;
    expect(handle.x).toBeGreaterThan(model.x);
    expect(await seriousViolations(page)).toEqual([]);
    await fullShot('bindings-ar.png');
    for (const path of ['/clients?name=web', '/history']) {
      await open(path);
      await page.locator('.bd-table, .hi-commit').first().waitFor();
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await Promise.all([page.waitForEvent('load'), page.click('[data-set-lang=en]')]);
  });

  it('fits a phone (390 px) without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/bindings?name=chat', '/clients?name=web', '/history']) {
      await open(path);
      await page.locator('.bd-target, .bd-table, .hi-commit').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('loads each screen with little JavaScript (shared chunks, no new libraries)', async () => {
    const storageState = await context.storageState();
    for (const path of ['/bindings?name=chat', '/clients?name=web', '/history']) {
      const { context: c } = await newContext(browser, { storageState });
      const p = await c.newPage();
      const sizes: Promise<number>[] = [];
      p.on('requestfinished', (r) => {
        if (r.resourceType() === 'script') sizes.push(r.sizes().then((x) => x.responseBodySize));
      });
      await p.goto(`${hub.url}${path}`, { waitUntil: 'networkidle' });
      const kb = (await Promise.all(sizes)).reduce((a, b) => a + b, 0) / 1024;
      await c.close();
      console.log(`bindings e2e: first load of ${path}: ${sizes.length} scripts, ${kb.toFixed(1)} KB of compressed JavaScript`);
      expect(kb, path).toBeLessThan(150);
    }
  });

  it('saw no CSP violation and no script error', () => {
    expect(problems.csp).toEqual([]);
    expect(problems.errors).toEqual([]);
  });
});
