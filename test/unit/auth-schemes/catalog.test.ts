// The static auth schemes against the real catalog templates: each request is built the way
// the hub will build it (service over template, auth option, health check) with renderRequest.
import { describe, it, expect } from 'vitest';
import { loadCatalog } from '../../../server/config/catalog.ts';
import { renderRequest } from '../../../server/auth-schemes/render-request.ts';
import { LATER_SCHEMES } from '../../../server/auth-schemes/registry.ts';
import type { AuthContext, RequestParts } from '../../../server/auth-schemes/types.ts';
import { SilError } from '../../../server/errors.ts';
import { caughtSync as caught } from '../../helpers/caught.ts';

const { catalog } = loadCatalog();

type Connection = Record<string, string | number | boolean>;
interface Call {
  connection?: Connection;
  secret?: Record<string, string>;
  model?: string;
  authOption?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

function template(id: string) {
  const t = catalog.get(id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
}

function context(id: string, call: Call): AuthContext {
  const connection: Connection = {};
  for (const [name, field] of Object.entries(template(id).connection ?? {})) if (field.default !== undefined) connection[name] = field.default;
  return { connection: { ...connection, ...call.connection }, secret: call.secret ?? {}, model: call.model, keyId: 'key-1', now: () => new Date(0) };
}

function authOf(id: string, call: Call) {
  const t = template(id);
  return call.authOption ? t.authOptions![call.authOption].auth : t.auth;
}

/** The health check an instance with `call.authOption` runs: the option's own, else the template's. */
function checkOf(id: string, call: Call) {
  const t = template(id);
  return (call.authOption && t.authOptions![call.authOption].healthCheck) || t.healthCheck;
}

/** The base URL without a service's own: connection.baseUrl, the option's, the template's. */
function providerBase(id: string, call: Call, ctx: AuthContext): string {
  const t = template(id);
  const option = call.authOption ? t.authOptions![call.authOption].baseUrl : undefined;
  return (ctx.connection.baseUrl as string | undefined) ?? option ?? t.baseUrl;
}

/** A request of service `service`, as the proxy will build it from the compiled provider. */
function serviceRequest(id: string, service: string, call: Call = {}): RequestParts {
  const t = template(id);
  const s = t.services.find((x) => x.id === service);
  if (!s) throw new Error(`${id} has no service ${service}`);
  const ctx = context(id, call);
  return renderRequest({
    baseUrl: s.baseUrl ?? providerBase(id, call, ctx),
    path: s.path,
    method: call.method,
    headers: { ...t.headers, ...s.headers, ...call.headers },
    query: { ...t.query, ...s.query },
    body: call.body,
    auth: s.auth ?? authOf(id, call),
  }, ctx);
}

/** The template's health check request. */
function healthRequest(id: string, call: Call = {}): RequestParts {
  const t = template(id);
  const hc = checkOf(id, call)!;
  const ctx = context(id, call);
  return renderRequest({
    baseUrl: hc.baseUrl ?? providerBase(id, call, ctx),
    path: hc.path,
    method: hc.method,
    headers: { ...t.headers, ...hc.headers },
    query: { ...t.query, ...hc.query },
    body: hc.body,
    auth: hc.auth === false ? null : authOf(id, call),
  }, ctx);
}


const OPENAI_KEY = 'sk-test-0123456789abcdefghijKLMN';
const ANTHROPIC_KEY = 'sk-ant-api03-test0123456789abcdefghij';
const TWILIO_SID = 'AC0123456789abcdef0123456789abcdef';
const TWILIO_TOKEN = 'fedcba9876543210fedcba9876543210';

describe('bearer: openai', () => {
  it('sends Authorization: Bearer <apiKey> below the base URL\'s /v1', () => {
    const req = serviceRequest('openai', 'chat', { secret: { apiKey: OPENAI_KEY }, method: 'post', headers: { 'Content-Type': 'application/json' }, body: '{"model":"gpt-4o"}' });
    expect(req.method).toBe('POST');
    expect(req.url.href).toBe('https://api.openai.com/v1/chat/completions');
    expect(req.headers).toEqual({ Authorization: `Bearer ${OPENAI_KEY}`, 'Content-Type': 'application/json' });
    expect(req.body).toBe('{"model":"gpt-4o"}');
  });

  it('drops OpenAI-Organization and OpenAI-Project when the optional fields are unset', () => {
    const req = healthRequest('openai', { secret: { apiKey: OPENAI_KEY } });
    expect(req.url.href).toBe('https://api.openai.com/v1/models');
    expect(Object.keys(req.headers)).toEqual(['Authorization']);
  });

  it('sends OpenAI-Organization when organization is set', () => {
    const req = healthRequest('openai', { secret: { apiKey: OPENAI_KEY }, connection: { organization: 'org-AbC123' } });
    expect(req.headers).toEqual({ 'OpenAI-Organization': 'org-AbC123', Authorization: `Bearer ${OPENAI_KEY}` });
  });

  it('uses an instance base URL (connection.baseUrl) and keeps its path', () => {
    const req = serviceRequest('openai', 'embeddings', { secret: { apiKey: OPENAI_KEY }, connection: { baseUrl: 'http://127.0.0.1:9901/v1/' } });
    expect(req.url.href).toBe('http://127.0.0.1:9901/v1/embeddings');
  });
});

describe('header: anthropic', () => {
  it('sends x-api-key and the template\'s anthropic-version, no Authorization', () => {
    const req = serviceRequest('anthropic', 'messages', { secret: { apiKey: ANTHROPIC_KEY } });
    expect(req.url.href).toBe('https://api.anthropic.com/v1/messages');
    expect(req.headers).toEqual({ 'anthropic-version': '2023-06-01', 'x-api-key': ANTHROPIC_KEY });
  });

  it('uses the service\'s own auth: bearer for openai-compat, the admin key for admin', () => {
    expect(serviceRequest('anthropic', 'openai-compat', { secret: { apiKey: ANTHROPIC_KEY } }).headers.Authorization).toBe(`Bearer ${ANTHROPIC_KEY}`);
    const admin = serviceRequest('anthropic', 'admin', { secret: { apiKey: ANTHROPIC_KEY, adminKey: 'sk-ant-admin01-test0123456789' } });
    expect(admin.headers['x-api-key']).toBe('sk-ant-admin01-test0123456789');
  });

  it('a missing credential names it and leaks none of the others', () => {
    const err = caught(() => serviceRequest('anthropic', 'admin', { secret: { apiKey: ANTHROPIC_KEY } }));
    expect(err.code).toBe('SIL_AUTH_MISSING_SECRET');
    expect(err.status).toBe(500);
    expect(err.message).toContain('"adminKey"');
    const everything = [err.message, err.hint, err.stack, JSON.stringify(err), JSON.stringify(err.toJSON()), String(err.cause ?? '')].join('\n');
    expect(everything).not.toContain(ANTHROPIC_KEY);
    expect(everything).not.toContain('sk-ant');
  });
});

describe('basic: twilio', () => {
  const decode = (h: string) => Buffer.from(h.replace(/^Basic /, ''), 'base64').toString('utf8');

  it('sends Basic base64(accountSid:authToken) with the SID in the path', () => {
    const req = serviceRequest('twilio', 'messages', {
      connection: { accountSid: TWILIO_SID }, secret: { authToken: TWILIO_TOKEN }, method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new TextEncoder().encode('To=%2B15005550006&Body=hi'),
    });
    expect(req.url.href).toBe(`https://api.twilio.com/2010-04-01/Accounts/${TWILIO_SID}/Messages.json`);
    expect(req.headers.Authorization).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
    expect(decode(req.headers.Authorization)).toBe(`${TWILIO_SID}:${TWILIO_TOKEN}`);
    expect(new TextDecoder().decode(req.body as Uint8Array)).toBe('To=%2B15005550006&Body=hi');
  });

  it("the api-key option sends the API key SID and secret, to the option's own check (standard keys cannot read the account)", () => {
    const req = healthRequest('twilio', { authOption: 'api-key', connection: { accountSid: TWILIO_SID }, secret: { apiKeySid: 'SK0123', apiKeySecret: 's3cr3t' } });
    expect(req.url.href).toBe(`https://api.twilio.com/2010-04-01/Accounts/${TWILIO_SID}/Messages.json?PageSize=1`);
    expect(decode(req.headers.Authorization)).toBe('SK0123:s3cr3t');
  });

  it('an empty password is allowed (stripe\'s basic option: secret key, no password)', () => {
    const req = serviceRequest('stripe', 'customers', { authOption: 'basic', secret: { secretKey: 'sk_test_123' } });
    expect(decode(req.headers.Authorization)).toBe('sk_test_123:');
  });
});

describe('authorization: messagebird', () => {
  it('sends Authorization: AccessKey <key>', () => {
    const req = healthRequest('messagebird', { secret: { accessKey: 'live_AbC123' } });
    expect(req.url.href).toBe('https://rest.messagebird.com/balance');
    expect(req.headers).toEqual({ Authorization: 'AccessKey live_AbC123' });
  });

  it('renders the Bird workspace base URL of the bird service', () => {
    const ws = '01234567-89ab-cdef-0123-456789abcdef';
    const req = serviceRequest('messagebird', 'bird', { connection: { workspaceId: ws }, secret: { accessKey: 'k' } });
    expect(req.url.href).toBe(`https://api.bird.com/workspaces/${ws}/`);
  });
});

describe('query: google-maps', () => {
  const KEY = 'AIzaSyTEST_0123456789abcdefghijklmnopq';

  it('adds ?key= after the health check\'s own parameters', () => {
    const req = healthRequest('google-maps', { secret: { apiKey: KEY } });
    expect(req.url.origin + req.url.pathname).toBe('https://maps.googleapis.com/maps/api/geocode/json');
    expect([...req.url.searchParams]).toEqual([['address', '1600 Amphitheatre Parkway, Mountain View, CA'], ['key', KEY]]);
    expect(req.headers).toEqual({});
  });

  it('the places service sends the key in X-Goog-Api-Key instead', () => {
    const req = serviceRequest('google-maps', 'places', { secret: { apiKey: KEY } });
    expect(req.url.href).toBe('https://places.googleapis.com/v1/');
    expect(req.headers).toEqual({ 'X-Goog-Api-Key': KEY });
  });
});

describe('body: mailchimp-transactional', () => {
  it('puts the key into the health check\'s JSON body', () => {
    const req = healthRequest('mailchimp-transactional', { secret: { apiKey: 'md-test123' } });
    expect(req.method).toBe('POST');
    expect(req.url.href).toBe('https://mandrillapp.com/api/1.0/users/ping');
    expect(req.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(req.body as string)).toEqual({ key: 'md-test123' });
  });

  it('merges the key into a caller\'s JSON body, replacing a key the caller sent', () => {
    const body = new TextEncoder().encode(JSON.stringify({ key: 'callers-own', message: { text: 'hi', to: [{ email: 'a@example.test' }] } }));
    const req = serviceRequest('mailchimp-transactional', 'messages-send', { secret: { apiKey: 'md-test123' }, method: 'POST', body });
    expect(JSON.parse(req.body as string)).toEqual({ key: 'md-test123', message: { text: 'hi', to: [{ email: 'a@example.test' }] } });
  });
});

describe('path: telegram', () => {
  const TOKEN = '123456789:AAHtest_0123456789abcdefghijklmnopq';

  it('puts the bot token into the base URL and sends no auth header', () => {
    const req = healthRequest('telegram', { secret: { botToken: TOKEN } });
    expect(req.url.href).toBe(`https://api.telegram.org/bot${TOKEN}/getMe`);
    expect(req.headers).toEqual({});
  });

  it('a missing token names the credential, not a URL', () => {
    const err = caught(() => serviceRequest('telegram', 'send-message', { secret: {} }));
    expect(err.code).toBe('SIL_AUTH_MISSING_SECRET');
    expect(err.message).toMatch(/base URL.*"botToken"/);
  });
});

describe('header + key in the path: algolia health check', () => {
  it('GET /1/keys/<key> with both headers; a key holding / + = stays one path segment', () => {
    const plain = healthRequest('algolia', { connection: { applicationId: 'LATENCY123' }, secret: { apiKey: '0123456789abcdef0123456789abcdef' } });
    expect(plain.url.href).toBe('https://LATENCY123.algolia.net/1/keys/0123456789abcdef0123456789abcdef'.replace('LATENCY123', 'latency123'));
    expect(plain.headers).toMatchObject({ 'X-Algolia-Application-Id': 'LATENCY123', 'X-Algolia-API-Key': '0123456789abcdef0123456789abcdef' });
    const secured = 'YTk0ZDk2MmQ/ZmlsdGVycz1fdGFncyUzQXVzZXI+MQ==';
    const req = healthRequest('algolia', { connection: { applicationId: 'LATENCY123' }, secret: { apiKey: secured } });
    expect(req.url.pathname).toBe('/1/keys/YTk0ZDk2MmQ%2FZmlsdGVycz1fdGFncyUzQXVzZXI+MQ==');
    expect(decodeURIComponent(req.url.pathname.split('/')[3])).toBe(secured);
  });
});

describe('the whole catalog', () => {
  /** Every declared connection field (default, else example) and credential (a fake value). */
  function fullCall(id: string, authOption?: string): Call {
    const t = template(id);
    const connection: Connection = {};
    for (const [name, f] of Object.entries(t.connection ?? {})) {
      const v = f.default ?? f.example;
      if (v !== undefined) connection[name] = v;
    }
    const secret: Record<string, string> = {};
    for (const name of Object.keys(t.credentials ?? {})) secret[name] = `fake-${name}`;
    for (const o of Object.values(t.authOptions ?? {})) for (const name of Object.keys(o.credentials ?? {})) secret[name] = `fake-${name}`;
    return { connection, secret, model: 'some-model', authOption, method: 'POST' };
  }

  it('renders every service and health check, or refuses exactly the schemes the proxy issue adds', () => {
    const failures: string[] = [];
    let rendered = 0;
    for (const t of catalog.values()) {
      for (const option of [undefined, ...Object.keys(t.authOptions ?? {})]) {
        const call = fullCall(t.id, option);
        const tries: [string, string, () => RequestParts][] = t.services.map((s) => [s.id, (s.auth ?? authOf(t.id, call)).type, () => serviceRequest(t.id, s.id, call)]);
        const check = checkOf(t.id, call);
        if (check?.kind === 'request') tries.push(['healthCheck', check.auth === false ? 'none' : authOf(t.id, call).type, () => healthRequest(t.id, call)]);
        for (const [what, type, build] of tries) {
          const where = `${t.id}${option ? `[${option}]` : ''} ${what} (${type})`;
          try {
            const req = build();
            rendered++;
            if (req.url.href.includes('${') || Object.values(req.headers).some((v) => v.includes('${'))) failures.push(`${where}: placeholder left`);
            if (LATER_SCHEMES.includes(type)) failures.push(`${where}: rendered a scheme that should be refused`);
          } catch (err) {
            if (!(err instanceof SilError) || err.code !== 'SIL_AUTH_UNSUPPORTED' || !LATER_SCHEMES.includes(type)) failures.push(`${where}: ${String(err)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(rendered).toBeGreaterThan(150);
  });
});
