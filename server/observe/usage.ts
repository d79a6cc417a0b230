// Usage and cost of one answer, from the template's data: where each figure is read
// (`body:<dotted.path>` with `[n]` / `[field=value]` list selectors, or `header:<name>`), which
// token convention the provider follows (`inputIncludesCached`) and the model's list prices. Pure.
import type { Pricing, Usage } from '../../schemas/types.gen.ts';
import { compilePath, readPath, type PathStep } from './json-path.ts';

export interface UsageFigures {
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  /** Input tokens written to the prompt cache (Anthropic cache_creation_input_tokens). */
  cacheWriteTokens?: number;
  totalTokens?: number;
  seconds?: number;
  units?: number;
  /** Images generated, priced at perImage. */
  images?: number;
}

interface Source { field: keyof UsageFigures; header?: string; path: readonly PathStep[] }

/** A template's usage spec split once (it belongs to the frozen snapshot), not per answer. */
const compiled = new WeakMap<Usage, readonly Source[]>();
function sourcesOf(spec: Usage): readonly Source[] {
  let sources = compiled.get(spec);
  if (!sources) {
    const list: Source[] = [];
    for (const [field, given] of Object.entries(spec) as [keyof UsageFigures | 'inputIncludesCached', unknown][]) {
      if (field === 'inputIncludesCached') continue;
      // A list's values are added up (readUsage).
      for (const source of Array.isArray(given) ? given : [given]) {
        if (typeof source !== 'string') continue;
        const colon = source.indexOf(':');
        const where = source.slice(colon + 1);
        if (source.slice(0, colon) === 'header') list.push({ field, header: where.toLowerCase(), path: [] });
        else {
          const path = compilePath(where);
          if (path) list.push({ field, path });
        }
      }
    }
    compiled.set(spec, (sources = list));
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
    keys = new Set(sourcesOf(spec).flatMap((s) => (s.header === undefined && 'key' in s.path[0] ? [s.path[0].key] : [])));
    bodyKeys.set(spec, keys);
  }
  return keys;
}
/** Reads the figures a template's `usage` names from a JSON answer and its headers. */
export function readUsage(spec: Usage | undefined, body: unknown, headers: Readonly<Record<string, string | string[] | undefined>>): UsageFigures {
  const out: UsageFigures = {};
  if (!spec) return out;
  for (const { field, header, path } of sourcesOf(spec)) {
    const raw = header !== undefined ? headers[header] : readPath(body, path);
    const n = Number(Array.isArray(raw) ? raw[0] : raw);
    if (raw !== undefined && raw !== null && raw !== '' && Number.isFinite(n) && n >= 0) out[field] = (out[field] ?? 0) + n;
  }
  return out;
}

/**
 * Estimated cost in the price's currency, or undefined when the prices say nothing about it.
 * `inputIncludesCached` (the service's `usage.inputIncludesCached`, default true) says whether
 * `inputTokens` counts cache reads and writes too (OpenAI, Gemini, DeepSeek) or only the other
 * input tokens (Anthropic, Bedrock Converse). Cache reads are priced at `cachedInputPer1M`, cache
 * writes at `cacheWritePer1M`, each at `inputPer1M` when it has no price of its own.
 */
export function costOf(usage: UsageFigures, pricing: Pricing | undefined, extra: { inputIncludesCached?: boolean } = {}): number | undefined {
  if (!pricing) return undefined;
  let cost = 0;
  let known = false;
  const add = (amount: number | undefined, price: number | undefined, per = 1) => {
    if (amount === undefined || price === undefined) return;
    cost += (amount * price) / per;
    known = true;
  };
  const cached = usage.cachedInputTokens ?? 0;
  const writes = usage.cacheWriteTokens ?? 0;
  if (extra.inputIncludesCached === false) {
    add(usage.inputTokens, pricing.inputPer1M, 1e6);
    if (usage.cachedInputTokens !== undefined) add(cached, pricing.cachedInputPer1M ?? pricing.inputPer1M, 1e6);
    if (usage.cacheWriteTokens !== undefined) add(writes, pricing.cacheWritePer1M ?? pricing.inputPer1M, 1e6);
  } else if (usage.inputTokens !== undefined) {
    // Cached tokens are inside inputTokens: only those with a price of their own are taken out.
    const apart = (pricing.cachedInputPer1M === undefined ? 0 : cached) + (pricing.cacheWritePer1M === undefined ? 0 : writes);
    add(Math.max(0, usage.inputTokens - apart), pricing.inputPer1M, 1e6);
    if (pricing.cachedInputPer1M !== undefined) add(cached, pricing.cachedInputPer1M, 1e6);
    if (pricing.cacheWritePer1M !== undefined) add(writes, pricing.cacheWritePer1M, 1e6);
  }
  add(usage.outputTokens, pricing.outputPer1M, 1e6);
  add(usage.seconds, pricing.perSecond);
  add(usage.seconds === undefined ? undefined : usage.seconds / 60, pricing.perMinute);
  add(usage.images, pricing.perImage);
  if (pricing.perRequest !== undefined) add(1, pricing.perRequest);
  return known ? Math.round(cost * 1e8) / 1e8 : undefined;
}
