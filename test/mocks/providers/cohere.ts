// Cohere API mock on 127.0.0.1, for both hosts the template uses (api.cohere.com: v1 models, v2
// chat / embed / rerank; api.cohere.ai: /compatibility/v1) — their paths do not overlap. Auth as
// documented: `Authorization: Bearer <key>` everywhere (docs.cohere.com/reference/about; the
// OpenAI compatibility API, docs.cohere.com/docs/compatibility-api, takes the same key).
// Sources: docs.cohere.com/reference/chat (v2 answer: message.content, finish_reason, usage
// {billed_units, tokens}; streamed events message-start ... message-end), /reference/embed
// (meta.billed_units.input_tokens), /reference/rerank (meta.billed_units.search_units),
// /reference/list-models (GET /v1/models?page_size=), /reference/errors (`{"id"?, "message"}`;
// 401 "invalid api token" / "no api key supplied", 429 for rate limits). Cohere documents no
// rate-limit headers, so none are sent.
import { randomUUID } from 'node:crypto';
import { startMockServer, bodyJson, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';

export interface CohereUsage { input_tokens: number; output_tokens: number; search_units: number }

export interface CohereMock extends ProviderMock {
  apiKey: string;
  /** Billed units the next answers report (mutable). */
  usage: CohereUsage;
  revoke(on?: boolean): void;
  throttleNext(path: string): void;
}

const MODELS: Record<string, string[]> = {
  'command-a-03-2025': ['chat'], 'command-r-plus': ['chat'], 'command-r': ['chat'], 'command-r7b-12-2024': ['chat'],
  'embed-english-v3.0': ['embed'], 'embed-v4.0': ['embed'], 'rerank-v3.5': ['rerank'], 'rerank-english-v3.0': ['rerank'],
};

const cohereError = (status: number, message: string): MockAnswer => ({ status, body: { id: randomUUID(), message } });

export async function startCohereMock(apiKey: string): Promise<CohereMock> {
  let revoked = false;
  let throttle: string | null = null;
  const usage: CohereUsage = { input_tokens: 14, output_tokens: 5, search_units: 1 };
  const ok = (body: unknown): MockAnswer => ({ status: 200, body });

  function model(body: Record<string, unknown> | undefined, endpoint: string): string | MockAnswer {
    const id = body?.model;
    if (typeof id !== 'string') return cohereError(400, 'invalid request: model must be specified');
    if (!MODELS[id]?.includes(endpoint)) return cohereError(404, `model '${id}' not found, make sure the correct model ID was used and that you have access to the model.`);
    return id;
  }

  function chat(r: ReceivedRequest): MockAnswer {
    const body = bodyJson(r) as Record<string, unknown> | undefined;
    const m = model(body, 'chat');
    if (typeof m !== 'string') return m;
    if (!Array.isArray(body!.messages) || body!.messages.length === 0) return cohereError(400, 'invalid request: messages must not be empty');
    const billed = { input_tokens: usage.input_tokens, output_tokens: usage.output_tokens };
    const used = { billed_units: billed, tokens: { input_tokens: usage.input_tokens + 200, output_tokens: usage.output_tokens } };
    if (body!.stream !== true) return ok({ id: randomUUID(), finish_reason: 'COMPLETE', message: { role: 'assistant', content: [{ type: 'text', text: 'Hello from Command' }] }, usage: used });
    const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    return {
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      chunks: [
        ev('message-start', { id: randomUUID(), delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } }),
        ev('content-start', { index: 0, delta: { message: { content: { type: 'text', text: '' } } } }),
        ev('content-delta', { index: 0, delta: { message: { content: { text: 'Hello from ' } } } }),
        ev('content-delta', { index: 0, delta: { message: { content: { text: 'Command' } } } }),
        ev('content-end', { index: 0 }),
        ev('message-end', { delta: { finish_reason: 'COMPLETE', usage: used } }),
      ],
    };
  }

  function v2(r: ReceivedRequest): MockAnswer {
    if (r.path === '/v2/chat') return chat(r);
    const body = bodyJson(r) as Record<string, unknown> | undefined;
    if (r.path === '/v2/embed') {
      const m = model(body, 'embed');
      if (typeof m !== 'string') return m;
      if (!Array.isArray(body!.texts) || typeof body!.input_type !== 'string') return cohereError(400, 'invalid request: valid input_type must be provided with the provided model');
      return ok({ id: randomUUID(), embeddings: { float: body!.texts.map(() => [0.017, -0.042, 0.0091]) }, texts: body!.texts, meta: { api_version: { version: '2' }, billed_units: { input_tokens: usage.input_tokens } }, response_type: 'embeddings_by_type' });
    }
    if (r.path === '/v2/rerank') {
      const m = model(body, 'rerank');
      if (typeof m !== 'string') return m;
      if (typeof body!.query !== 'string' || !Array.isArray(body!.documents) || body!.documents.length === 0) return cohereError(400, 'invalid request: list of documents must not be empty');
      const results = body!.documents.map((_, index) => ({ index, relevance_score: 0.9 / (index + 1) }));
      return ok({ id: randomUUID(), results, meta: { api_version: { version: '2' }, billed_units: { search_units: usage.search_units } } });
    }
    return cohereError(404, `no route ${r.method} ${r.path}`);
  }

  function compat(r: ReceivedRequest): MockAnswer {
    const body = bodyJson(r) as Record<string, unknown> | undefined;
    if (r.path === '/compatibility/v1/chat/completions') {
      const m = model(body, 'chat');
      if (typeof m !== 'string') return m;
      return ok({ id: randomUUID(), object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: m, choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from Command (compatibility API)' }, finish_reason: 'stop' }], usage: { prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens, total_tokens: usage.input_tokens + usage.output_tokens } });
    }
    if (r.path === '/compatibility/v1/embeddings') {
      const m = model(body, 'embed');
      if (typeof m !== 'string') return m;
      const inputs = Array.isArray(body!.input) ? body!.input : [body!.input];
      return ok({ object: 'list', data: inputs.map((_, index) => ({ object: 'embedding', embedding: [0.017, -0.042], index })), model: m, usage: { prompt_tokens: usage.input_tokens, total_tokens: usage.input_tokens } });
    }
    return cohereError(404, `no route ${r.method} ${r.path}`);
  }

  const mock = await startMockServer((r) => {
    const auth = String(r.headers.authorization ?? '');
    if (auth === '') return cohereError(401, 'no api key supplied');
    if (auth !== `Bearer ${apiKey}` || revoked) return cohereError(401, 'invalid api token');
    if (throttle !== null && r.path.startsWith(throttle)) {
      throttle = null;
      return cohereError(429, 'You are past the per minute request limit, please wait and try again later.');
    }
    if (r.method === 'GET' && r.path === '/v1/models') {
      const size = Math.max(1, Math.min(1000, Number(r.query.get('page_size') ?? 20)));
      const ids = Object.keys(MODELS);
      const models = ids.slice(0, size).map((name) => ({ name, endpoints: MODELS[name], finetuned: false, context_length: 128000, tokenizer_url: null, default_endpoints: [], features: [] }));
      return ok({ models, ...(size < ids.length ? { next_page_token: String(size) } : {}) });
    }
    if (r.method !== 'POST') return cohereError(404, `no route ${r.method} ${r.path}`);
    return r.path.startsWith('/compatibility/') ? compat(r) : v2(r);
  });
  return Object.assign(mock, { apiKey, usage, revoke: (on = true) => void (revoked = on), throttleNext: (path: string) => void (throttle = path) });
}
