// Usage and cost of one answer, from the template's data: where each figure is read
// (`body:<dotted.path>` or `header:<name>`) and the model's list prices. Pure.
import type { Pricing, Usage } from '../../schemas/types.gen.ts';

export interface UsageFigures {
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  totalTokens?: number;
  seconds?: number;
  units?: number;
}

function at(root: unknown, path: readonly string[]): unknown {
  let v = root;
  for (const part of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

interface Source { field: keyof UsageFigures; header?: string; path: readonly string[] }

/** A template's usage spec split once (it belongs to the frozen snapshot), not per answer. */
const compiled = new WeakMap<Usage, readonly Source[]>();
function sourcesOf(spec: Usage): readonly Source[] {
  let sources = compiled.get(spec);
  if (!sources) {
    sources = (Object.entries(spec) as [keyof UsageFigures, string][]).map(([field, source]) => {
      const colon = source.indexOf(':');
      const where = source.slice(colon + 1);
      return source.slice(0, colon) === 'header' ? { field, header: where.toLowerCase(), path: [] } : { field, path: where.split('.') };
    });
    compiled.set(spec, sources);
  }
  return sources;
}

const bodyKeys = new WeakMap<Usage, ReadonlySet<string>>();
const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * The top-level members of a JSON answer that `spec` reads figures from (`usage` for
 * `body:usage.prompt_tokens`); empty when it reads only headers, so the body need not be kept.
 */
export function bodyKeysOf(spec: Usage | undefined): ReadonlySet<string> {
  if (!spec) return NO_KEYS;
  let keys = bodyKeys.get(spec);
  if (!keys) {
    keys = new Set(sourcesOf(spec).filter((s) => s.header === undefined).map((s) => s.path[0]));
    bodyKeys.set(spec, keys);
  }
  return keys;
}
/** Reads the figures a template's `usage` names from a JSON answer and its headers. */
export function readUsage(spec: Usage | undefined, body: unknown, headers: Readonly<Record<string, string | string[] | undefined>>): UsageFigures {
  const out: UsageFigures = {};
  if (!spec) return out;
  for (const { field, header, path } of sourcesOf(spec)) {
    const raw = header !== undefined ? headers[header] : at(body, path);
    const n = Number(Array.isArray(raw) ? raw[0] : raw);
    if (raw !== undefined && raw !== null && raw !== '' && Number.isFinite(n) && n >= 0) out[field] = n;
  }
  return out;
}

/** Estimated cost in the price's currency, or undefined when the prices say nothing about it. */
export function costOf(usage: UsageFigures, pricing: Pricing | undefined, extra: { images?: number } = {}): number | undefined {
  if (!pricing) return undefined;
  let cost = 0;
  let known = false;
  const add = (amount: number | undefined, price: number | undefined, per = 1) => {
    if (amount === undefined || price === undefined) return;
    cost += (amount * price) / per;
    known = true;
  };
  const cached = usage.cachedInputTokens ?? 0;
  const uncached = usage.inputTokens === undefined ? undefined : Math.max(0, usage.inputTokens - (pricing.cachedInputPer1M === undefined ? 0 : cached));
  add(uncached, pricing.inputPer1M, 1e6);
  if (pricing.cachedInputPer1M !== undefined && usage.inputTokens !== undefined) add(cached, pricing.cachedInputPer1M, 1e6);
  add(usage.outputTokens, pricing.outputPer1M, 1e6);
  add(usage.seconds, pricing.perSecond);
  add(usage.seconds === undefined ? undefined : usage.seconds / 60, pricing.perMinute);
  add(extra.images, pricing.perImage);
  if (pricing.perRequest !== undefined) add(1, pricing.perRequest);
  return known ? Math.round(cost * 1e8) / 1e8 : undefined;
}
