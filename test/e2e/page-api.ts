// The admin API called from a page of the console, as the console itself calls it: the owner's
// session cookie and the CSRF token of GET /api/session; and the owner set up through the API of
// the one-time setup link (console-auth.test.ts does it in the UI).
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { totpCode } from '../../server/api/owner/totp.ts';

export interface Answer<T = Record<string, any>> { status: number; body: T }

export function pageApi<T = Record<string, any>>(page: Page, method: string, path: string, body?: unknown): Promise<Answer<T>> {
  return page.evaluate(async ([m, u, b]) => {
    const s = (await (await fetch('/api/session')).json()) as { csrfToken: string };
    const r = await fetch(u as string, { method: m as string, headers: { 'content-type': 'application/json', 'x-sil-csrf': s.csrfToken }, body: b === undefined ? undefined : JSON.stringify(b) });
    return { status: r.status, body: (await r.json()) as T };
  }, [method, path, body] as const) as Promise<Answer<T>>;
}

/** A config change on `base`: expects success, answers the new commit. */
export async function pageChange(page: Page, method: string, path: string, body: Record<string, unknown>, base: string): Promise<string> {
  const r = await pageApi(page, method, path, { base, ...body });
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body.commit as string;
}

/** Sets the owner up (password and TOTP) through the setup link's API; the page is then signed in. */
export async function setUpOwner(page: Page, hub: { url: string; setupLink: string }, password: string): Promise<void> {
  const token = hub.setupLink.split('#')[1];
  await page.goto(`${hub.url}/login`);
  // The page's own session call settles first: its cookie would otherwise replace the one whose CSRF token the setup call sends.
  await page.waitForLoadState('networkidle');
  const started = await pageApi<Record<string, string>>(page, 'POST', '/api/setup/start', { token });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const done = await pageApi(page, 'POST', '/api/setup/complete', { token, password, totp: totpCode(started.body.totpSecret!, Date.now()) });
  expect(done.status, JSON.stringify(done.body)).toBeLessThan(300);
}
