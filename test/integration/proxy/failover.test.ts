// The proxy end to end: a real hub on 127.0.0.1, real provider mocks, a real config repository
// with encrypted keys. Failover, credentials, response metadata and refusals.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { request as httpRequest } from 'node:http';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { loadHubIdentity } from '../../../server/vault/identity.ts';
import { changeKeys, type VaultContext } from '../../../server/vault/key-ops.ts';
import { addKey } from '../../../server/vault/keyring.ts';
import { generateClientToken, hashToken } from '../../../server/vault/client-token.ts';
import { startHub, type Hub } from '../../../server/main.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../../helpers/mock-upstream.ts';

const author = { name: 'Owner', email: 'owner@example.test' };
const KEY_A = `sk-proj-${'a'.repeat(40)}`;
const KEY_B = `sk-proj-${'b'.repeat(40)}`;

const provider = (id: string, env: string, baseUrl: string) => `id: ${id}\ntemplate: openai\nname: ${id}\nenvironment: ${env}\nconnection:\n  baseUrl: ${baseUrl}\n`;
const binding = (name: string, env: string, targets: string[], extra = '') =>
  `name: ${name}\nenvironment: ${env}\nprotocol: openai-chat\ntargets:\n${targets.map((t) => `  - { provider: ${t}, model: gpt-4o-mini }`).join('\n')}\nfailover:\n  on: [connect-error, timeout, "429", "5xx"]\n  maxAttempts: 3\n  timeoutMs: 3000\n${extra}`;
const client = (name: string, env: string, token: string, bindings: string[]) =>
  `name: ${name}\nenvironment: ${env}\nbindings: [${bindings.map((b) => `"${b}"`).join(", ")}]\ntokens:\n  - { id: t1, hash: "${hashToken(token)}", createdAt: "2026-01-01T00:00:00Z" }\n`;

