// The connect-time address check: a provider host that resolves to a link-local or cloud
// metadata address is refused before a connection is made, also when it resolved elsewhere
// before (DNS rebinding). Names are resolved by a stand-in; the only address ever connected to
// is 127.0.0.1.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import { createUpstream, type Upstream } from '../../../server/proxy/upstream.ts';
import { guardedLookup, type LookupFn } from '../../../server/proxy/guarded-lookup.ts';

const limits = { connectMs: 1000, firstByteMs: 1000, totalMs: 2000 };
let server: Server;
let port: number;
let upstream: Upstream;
const asked: string[] = [];
const refused: string[] = [];
let rebindCount = 0;

/** A resolver of made-up names, answering the way dns.lookup does (one address, or all). */
const fakeLookup: LookupFn = (hostname, options, callback) => {
  asked.push(hostname);
  const table: Record<string, string[]> = {
    'provider.test': ['127.0.0.1'],
    'metadata.test': ['169.254.169.254'],
    'mixed.test': ['127.0.0.1', 'fe80::1'],
  };
  // First the provider's address, then (the name moved) the metadata endpoint.
  if (hostname === 'rebind.test') table[hostname] = [rebindCount++ === 0 ? '127.0.0.1' : '169.254.169.254'];
  const found = table[hostname];
  if (!found) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
  const list: LookupAddress[] = found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  if (options.all) callback(null, list);
  else callback(null, list[0].address, list[0].family);
};

beforeAll(async () => {
  // Every answer closes its connection, so each request connects (and resolves) again.
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '11', connection: 'close' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  port = (server.address() as { port: number }).port;
  upstream = createUpstream({ lookup: guardedLookup({ allowPrivate: () => false, lookup: fakeLookup, onRefused: (host, address) => refused.push(`${host}=${address}`) }) });
});
afterAll(async () => {
  await upstream.close();
  server.closeAllConnections();
  server.close();
});

const get = (host: string) => upstream.send({ method: 'GET', origin: `http://${host}:${port}`, path: '/', headers: {} }, limits);

describe('connect-time address check', () => {
  it('connects to a host that resolves to an allowed address', async () => {
    const r = await get('provider.test');
    expect(r.kind === 'response' && r.status).toBe(200);
    expect(asked).toContain('provider.test');
  });

  it('refuses a host that resolves to a cloud metadata address, as a connect error', async () => {
    expect(await get('metadata.test')).toEqual({ kind: 'connect-error', detail: 'SIL_FORBIDDEN_ADDRESS' });
    expect(refused).toContain('metadata.test=169.254.169.254');
  });

  it('refuses a host when any of its addresses is link-local', async () => {
    expect(await get('mixed.test')).toEqual({ kind: 'connect-error', detail: 'SIL_FORBIDDEN_ADDRESS' });
    expect(refused).toContain('mixed.test=fe80::1');
  });

  it('refuses a host whose name moved to a metadata address after it was used (DNS rebinding)', async () => {
    const first = await get('rebind.test');
    expect(first.kind === 'response' && first.status).toBe(200);
    expect(await get('rebind.test')).toEqual({ kind: 'connect-error', detail: 'SIL_FORBIDDEN_ADDRESS' });
    expect(refused).toContain('rebind.test=169.254.169.254');
  });

  it('passes every address on when security.allowPrivateBaseUrls is set, and lookup errors as they are', async () => {
    let allow = true;
    const lookup = guardedLookup({ allowPrivate: () => allow, lookup: fakeLookup });
    const answer = (host: string, all: boolean) => new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((ok) => lookup(host, { all }, (err, address) => ok({ err, address })));
    expect(await answer('metadata.test', false)).toEqual({ err: null, address: '169.254.169.254' });
    expect((await answer('nowhere.test', true)).err?.code).toBe('ENOTFOUND');
    allow = false;
    expect((await answer('metadata.test', true)).err?.code).toBe('SIL_FORBIDDEN_ADDRESS');
    expect((await answer('provider.test', true)).address).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });
});
