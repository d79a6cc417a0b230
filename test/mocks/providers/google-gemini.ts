// Gemini API (Generative Language API) mock on 127.0.0.1, serving /v1beta and its OpenAI-compatible
// /v1beta/openai. Auth as documented: the API key in `x-goog-api-key` or the `?key=` parameter on
// the native API, `Authorization: Bearer <key>` on the OpenAI-compatible one. Sources:
// ai.google.dev/api (generateContent, streamGenerateContent?alt=sse, embedContent, models.list,
// usageMetadata {promptTokenCount, candidatesTokenCount, cachedContentTokenCount, totalTokenCount}),
// ai.google.dev/gemini-api/docs/openai (base .../v1beta/openai/, Bearer key, chat/completions,
// embeddings), ai.google.dev/gemini-api/docs/troubleshooting (400 INVALID_ARGUMENT API_KEY_INVALID
// "API key not valid. Please pass a valid API key.", 403 PERMISSION_DENIED, 429 RESOURCE_EXHAUSTED
// with a RetryInfo detail). No rate-limit headers are documented. The OpenAI-compatible endpoint
// wraps Google's error object in a one-element list (as observed: `[{"error": {...}}]`).
import { randomUUID } from 'node:crypto';
import { startMockServer, bodyJson, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { errorInfo, googleError, googleErrorBody, retryInfo } from './h2-google.ts';

const SERVICE = 'generativelanguage.googleapis.com';

export interface GeminiUsage { promptTokenCount: number; candidatesTokenCount: number; cachedContentTokenCount?: number; thoughtsTokenCount?: number }

export interface GeminiMock extends ProviderMock {
  apiKey: string;
  /** What generateContent and the OpenAI-compatible endpoints report. */
  usage: GeminiUsage;
  revoke(on?: boolean): void;
  throttleNext(path: string): void;
}

const MODELS = ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.0-flash', 'gemini-embedding-001'];

export async function startGeminiMock(apiKey: string): Promise<GeminiMock> {
  let revoked = false;
  let throttle: string | null = null;
  const usage: GeminiUsage = { promptTokenCount: 17, candidatesTokenCount: 6 };

  /** Google's refusal of the key, or null when it is the mock's key. */
  function refusal(given: string | undefined, path: string): MockAnswer | null {
    if (given === undefined || given === '') {
      return googleError(403, 'PERMISSION_DENIED', "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
    }
    if (given !== apiKey || revoked) return googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [errorInfo('API_KEY_INVALID', SERVICE)]);
    if (throttle !== null && path.startsWith(throttle)) {
      throttle = null;
      return googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: `${SERVICE}/generate_content_free_tier_requests`, quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] }, retryInfo(7)]);
    }
    return null;
  }

  const usageMetadata = () => ({ ...usage, totalTokenCount: usage.promptTokenCount + usage.candidatesTokenCount + (usage.thoughtsTokenCount ?? 0) });
  const candidate = (text: string, finishReason?: string) => ({ content: { parts: [{ text }], role: 'model' }, ...(finishReason ? { finishReason } : {}), index: 0 });

  function native(r: ReceivedRequest): MockAnswer {
    if (r.method === 'GET' && r.path === '/v1beta/models') {
      const size = Number(r.query.get('pageSize') ?? 50);
      return { status: 200, body: { models: MODELS.slice(0, size).map((id) => ({ name: `models/${id}`, version: '001', displayName: id, inputTokenLimit: 1048576, outputTokenLimit: 65536, supportedGenerationMethods: id.includes('embedding') ? ['embedContent'] : ['generateContent', 'countTokens'] })) } };
    }
    const m = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|embedContent)$/.exec(r.path);
    if (!m || r.method !== 'POST') return googleError(404, 'NOT_FOUND', `Method not found: ${r.method} ${r.path}`);
    const model = decodeURIComponent(m[1]!);
    if (!MODELS.includes(model)) return googleError(404, 'NOT_FOUND', `models/${model} is not found for API version v1beta, or is not supported for ${m[2]}.`);
    const body = bodyJson(r) as { contents?: unknown[]; content?: { parts?: unknown[] } } | undefined;
    if (m[2] === 'embedContent') {
      if (!body?.content?.parts) return googleError(400, 'INVALID_ARGUMENT', '* EmbedContentRequest.content: contents is not specified');
      return { status: 200, body: { embedding: { values: [0.0123, -0.0456, 0.0789] } } };
    }
    if (!Array.isArray(body?.contents) || body.contents.length === 0) return googleError(400, 'INVALID_ARGUMENT', '* GenerateContentRequest.contents: contents is not specified');
    const responseId = randomUUID().slice(0, 22);
    if (m[2] === 'streamGenerateContent') {
      if (r.query.get('alt') !== 'sse') return googleError(400, 'INVALID_ARGUMENT', 'the mock streams only with alt=sse');
      const events = [{ candidates: [candidate('Hello from ')], modelVersion: model, responseId }, { candidates: [candidate('Gemini', 'STOP')], usageMetadata: usageMetadata(), modelVersion: model, responseId }];
      return { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: events.map((e) => `data: ${JSON.stringify(e)}\r\n\r\n`) };
    }
    return { status: 200, body: { candidates: [candidate('Hello from Gemini', 'STOP')], usageMetadata: usageMetadata(), modelVersion: model, responseId } };
  }

  function openai(r: ReceivedRequest): MockAnswer {
    const body = bodyJson(r) as { model?: string; messages?: unknown[]; input?: unknown } | undefined;
    const model = String(body?.model ?? '').replace(/^models\//, '');
    if (!MODELS.includes(model)) return { status: 404, body: [googleErrorBody(404, 'NOT_FOUND', `models/${model} is not found for API version v1beta`)] };
    if (r.method === 'POST' && r.path === '/v1beta/openai/chat/completions') {
      const u = { prompt_tokens: usage.promptTokenCount, completion_tokens: usage.candidatesTokenCount, total_tokens: usage.promptTokenCount + usage.candidatesTokenCount };
      return { status: 200, body: { id: randomUUID(), object: 'chat.completion', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from Gemini (OpenAI-compatible)' }, finish_reason: 'stop' }], usage: u } };
    }
    if (r.method === 'POST' && r.path === '/v1beta/openai/embeddings') {
      const inputs = Array.isArray(body?.input) ? body.input : [body?.input];
      return { status: 200, body: { object: 'list', data: inputs.map((_, index) => ({ object: 'embedding', embedding: [0.0123, -0.0456], index })), model, usage: { prompt_tokens: usage.promptTokenCount, total_tokens: usage.promptTokenCount } } };
    }
    return { status: 404, body: [googleErrorBody(404, 'NOT_FOUND', `no route ${r.method} ${r.path}`)] };
  }

  const mock = await startMockServer((r) => {
    if (r.path.startsWith('/v1beta/openai/')) {
      const auth = String(r.headers.authorization ?? '');
      const refused = refusal(auth.startsWith('Bearer ') ? auth.slice(7) : undefined, r.path);
      // The OpenAI-compatible endpoint answers errors as a list holding Google's error object.
      if (refused) return { ...refused, body: `[${String(refused.body)}]` };
      return openai(r);
    }
    const header = r.headers['x-goog-api-key'];
    const refused = refusal(typeof header === 'string' ? header : (r.query.get('key') ?? undefined), r.path);
    return refused ?? native(r);
  });
  return Object.assign(mock, { apiKey, usage, revoke: (on = true) => void (revoked = on), throttleNext: (path: string) => void (throttle = path) });
}
