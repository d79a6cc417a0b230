// A provider that mints and revokes API keys, for rotation tests: a real node:http server on
// 127.0.0.1 (a free port). Bearer auth with a live key:
//   POST   /v1/keys      → 201 {"id": "key_<n>", "secret": "mk-<32 random>"}   (or `answer(key)`)
//   DELETE /v1/keys/:id  → 204, the key stops working; 404 for a key it does not know (any more)
//   GET    /v1/models    → 200 with a live key, 401 otherwise (tells which keys work)
// It starts with one seeded key (key_1).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface MintedKey { id: string; secret: string }

export interface MockKeyProvider {
  /** http://127.0.0.1:<port> (the API lives below /v1). */
  url: string;
  /** The key the provider starts with. */
  seed: MintedKey;
  /** Keys that work now. */
  liveKeys(): MintedKey[];
  /** Every key it ever minted, revoked ones included (to prove none leaked anywhere). */
  mintedKeys(): MintedKey[];
  /** Every request: method, path, and the id of the key that authenticated it (null: none or a dead one). */
  requests: { method: string; path: string; keyId: string | null }[];
  /** The next request gets this answer instead (once). */
  failNext(status: number, body: string, contentType?: string): void;
  /** GET /v1/models with `secret` as the bearer token: 200 when the key works, 401 otherwise. */
  modelsStatus(secret: string): Promise<number>;
  close(): Promise<void>;
}

export async function startMockKeyProvider(opts: { answer?: (key: MintedKey) => unknown } = {}): Promise<MockKeyProvider> {
  const live = new Map<string, string>(); // id → secret
  const minted: MintedKey[] = [];
  const mint = (): MintedKey => {
    const key = { id: `key_${minted.length + 1}`, secret: `mk-${randomBytes(24).toString('base64url')}` };
    minted.push(key);
    live.set(key.id, key.secret);
    return key;
  };
  const seed = mint();
  const requests: MockKeyProvider['requests'] = [];
  let failure: { status: number; body: string; contentType: string } | null = null;

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) res.writeHead(status).end();
    else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://mock').pathname;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const keyId = token === undefined ? null : ([...live].find(([, s]) => s === token)?.[0] ?? null);
    requests.push({ method: req.method ?? '', path, keyId });
    if (failure) {
      const f = failure;
      failure = null;
      return void res.writeHead(f.status, { 'content-type': f.contentType }).end(f.body);
    }
    if (!keyId) return send(res, 401, { error: { message: 'invalid or revoked API key' } });
    if (req.method === 'GET' && path === '/v1/models') return send(res, 200, { data: [{ id: 'mock-model' }] });
    if (req.method === 'POST' && path === '/v1/keys') {
      const key = mint();
      return send(res, 201, opts.answer ? opts.answer(key) : key);
    }
    const del = /^\/v1\/keys\/([^/]+)$/.exec(path);
    if (req.method === 'DELETE' && del) {
      if (!live.delete(decodeURIComponent(del[1]))) return send(res, 404, { error: { message: 'no such key' } });
      return send(res, 204);
    }
    send(res, 404, { error: { message: 'not found' } });
  };

  const server = createServer((req, res) => {
    // Read (and drop) the body before answering.
    req.resume();
    req.on('end', () => handle(req, res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    seed,
    requests,
    liveKeys: () => [...live].map(([id, secret]) => ({ id, secret })),
    mintedKeys: () => minted.map((k) => ({ ...k })),
    failNext(status, body, contentType = 'application/json') {
      failure = { status, body, contentType };
    },
    async modelsStatus(secret) {
      const res = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${secret}` }, signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      return res.status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
