// Token requests go through the same connect-time address check as provider requests: a token
// endpoint whose name resolves to a cloud metadata address is never connected to. Names are
// resolved by a stand-in; the only address connected to is 127.0.0.1.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { tokenFetch, type TokenFetch } from '../../../server/auth-schemes/token-fetch.ts';
import { guardedLookup, type LookupFn } from '../../../server/proxy/guarded-lookup.ts';

let server: Server;
let port: number;
let tf: TokenFetch;
const fakeLookup: LookupFn = (hostname, options, callback) => {
  const address = hostname === 'idp.test' ? '127.0.0.1' : '169.254.169.254';
  if (options.all) callback(null, [{ address, family: 4 }]);
  else callback(null, address, 4);
};

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"access_token":"at-1","token_type":"Bearer","expires_in":3600}');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  port = (server.address() as { port: number }).port;
  tf = tokenFetch(guardedLookup({ allowPrivate: () => false, lookup: fakeLookup }));
});
afterAll(async () => {
  await tf.close();
  server.closeAllConnections();
  server.close();
});

describe('token fetch', () => {
  it('fetches a token from an endpoint at an allowed address', async () => {
    const res = await tf.fetch(new URL(`http://idp.test:${port}/token`), { method: 'POST', body: 'grant_type=client_credentials' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ access_token: 'at-1' });
  });

  it('refuses an endpoint whose name resolves to a metadata address', async () => {
    const err = await tf.fetch(new URL(`http://metadata.test:${port}/token`), { method: 'POST', body: 'x' }).then(() => null, (e: unknown) => e as { cause?: { code?: string } });
    expect(err?.cause?.code).toBe('SIL_FORBIDDEN_ADDRESS');
  });
});
