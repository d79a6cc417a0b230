// How many tokens a request may use, reserved against token quotas before it is sent so that
// concurrent callers cannot overshoot: the input estimated from the JSON body's size (about four
// bytes a token for English text and JSON), plus the output it asks for at most (max_tokens,
// max_completion_tokens or max_output_tokens, times `n` choices). A chat request that names no
// maximum reserves DEFAULT_OUTPUT_TOKENS; other requests (embeddings, /bind/ calls) reserve only
// their input. Bodies that are not JSON (audio uploads) reserve nothing: their bytes say nothing
// about tokens. Settled to the real count when the answer's usage is read. Pure.

export const DEFAULT_OUTPUT_TOKENS = 1024;
const BYTES_PER_TOKEN = 4;
const MAX_FIELDS = ['max_tokens', 'max_completion_tokens', 'max_output_tokens'] as const;

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.ceil(v) : undefined;
}

export function estimateTokens(bodyBytes: number, json: Record<string, unknown> | undefined, chat: boolean): number {
  if (!json) return 0;
  const input = Math.ceil(bodyBytes / BYTES_PER_TOKEN);
  let max: number | undefined;
  for (const f of MAX_FIELDS) if ((max = positiveInt(json[f])) !== undefined) break;
  const choices = Math.min(positiveInt(json.n) ?? 1, 128);
  const output = max !== undefined ? max * choices : chat ? DEFAULT_OUTPUT_TOKENS * choices : 0;
  return input + output;
}

/** The tokens an answer used, or undefined when the provider's answer did not say. */
export function usedTokens(u: { inputTokens?: number; outputTokens?: number; totalTokens?: number }): number | undefined {
  if (u.totalTokens !== undefined) return u.totalTokens;
  if (u.inputTokens === undefined && u.outputTokens === undefined) return undefined;
  return (u.inputTokens ?? 0) + (u.outputTokens ?? 0);
}
