// For the two-instances-behind-nginx test: an OpenAI-style provider mock, two data directories
// with one config (the second a copy of the first: same config and identity), `sil start`
// children, and steady callers that check every answer in full.
import { createServer, type Server } from 'node:http';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestDataDir } from '../../helpers/test-data-dir.ts';
import { spawnSil, type SilProcess } from '../../helpers/sil-process.ts';
import type { AccessEntry } from '../../helpers/nginx.ts';

export const STREAM_PARTS = 5;

/** Answers chat completions after 20–60 ms (streamed: 5 parts 30 ms apart), echoing the caller's nonce; counts each nonce. */
export async function startProviderMock(): Promise<{ url: string; calls: Map<string, number>; close(): Promise<void> }> {
  const calls = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      if (req.method === 'GET') return void res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model' }] }));
      const body = JSON.parse(text || '{}') as { stream?: boolean; messages?: { content: string }[] };
      const nonce = body.messages?.[0]?.content ?? '';
      calls.set(nonce, (calls.get(nonce) ?? 0) + 1);
      const alive = () => !res.destroyed;
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        let i = 0;
        const next = () => {
          if (!alive()) return;
          if (i === STREAM_PARTS) return void res.end('data: [DONE]\n\n');
          res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: `${nonce}#${i++};` }, finish_reason: null }] })}\n\n`);
          setTimeout(next, 30);
        };
        return next();
      }
      setTimeout(() => {
        if (!alive()) return;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: `echo:${nonce}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } }));
      }, 20 + Math.floor(Math.random() * 40));
    });
    res.on('error', () => {});
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    calls,
    close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  };
}

/** Data directory `a` with a provider at the mock, a binding `chat`, a client token and nginx as trusted proxy; `b` a copy of it. */
export async function prepareDataDirs(root: string, providerUrl: string): Promise<{ a: string; b: string; token: string }> {
  const a = join(root, 'a');
  const { token } = await makeTestDataDir(a, {
    'sil.yaml': 'version: 1\nname: sil\nenvironments: [prod]\nsecurity:\n  trustedProxies: [127.0.0.1]\n',
    'providers/mock.yaml': `id: mock\ntemplate: openai\nname: mock\nenvironment: prod\nconnection:\n  baseUrl: ${providerUrl}/v1\n`,
    'bindings/chat.yaml': 'name: chat\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: mock, model: gpt-4o-mini }\nfailover:\n  timeoutMs: 10000\n',
  }, { mock: { apiKey: `sk-proj-${'k'.repeat(40)}` } }, 'two instances behind nginx');
  const b = join(root, 'b');
  cpSync(a, b, { recursive: true });
  return { a, b, token };
}

export interface Instance { name: string; dataDir: string; port: number; proc: SilProcess }
const LISTENING = /sil listening on http:\/\/127\.0\.0\.1:(\d+)/;

/** `sil start` as one process (the hub flags given, so no launcher): SIGKILL and SIGTERM reach the hub itself. */
export async function startInstance(name: string, dataDir: string, port = 0): Promise<Instance> {
  const proc = spawnSil(['start', '--data', dataDir, '--host', '127.0.0.1', '--port', String(port)], {
    nodeArgs: ['--max-semi-space-size=32'],
    env: { SIL_HEALTH_PROBES: 'off', SIL_INSTANCE_NAME: name },
  });
  const [, listening] = await proc.waitFor(LISTENING, 60_000);
  return { name, dataDir, port: Number(listening), proc };
}

export type Kind = 'chat' | 'stream' | 'models' | 'healthz';
export interface Failure { kind: Kind; detail: string }
export interface LoadResult { requests: number; byKind: Record<Kind, number>; failures: Failure[]; startedAt: number; endedAt: number }

/** One request of `kind` through `url`, checked in full; null when it was right, else what was wrong. */
async function callOnce(url: string, token: string, kind: Kind, nonce: string): Promise<string | null> {
  const auth = { authorization: `Bearer ${token}` };
  const chat = (stream: boolean) => fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', stream, messages: [{ role: 'user', content: nonce }] }), signal: AbortSignal.timeout(20_000) });
  const res = kind === 'chat' ? await chat(false) : kind === 'stream' ? await chat(true) : await fetch(`${url}${kind === 'models' ? '/v1/models' : '/healthz'}`, { headers: auth, signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  if (res.status !== 200) return `${res.status} ${text.slice(0, 200)}`;
  if (kind === 'chat') return (JSON.parse(text) as { choices: { message: { content: string } }[] }).choices[0].message.content === `echo:${nonce}` ? null : `wrong body ${text.slice(0, 200)}`;
  if (kind === 'stream') {
    const parts = Array.from({ length: STREAM_PARTS }, (_, i) => `${nonce}#${i};`);
    let at = 0;
    for (const p of parts) {
      at = text.indexOf(p, at);
      if (at < 0) return `stream without ${p}: ${text.slice(-200)}`;
    }
    return text.trimEnd().endsWith('data: [DONE]') ? null : `stream not ended: ${text.slice(-200)}`;
  }
  if (kind === 'models') return (JSON.parse(text) as { data: { id: string }[] }).data.some((m) => m.id === 'chat') ? null : `no binding chat in ${text.slice(0, 200)}`;
  return (JSON.parse(text) as { status: string }).status === 'ok' ? null : `healthz ${text.slice(0, 200)}`;
}

/**
 * `callers` concurrent callers, each sending the kinds in turn until stop() (or `maxMs`), each
 * request bounded by 20 s. done resolves once every caller has finished its last request.
 */
export function startLoad(url: string, token: string, kinds: Kind[], callers = 30, maxMs = 60_000): { stop(): void; done: Promise<LoadResult> } {
  let stopped = false;
  const startedAt = Date.now();
  const deadline = startedAt + maxMs;
  const byKind: Record<Kind, number> = { chat: 0, stream: 0, models: 0, healthz: 0 };
  const failures: Failure[] = [];
  let requests = 0;
  const caller = async (c: number) => {
    for (let i = 0; !stopped && Date.now() < deadline; i++) {
      const kind = kinds[(i + c) % kinds.length];
      const nonce = `c${c}-${i}-${startedAt}`;
      requests++;
      byKind[kind]++;
      const wrong = await callOnce(url, token, kind, nonce).catch((err: Error) => `${err.name}: ${err.message} ${(err.cause as Error | undefined)?.message ?? ''}`);
      if (wrong) failures.push({ kind, detail: wrong });
    }
  };
  const done = Promise.all(Array.from({ length: callers }, (_, c) => caller(c))).then(() => ({ requests, byKind, failures, startedAt, endedAt: Date.now() }));
  return { stop: () => (stopped = true), done };
}

/** Answers per instance (the instance nginx last tried) among access-log entries in [from, to). */
export function shares(entries: AccessEntry[], instances: Instance[], from: number, to: number, uri?: RegExp): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(instances.map((i) => [i.name, 0]));
  for (const e of entries) {
    if (e.atMs < from || e.atMs >= to || (uri && !uri.test(e.uri))) continue;
    const last = e.upstreams.at(-1);
    const inst = instances.find((i) => last === `127.0.0.1:${i.port}`);
    if (inst) out[inst.name]++;
  }
  return out;
}