/** A GET with the path exactly as given (no URL normalisation). */
function rawRequest(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((ok, fail) => {
    const req = httpRequest({ host: hostname, port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', () => ok()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

async function readSecret(providerId: string): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  return execFileSync('git', ['show', `main:secrets/${providerId}.yaml`], { cwd: hubGitdir, encoding: 'utf8' });
}
let hubGitdir = '';
const logs: string[] = [];

describe('proxy failover', () => {
  const tmp = tempDir('sil-proxy-');
  let a: MockUpstream;
  let b: MockUpstream;
  let hub: Hub;
  const prodToken = generateClientToken();
  const devToken = generateClientToken();
  const call = (path: string, body: unknown, token = prodToken, init: RequestInit = {}) =>
    fetch(`${hub.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', cookie: 'session=caller' }, body: JSON.stringify(body), ...init });

  beforeAll(async () => {
    a = await startMockUpstream(() => ({ status: 503, body: { error: { message: 'overloaded' } } }));
    b = await startMockUpstream((r) => ({ status: 200, body: chatCompletion(JSON.parse(r.body || '{}').model ?? '', 'from B') }));
    const dead = await closedPort();
    const data = join(tmp.path, 'data');
    const { paths } = await initDataDir(data);
    const catalog = projectCatalog().catalog;
    const writer = new GitWriter({ gitdir: paths.gitdir, catalog });
    await writer.commit({
      base: null,
      author,
      message: 'providers, bindings, clients',
      changes: {
        'sil.yaml': 'version: 1\nenvironments: [dev, prod]\ndefaults:\n  maxBodyBytes: 4096\n',
        'providers/a.yaml': provider('a', 'prod', `${a.url}/v1`),
        'providers/b.yaml': provider('b', 'prod', `${b.url}/v1`),
        'providers/dead.yaml': provider('dead', 'prod', `http://127.0.0.1:${dead}/v1`),
        'bindings/chat.yaml': binding('chat', 'prod', ['a', 'b']),
        'bindings/refused.yaml': binding('refused', 'prod', ['dead', 'b']),
        'bindings/raw.yaml': 'name: raw\nenvironment: prod\nprotocol: http\ntargets:\n  - { provider: b, service: api }\n',
        'clients/web.yaml': client('web', 'prod', prodToken, ['chat', 'refused', 'raw']),
        'clients/dev-app.yaml': client('dev-app', 'dev', devToken, ['*']),
      },
    });
    const hubId = await loadHubIdentity(paths.ageKey);
    const vault: VaultContext = { gitdir: paths.gitdir, writer, catalog, hub: hubId, author, now: () => new Date() };
    await changeKeys(vault, 'a', (k, kc) => addKey(k, kc, { secret: { apiKey: KEY_A } }));
    await changeKeys(vault, 'b', (k, kc) => addKey(k, kc, { secret: { apiKey: KEY_B } }));
    await changeKeys(vault, 'dead', (k, kc) => addKey(k, kc, { secret: { apiKey: KEY_A } }));
    hubGitdir = paths.gitdir;
    hub = await startHub({ dataDir: data, host: '127.0.0.1', port: 0, log: (l) => logs.push(l), keyMaintenanceMs: 3_600_000 });
    expect(hub.live.snapshot?.keyrings.size).toBe(3);
  });
  afterAll(async () => {
    await hub?.close();
    await a?.close();
    await b?.close();
    tmp.cleanup();
  });

  it('fails over from a 503 to the next target, which gets its own key and never the caller\'s', async () => {
    const res = await call('/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sil-provider')).toBe('b');
    expect(res.headers.get('x-sil-model')).toBe('gpt-4o-mini');
    expect(res.headers.get('x-sil-attempts')).toBe('2');
    expect(res.headers.get('x-sil-failover-reason')).toBe('a: 503');
    expect(res.headers.get('x-sil-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content).toBe('from B');
    const atA = a.received.at(-1)!;
    const atB = b.received.at(-1)!;
    expect(atA.headers.authorization).toBe(`Bearer ${KEY_A}`);
    expect(atB.headers.authorization).toBe(`Bearer ${KEY_B}`);
    expect(atB.url).toBe('/v1/chat/completions');
    expect(JSON.parse(atB.body)).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    for (const r of [atA, atB]) {
      expect(JSON.stringify(r.headers)).not.toContain(prodToken);
      expect(r.headers.cookie).toBeUndefined();
    }
  });

  it('fails over when a target refuses connections, and on 429 with Retry-After', async () => {
    const refused = await call('/v1/chat/completions', { model: 'refused', messages: [] });
    expect(refused.status).toBe(200);
    expect(refused.headers.get('x-sil-failover-reason')).toBe('dead: connect-error');
    a.reply(() => ({ status: 429, headers: { 'retry-after': '30' }, body: { error: { message: 'slow down' } } }));
    const limited = await call('/v1/chat/completions', { model: 'chat', messages: [] });
    expect(limited.headers.get('x-sil-provider')).toBe('b');
    expect(limited.headers.get('x-sil-failover-reason')).toBe('a: 429');
  });

  it('says why every attempt failed, in the message and in x-sil-failover-reason, when none answered', async () => {
    // A pass-through POST without Idempotency-Key gets one attempt: to the refused target.
    const res = await fetch(`${hub.url}/bind/refused/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${prodToken}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(502);
    expect(res.headers.get('x-sil-attempts')).toBe('1');
    expect(res.headers.get('x-sil-failover-reason')).toBe('dead: connect-error');
    const body = (await res.json()) as { error: { code: string; message: string; hint: string } };
    expect(body.error.code).toBe('SIL_PROXY_UPSTREAM');
    expect(body.error.message).toBe('every attempt failed (1 sent): dead: connect-error');
    expect(body.error.hint).toContain('x-sil-failover-reason');
    // Errors before any attempt carry no outcome headers.
    const early = await call('/v1/chat/completions', { model: 'nope', messages: [] });
    expect(early.status).toBe(404);
    expect(early.headers.get('x-sil-attempts')).toBeNull();
  });

  it('waits a short Retry-After before retrying the same target, and moves on at once from a long one', async () => {
    a.reply(() => ({ status: 429, headers: { 'retry-after': '1' }, body: {} }));
    b.reply(() => ({ status: 429, headers: { 'retry-after': '1' }, body: {} }));
    try {
      const started = performance.now();
      const res = await call('/v1/chat/completions', { model: 'chat', messages: [] });
      // a (429, 1 s) → b (429) → a again after waiting its Retry-After.
      expect(res.headers.get('x-sil-attempts')).toBe('3');
      expect(performance.now() - started).toBeGreaterThanOrEqual(900);
      a.reply(() => ({ status: 429, headers: { 'retry-after': '120' }, body: {} }));
      const quick = performance.now();
      const skipped = await call('/v1/chat/completions', { model: 'chat', messages: [] });
      expect(performance.now() - quick).toBeLessThan(900);
      expect(skipped.status).toBe(429);
    } finally {
      b.reply((r) => ({ status: 200, body: chatCompletion(JSON.parse(r.body || '{}').model ?? '', 'from B') }));
      a.reply(() => ({ status: 503, body: {} }));
    }
  });

  it('passes a provider error through when no target is left', async () => {
    b.reply(() => ({ status: 500, body: { error: { message: 'boom' } } }));
    a.reply(() => ({ status: 500, body: { error: { message: 'boom' } } }));
    try {
      const res = await call('/v1/chat/completions', { model: 'chat', messages: [] });
      expect(res.status).toBe(500);
      // maxAttempts 3 over two targets: the third attempt retries the first target.
      expect(res.headers.get('x-sil-attempts')).toBe('3');
      expect(res.headers.get('x-sil-failover-reason')).toBe('a: 500; b: 500; a: 500');
      expect(await res.json()).toEqual({ error: { message: 'boom' } });
    } finally {
      b.reply((r) => ({ status: 200, body: chatCompletion(JSON.parse(r.body || '{}').model ?? '', 'from B') }));
      a.reply(() => ({ status: 503, body: {} }));
    }
  });

  it('pass-through door: /bind/<binding>/<path> with the caller\'s query, method and body', async () => {
    const res = await fetch(`${hub.url}/bind/raw/models?limit=2`, { headers: { authorization: `Bearer ${prodToken}`, accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(b.received.at(-1)!.url).toBe('/v1/models?limit=2');
    expect(b.received.at(-1)!.headers.authorization).toBe(`Bearer ${KEY_B}`);
    // Sent as they are (fetch would resolve the dots itself).
    for (const bad of ['/bind/raw/../admin', '/bind/raw/%2e%2e/admin', '/bind/raw/a/%2E%2E/b', '/bind/raw/a%2fb']) {
      const r = await rawRequest(hub.url, bad, { authorization: `Bearer ${prodToken}` });
      expect(r.status, bad).toBe(400);
      expect((JSON.parse(r.body) as { error: { code: string } }).error.code).toBe('SIL_PROXY_BAD_REQUEST');
    }
    expect(b.received.some((r) => r.url.includes('admin'))).toBe(false);
  });

  it('refuses clearly: no token, a bad token, another environment, unknown binding, bad JSON, too large', async () => {
    const none = await fetch(`${hub.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { type: 'authentication_error', code: 'SIL_PROXY_UNAUTHENTICATED' } });
    expect((await call('/v1/chat/completions', { model: 'chat' }, `${prodToken.slice(0, -1)}x`)).status).toBe(401);
    const dev = await call('/v1/chat/completions', { model: 'chat', messages: [] }, devToken);
    expect(dev.status).toBe(404);
    expect(await dev.json()).toMatchObject({ error: { code: 'SIL_PROXY_UNKNOWN_BINDING' } });
    expect((await call('/v1/chat/completions', { model: 'nope', messages: [] })).status).toBe(404);
    const badJson = await fetch(`${hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${prodToken}` }, body: '{"model": ' });
    expect(badJson.status).toBe(400);
    const big = await call('/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
    expect(big.status).toBe(413);
    const models = await fetch(`${hub.url}/v1/models`, { headers: { authorization: `Bearer ${prodToken}` } });
    expect(((await models.json()) as { data: { id: string }[] }).data.map((m) => m.id).sort()).toEqual(['chat', 'raw', 'refused']);
    const devModels = await fetch(`${hub.url}/v1/models`, { headers: { authorization: `Bearer ${devToken}` } });
    expect(((await devModels.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('records usage and cost from the answer, priced from the catalog', async () => {
    const key = 'web|chat|b|gpt-4o-mini';
    const before = { requests: 0, inputTokens: 0, outputTokens: 0, cost: 0, ...hub.usage.totals.get(key) };
    const res = await call('/v1/chat/completions', { model: 'chat', messages: [] });
    await res.json();
    await new Promise((r) => setTimeout(r, 20));
    const t = hub.usage.totals.get(key)!;
    expect(t.requests - before.requests).toBe(1);
    expect(t.inputTokens - before.inputTokens).toBe(5);
    expect(t.outputTokens - before.outputTokens).toBe(3);
    expect(t.cost - before.cost).toBeCloseTo((5 * 0.15 + 3 * 0.6) / 1e6, 12);
  });

  it('streams SSE through, reads usage from the last event, and ends a cut stream with an error event', async () => {
    const frames = ['data: {"choices":[{"delta":{"content":"he"}}]}\n\n', 'data: {"choices":[{"delta":{"content":"llo"}}]}\n\n', 'data: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":2}}\n\n', 'data: [DONE]\n\n'];
    b.reply(() => ({ status: 200, chunks: frames }));
    try {
      const ok = await call('/v1/chat/completions', { model: 'chat', stream: true, messages: [] });
      expect(ok.headers.get('content-type')).toContain('text/event-stream');
      expect(await ok.text()).toBe(frames.join(''));
      b.reply(() => ({ status: 200, chunks: frames.slice(0, 2), cut: true }));
      const cut = await call('/v1/chat/completions', { model: 'chat', stream: true, messages: [] });
      const text = await cut.text();
      expect(text.startsWith(frames[0] + frames[1])).toBe(true);
      expect(text).toContain('event: error\ndata: {"error":{"message":"the provider\'s stream was cut off","type":"api_error","code":"SIL_PROXY_STREAM_CUT"}}');
      expect(text).not.toContain('[DONE]');
    } finally {
      b.reply((r) => ({ status: 200, body: chatCompletion(JSON.parse(r.body || '{}').model ?? '', 'from B') }));
    }
  });

  it('treats an upstream that answers garbage or never answers as failed, and stays up', async () => {
    const garbage = createServer((socket) => socket.end('this is not HTTP\r\n\r\n'));
    const silent = createServer(() => undefined);
    await new Promise<void>((ok) => garbage.listen(0, '127.0.0.1', () => ok()));
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', () => ok()));
    const port = (s: typeof garbage) => (s.address() as { port: number }).port;
    const writer = new GitWriter({ gitdir: hub.gitdir, catalog: hub.catalog });
    const { commit } = await writer.commit({
      base: null,
      author,
      message: 'hostile upstreams',
      changes: {
        'providers/garbage.yaml': provider('garbage', 'prod', `http://127.0.0.1:${port(garbage)}/v1`),
        'providers/silent.yaml': provider('silent', 'prod', `http://127.0.0.1:${port(silent)}/v1`),
        'bindings/hostile.yaml': binding('hostile', 'prod', ['garbage', 'silent', 'b']).replace('timeoutMs: 3000', 'timeoutMs: 300'),
        'clients/web.yaml': client('web', 'prod', prodToken, ['chat', 'refused', 'raw', 'hostile']),
        'secrets/garbage.yaml': await readSecret('a'),
        'secrets/silent.yaml': await readSecret('a'),
      },
    });
    try {
      const started = Date.now();
      while (hub.live.snapshot?.commit !== commit && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
      const res = await call('/v1/chat/completions', { model: 'hostile', messages: [] });
      expect(res.status, logs.filter((l) => l.startsWith('proxy:')).join('\n')).toBe(200);
      expect(res.headers.get('x-sil-failover-reason')).toMatch(/^garbage: connect-error; silent: timeout \((first-byte|total)\)$/);
      expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    } finally {
      garbage.close();
      silent.close();
    }
  });

  it('records requests without bodies or secrets', () => {
    const entries = hub.requestLog.list(100);
    expect(entries.length).toBeGreaterThan(5);
    expect(entries.find((e) => e.provider === 'b' && e.binding === 'chat')).toMatchObject({ client: 'web', door: 'unified', status: 200 });
    const text = JSON.stringify(entries);
    for (const secret of [KEY_A, KEY_B, prodToken, devToken]) expect(text).not.toContain(secret);
  });
});
