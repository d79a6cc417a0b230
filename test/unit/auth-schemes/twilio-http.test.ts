// Round trip over real HTTP: a node:http server on 127.0.0.1 checks HTTP Basic the way Twilio
// does (decode, split at the first colon, compare the Account SID and auth token); requests are
// rendered by renderRequest from the twilio catalog template and sent with fetch.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { loadCatalog } from '../../../server/config/catalog.ts';
import { renderRequest } from '../../../server/auth-schemes/render-request.ts';
import type { AuthContext, RequestParts } from '../../../server/auth-schemes/types.ts';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = '0123456789abcdef0123456789abcdef';

const twilio = loadCatalog().catalog.get('twilio')!;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Twilio's check: Basic credentials of the account whose SID is in the path. */
function authorized(req: IncomingMessage): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(header);
  if (!m) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  return same(decoded.slice(0, colon), SID) && same(decoded.slice(colon + 1), TOKEN);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!authorized(req)) {
        send(res, 401, { code: 20003, message: 'Authenticate', status: 401 }, { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
        return;
      }
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === `/2010-04-01/Accounts/${SID}.json`) {
        send(res, 200, { sid: SID, status: 'active' });
      } else if (req.method === 'POST' && path === `/2010-04-01/Accounts/${SID}/Messages.json` && req.headers['content-type'] === 'application/x-www-form-urlencoded') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        send(res, 201, { sid: 'SM0001', to: form.get('To'), body: form.get('Body') });
      } else {
        send(res, 404, { code: 20404, message: 'not found', status: 404 });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/2010-04-01`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const ctx = (authToken: string): AuthContext => ({ connection: { accountSid: SID, baseUrl }, secret: { authToken }, now: () => new Date() });

/** The template's health check, against the instance's base URL (connection.baseUrl). */
function healthCheck(authToken: string): RequestParts {
  const hc = twilio.healthCheck!;
  return renderRequest({ baseUrl: '${connection.baseUrl}', path: hc.path, method: hc.method, headers: { ...twilio.headers, ...hc.headers }, query: hc.query, body: hc.body, auth: twilio.auth }, ctx(authToken));
}

const call = (r: RequestParts) => fetch(r.url, { method: r.method, headers: r.headers, body: r.body });

describe('twilio basic auth over HTTP', () => {
  it('the rendered health check gets 200', async () => {
    const req = healthCheck(TOKEN);
    expect(req.url.href).toBe(`${baseUrl}/Accounts/${SID}.json`);
    const res = await call(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sid: SID, status: 'active' });
  });

  it('a wrong auth token gets 401', async () => {
    const res = await call(healthCheck('ffffffffffffffffffffffffffffffff'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="Twilio API"');
    expect(await res.json()).toMatchObject({ code: 20003 });
  });

  it('a form-encoded message POST carries its body and the credentials', async () => {
    const service = twilio.services.find((s) => s.id === 'messages')!;
    const req = renderRequest({
      baseUrl: '${connection.baseUrl}',
      path: service.path,
      method: 'POST',
      headers: { ...twilio.headers, ...service.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new TextEncoder().encode(new URLSearchParams({ To: '+15005550006', Body: 'hello ${secret.authToken}' }).toString()),
      auth: service.auth ?? twilio.auth,
    }, ctx(TOKEN));
    const res = await call(req);
    expect(res.status).toBe(201);
    // Caller bytes are sent as they are: a placeholder in them is not filled in.
    expect(await res.json()).toEqual({ sid: 'SM0001', to: '+15005550006', body: 'hello ${secret.authToken}' });
  });
});
