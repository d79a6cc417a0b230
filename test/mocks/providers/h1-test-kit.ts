// Test-side helpers for helper H1's catalog tests (openai, deepseek, meta-llama, azure-openai,
// hugging-face, replicate): list prices read from the catalog (never copied into a test), the
// cost those prices give a mock's reported usage, SSE frame parsing, a bounded wait and the
// health-check test they share.
import { expect } from 'vitest';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { readRateLimit, type RateLimitReading } from '../../../server/observe/rate-limit.ts';
import type { Pricing } from '../../../schemas/types.gen.ts';
import type { TemplateHub, UsageSum } from '../../helpers/catalog/template-hub.ts';
import type { ProviderMock } from '../../helpers/catalog/provider-mock.ts';
import type { MockSwitches } from './h1-openai-wire.ts';

/** The catalog's list price of a template's service and model. */
export function listPrice(template: string, service: string, model?: string): Pricing {
  const t = projectCatalog().catalog.get(template);
  const s = t?.services.find((x) => x.id === service);
  const pricing = (model ? s?.models?.find((m) => m.id === model)?.pricing : undefined) ?? s?.pricing;
  if (!pricing) throw new Error(`${template}/${service}/${model ?? ''}: no pricing in the catalog`);
  return pricing;
}

export interface Tokens { input: number; cached?: number; output?: number; seconds?: number }

/** What `p` charges for these figures: cached input at the cached price, the rest at the input price. */
export function priceOf(p: Pricing, t: Tokens): number {
  const cached = p.cachedInputPer1M === undefined ? 0 : (t.cached ?? 0);
  return ((t.input - cached) * (p.inputPer1M ?? 0) + cached * (p.cachedInputPer1M ?? 0) + (t.output ?? 0) * (p.outputPer1M ?? 0)) / 1e6 + (t.seconds ?? 0) * (p.perSecond ?? 0);
}

/** The JSON data of each `data:` frame of an SSE text, `[DONE]` as the string. */
export function sseData(text: string): unknown[] {
  return text
    .split(/\n\n/)
    .map((f) => f.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n'))
    .filter(Boolean)
    .map((d) => (d === '[DONE]' ? d : JSON.parse(d)));
}

/** Polls `get` every 10 ms until it returns something truthy, for at most `ms`. */
export async function eventually<T>(get: () => T | undefined | false, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A copy of what the hub has recorded for `binding` so far (zeros before any answer). */
export const usageNow = (hub: TemplateHub, binding: string): Required<UsageSum> => ({ requests: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cost: 0, seconds: 0, units: 0, ...hub.usageFor(binding) });

/** The binding's usage once `n` more answers than in `before` are recorded. */
export const usageAfter = (hub: TemplateHub, binding: string, before: UsageSum, n: number): Promise<Required<UsageSum>> =>
  eventually(() => (usageNow(hub, binding).requests >= before.requests + n ? usageNow(hub, binding) : undefined));

/** The hub's cost for `answers` answers equals `expected`, allowing its rounding of each record to 1e-8. */
export function expectCost(actual: number, expected: number, answers: number): void {
  expect(expected).toBeGreaterThan(0);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(answers * 5e-9 + 1e-15);
}

/** What the template's `rateLimit` reads from an answer's headers (as the hub reads a 429). */
export function rateLimitOf(template: string, res: Response, now = Date.now()): RateLimitReading & { resetInMs?: number } {
  const spec = projectCatalog().catalog.get(template)?.rateLimit;
  const reading = readRateLimit(spec, Object.fromEntries(res.headers), now);
  return reading.resetAt === undefined ? reading : { ...reading, resetInMs: reading.resetAt - now };
}

/**
 * The template's health check run by the hub: ok, a GET to `path` carrying `headers`; then, while
 * the mock refuses the key, failed with 401 (the key works again afterwards).
 */
export async function expectHealthCheck(hub: TemplateHub, mock: ProviderMock & MockSwitches, path: string, headers: Record<string, string>): Promise<void> {
  expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
  const probe = mock.received.findLast((r) => r.path === path)!;
  expect(probe.method).toBe('GET');
  expect(probe.headers).toMatchObject(headers);
  mock.revoke();
  try {
    expect(await hub.healthProbe()).toMatchObject({ ok: false, status: 401 });
  } finally {
    mock.restore();
  }
}
