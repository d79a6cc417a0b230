// Mock of the Replicate HTTP API (https://api.replicate.com/v1), from replicate.com/docs:
// - auth (topics/security/api-tokens): `Authorization: Bearer r8_...`; a wrong token is 401 with
//   the problem-details body {"title": "Unauthenticated", "detail": "You did not pass a valid
//   authentication token", "status": 401} (as the replicate clients' tests show).
// - rate limits (topics/predictions/rate-limits): no rate-limit headers; 600 creates / 3000 other
//   requests a minute; a throttled request is 429 {"detail": "Request was throttled. Expected
//   available in 1 second."}.
// - reference/http: GET /v1/account (the health check) → {type, username, name, github_url};
//   POST /v1/models/{owner}/{name}/predictions and POST /v1/predictions ({version, input}) → 201
//   with the prediction; with `Prefer: wait[=n]` (topics/predictions/create-a-prediction#sync-mode)
//   it is answered when done (status succeeded, output, metrics), else status "starting" and
//   empty metrics; GET /v1/predictions/{id}. metrics.predict_time (seconds of hardware time) on
//   every finished prediction, input_token_count / output_token_count on language models,
//   image_count on image models. Invalid input: 422 {title, detail, status, invalid_fields}.
import { startMockServer, type ProviderMock, type ReceivedRequest, type MockAnswer } from '../../helpers/catalog/provider-mock.ts';
import { bearer, jsonBody, newId, switches, type MockSwitches } from './h1-openai-wire.ts';

export interface ReplicateMockOptions { apiKey?: string; username?: string }
export type ReplicateMock = ProviderMock & MockSwitches & { apiKey: string; username: string };

type Kind = 'language' | 'image';
const MODELS: Record<string, { kind: Kind; version: string }> = {
  'black-forest-labs/flux-schnell': { kind: 'image', version: 'c846a69991daf4c0e5d016514849d14ee5b2e6846ce6b9d6f21369e564cfe51e' },
  'black-forest-labs/flux-dev': { kind: 'image', version: '6e4a938f85952bdabcc15fa9e0b3e7ad2d8b9e1b4d7f8e4d8ac2e62a1c3b1b09' },
  'meta/meta-llama-3-8b-instruct': { kind: 'language', version: '5a6809ca6288247d06daf6365557e5e429063f32a21146b2a807c682652136b8' },
  'meta/meta-llama-3-70b-instruct': { kind: 'language', version: 'fbfb20b472b2f3bdd101412a9f70a0ed4fc0ced78a77ff00970ee7a2383c575d' },
};
const problem = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}): MockAnswer => ({
  status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify({ title, detail, status, ...extra }),
});
const words = (s: unknown) => String(s ?? '').split(/\s+/).filter(Boolean);
const round = (n: number) => Math.round(n * 1e6) / 1e6;

export async function startReplicateMock(opts: ReplicateMockOptions = {}): Promise<ReplicateMock> {
  const apiKey = opts.apiKey ?? `r8_${'Mock0123456789abcdefghijklmnopqrstuvw'.slice(0, 37)}`;
  const username = opts.username ?? 'sil-tester';
  const sw = switches();
  const predictions = new Map<string, Record<string, unknown>>();

  /** The finished prediction: its output and metrics computed from the input. */
  function finish(p: Record<string, unknown>, model: string): void {
    const input = p.input as Record<string, unknown>;
    const started = new Date(Date.parse(String(p.created_at)) + 150);
    if (MODELS[model].kind === 'language') {
      const prompt = words(input.prompt);
      const output = ['You', ' asked', ' about', ...prompt.map((w) => ` ${w}`)];
      const predict = round(0.05 + 0.01 * output.length);
      p.output = output;
      p.metrics = { input_token_count: prompt.length + 8, output_token_count: output.length, predict_time: predict, time_to_first_token: 0.04, tokens_per_second: round(output.length / predict), total_time: round(predict + 0.15) };
    } else {
      const n = Math.max(1, Math.min(4, Number(input.num_outputs ?? 1) || 1));
      const predict = round(0.4 + 0.3 * n + 0.01 * words(input.prompt).length);
      p.output = Array.from({ length: n }, (_, i) => `https://replicate.delivery/xezq/mock${String(p.id)}/out-${i}.webp`);
      p.metrics = { image_count: n, predict_time: predict, total_time: round(predict + 0.15) };
    }
    p.status = 'succeeded';
    p.started_at = started.toISOString();
    p.completed_at = new Date(started.getTime() + Number((p.metrics as { predict_time: number }).predict_time) * 1000).toISOString();
    sw.usage.push(p.metrics as Record<string, unknown>);
  }

  function create(r: ReceivedRequest, model: string | undefined): MockAnswer {
    const req = jsonBody<{ version?: string; input?: Record<string, unknown> }>(r);
    if (!model) model = Object.keys(MODELS).find((m) => MODELS[m].version === req?.version?.split(':').pop());
    if (!model || !MODELS[model]) return problem(404, 'Not found', 'The requested resource could not be found.');
    if (!req?.input || typeof req.input.prompt !== 'string') {
      return problem(422, 'Input validation failed', '- input: prompt is required', { invalid_fields: [{ type: 'required', field: 'input', description: 'prompt is required' }] });
    }
    const id = newId('').slice(0, 26);
    const p: Record<string, unknown> = {
      id, model, version: MODELS[model].version, input: req.input, logs: '', output: null, data_removed: false, error: null,
      status: 'starting', created_at: new Date().toISOString(),
      urls: { cancel: `https://api.replicate.com/v1/predictions/${id}/cancel`, get: `https://api.replicate.com/v1/predictions/${id}`, stream: `https://stream.replicate.com/v1/files/${id}`, web: `https://replicate.com/p/${id}` },
      metrics: {},
    };
    predictions.set(id, p);
    const wait = /^wait(=\d+)?$/.test(String(r.headers.prefer ?? '').trim());
    if (wait) finish(p, model);
    return { status: 201, headers: wait ? { 'preference-applied': 'wait' } : {}, body: p };
  }

  const server = await startMockServer((r) => {
    if (bearer(r) !== apiKey || sw.revoked) return problem(401, 'Unauthenticated', 'You did not pass a valid authentication token');
    if (sw.takeThrottle(r.path)) return { status: 429, body: { detail: 'Request was throttled. Expected available in 1 second.' } };
    if (r.method === 'GET' && r.path === '/v1/account') return { status: 200, body: { type: 'user', username, name: 'Sil Tester', github_url: `https://github.com/${username}` } };
    const m = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(r.path);
    if (r.method === 'POST' && m) return create(r, `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`);
    if (r.method === 'POST' && r.path === '/v1/predictions') return create(r, undefined);
    const g = /^\/v1\/predictions\/([^/]+)$/.exec(r.path);
    if (r.method === 'GET' && g) {
      const p = predictions.get(g[1]);
      if (!p) return problem(404, 'Not found', 'The requested resource could not be found.');
      if (p.status !== 'succeeded') finish(p, String(p.model));
      return { status: 200, body: p };
    }
    return problem(404, 'Not found', 'The requested resource could not be found.');
  });
  return Object.assign(server, { apiKey, username, revoke: sw.revoke, restore: sw.restore, throttle: sw.throttle, usage: sw.usage });
}
