// Usage of the protocols whose input count leaves out cache reads and cache writes (Anthropic
// Messages, Bedrock Converse): what sil records (as the provider templates read it), and the
// OpenAI usage, whose prompt_tokens counts every input token, cache reads and writes included.
import { isObject } from './openai-request.ts';
import type { OpenAIUsage, TokenUsage } from './types.ts';

export interface SplitCacheCounts { input?: number; output?: number; total?: number; cacheRead?: number; cacheWrite?: number }

/** Where a protocol's usage object keeps each count (Anthropic's snake_case, Converse's camelCase). */
export type SplitCacheNames = { readonly [K in keyof SplitCacheCounts]?: string };

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Reads a usage object's counts over what is known (a stream reports them in parts); absent fields stay. */
export function readSplitCacheUsage(usage: unknown, names: SplitCacheNames, into: SplitCacheCounts = {}): SplitCacheCounts {
  if (!isObject(usage)) return into;
  for (const [count, name] of Object.entries(names) as [keyof SplitCacheCounts, string][]) into[count] = num(usage[name]) ?? into[count];
  return into;
}

export function splitCacheTokenUsage(c: SplitCacheCounts): TokenUsage {
  const u: TokenUsage = {};
  if (c.input !== undefined) u.inputTokens = c.input;
  if (c.output !== undefined) u.outputTokens = c.output;
  if (c.cacheRead !== undefined) u.cachedInputTokens = c.cacheRead;
  if (c.cacheWrite !== undefined) u.cacheWriteTokens = c.cacheWrite;
  return u;
}

/** `cachedDetails`: always give prompt_tokens_details (Anthropic), or only when cache reads were reported (Bedrock). */
export function openAIUsageFromSplitCache(c: SplitCacheCounts, cachedDetails: 'always' | 'when-reported'): OpenAIUsage {
  const cached = c.cacheRead ?? 0;
  const prompt = (c.input ?? 0) + cached + (c.cacheWrite ?? 0);
  const completion = c.output ?? 0;
  const usage: OpenAIUsage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: c.total ?? prompt + completion };
  if (cachedDetails === 'always' || c.cacheRead !== undefined) usage.prompt_tokens_details = { cached_tokens: cached };
  return usage;
}
