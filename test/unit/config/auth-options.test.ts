// What an auth option may carry besides its auth: its own base URL (used when the instance sets
// no connection.baseUrl) and its own health check (replacing the template's). Plus the template
// checks of the schema extensions that need more than the schema: `derive` and an hmac-signature
// algorithm picked by a connection field.
import { describe, it, expect } from 'vitest';
import { validateSource } from '../../../server/config/validate.ts';
import { compileSnapshot } from '../../../server/config/compile.ts';
import { memorySource } from '../../../server/config/sources/memory-source.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { SETTINGS } from '../../helpers/config-files.ts';

const catalog = projectCatalog().catalog;

async function validate(files: Record<string, string>) {
  return validateSource(memorySource({ 'sil.yaml': SETTINGS, ...files }), catalog);
}

async function provider(yaml: string) {
  const r = await validate({ 'providers/p.yaml': `id: p\nname: P\nenvironment: prod\n${yaml}` });
  expect(r.errors).toEqual([]);
  return compileSnapshot(r.model, r.definitions, { commit: 'c', loadedAt: '2026-01-01T00:00:00.000Z', warnings: r.warnings }).providers.get('p')!;
}

describe('auth options: health check and base URL', () => {
  it("twilio api-key: the option's check (Messages.json) replaces the template's (Accounts/{sid}.json)", async () => {
    const conn = 'connection: { accountSid: AC0123456789abcdef0123456789abcdef }\n';
    const plain = await provider(`template: twilio\n${conn}`);
    expect(plain.healthCheck).toMatchObject({ kind: 'request', path: '/Accounts/${connection.accountSid}.json' });
    const apiKey = await provider(`template: twilio\nauthOption: api-key\n${conn}`);
    expect(apiKey.healthCheck).toMatchObject({ kind: 'request', path: '/Accounts/${connection.accountSid}/Messages.json', query: { PageSize: '1' } });
    expect(apiKey.services[0].auth).toMatchObject({ type: 'basic', username: '${secret.apiKeySid}' });
  });

  it('cloudflare: global-key checks GET /user, account-token the account verify endpoint', async () => {
    expect((await provider('template: cloudflare\n')).healthCheck?.path).toBe('/user/tokens/verify');
    expect((await provider('template: cloudflare\nauthOption: global-key\nconnection: { email: a@example.com }\n')).healthCheck?.path).toBe('/user');
    expect((await provider('template: cloudflare\nauthOption: account-token\nconnection: { accountId: 023e105f4ecef8ad9ca31a8372d0c353 }\n')).healthCheck?.path).toBe('/accounts/${connection.accountId}/tokens/verify');
  });

  it('here oauth and flutterwave v4-oauth check by obtaining a token', async () => {
    expect((await provider('template: here\n')).healthCheck?.kind).toBe('request');
    expect((await provider('template: here\nauthOption: oauth\n')).healthCheck?.kind).toBe('token');
    expect((await provider('template: flutterwave\nauthOption: v4-oauth\n')).healthCheck?.kind).toBe('token');
  });

  it("flutterwave v4-oauth: the option's base URL, below the instance's connection.baseUrl", async () => {
    const v3 = await provider('template: flutterwave\n');
    expect(v3.baseUrl).toBe('https://api.flutterwave.com/v3');
    const v4 = await provider('template: flutterwave\nauthOption: v4-oauth\n');
    expect(v4.baseUrl).toBe('https://f4bexperience.flutterwave.com');
    expect(v4.services.map((s) => s.baseUrl)).toEqual(v4.services.map(() => 'https://f4bexperience.flutterwave.com'));
    const sandbox = await provider('template: flutterwave\nauthOption: v4-oauth\nconnection: { baseUrl: "https://developersandbox-api.flutterwave.com" }\n');
    expect(sandbox.baseUrl).toBe('https://developersandbox-api.flutterwave.com');
    expect(sandbox.services[0].baseUrl).toBe('https://developersandbox-api.flutterwave.com');
  });

  it("a service's own base URL is kept whatever the option", async () => {
    const p = await provider(`definition:
  name: X
  category: Custom
  baseUrl: https://v1.example.com
  credentials: { k: { title: K } }
  auth: { type: bearer, token: "\${secret.k}" }
  authOptions:
    v2: { baseUrl: "https://v2.example.com", auth: { type: bearer, token: "\${secret.k}" } }
  services:
    - { id: api, protocol: http }
    - { id: files, protocol: http, baseUrl: "https://files.example.com" }
authOption: v2
`);
    expect(p.services.map((s) => [s.id, s.baseUrl])).toEqual([['api', 'https://v2.example.com'], ['files', 'https://files.example.com']]);
  });

  it("an option's base URL is checked like the others (no metadata addresses)", async () => {
    const r = await validate({
      'providers/p.yaml': `id: p\nname: P\nenvironment: prod\nauthOption: v2\ndefinition:
  name: X
  category: Custom
  baseUrl: https://v1.example.com
  auth: { type: none }
  authOptions:
    v2: { baseUrl: "http://169.254.169.254/latest", auth: { type: none } }
  services: [{ id: api, protocol: http }]
`,
    });
    expect(r.errors.map((e) => e.code)).toContain('SIL_BASE_URL_FORBIDDEN');
  });
});

describe('template checks of derive and a per-instance algorithm', () => {
  const definition = (extra: string) => `id: p\nname: P\nenvironment: prod\ndefinition:
  name: X
  category: Custom
  baseUrl: https://api.example.com
  credentials: { apiKey: { title: Key } }
  auth: { type: bearer, token: "\${secret.apiKey}" }
  services: [{ id: api, protocol: http }]
${extra}`;

  it('derive must read a declared credential, with a capturing group, and only on connection fields', async () => {
    const messages = async (extra: string) => (await validate({ 'providers/p.yaml': definition(extra) })).errors.map((e) => e.message);
    expect(await messages('  connection: { dc: { optional: true, derive: { from: apiKey, pattern: "-(\\\\w+)$" } } }\n')).toEqual([]);
    expect(await messages('  connection: { dc: { optional: true, derive: { from: token, pattern: "-(\\\\w+)$" } } }\n')).toEqual(['connection.dc is derived from "token", which is not a declared credential']);
    expect(await messages('  connection: { dc: { optional: true, derive: { from: apiKey, pattern: "-\\\\w+$" } } }\n')).toEqual(['connection.dc.derive.pattern has no capturing group']);
    expect(await messages('  connection: { dc: { optional: true, derive: { from: apiKey, pattern: "-(\\\\w+$" } } }\n')).toEqual(expect.arrayContaining([expect.stringContaining('derive.pattern')]));
  });

  it('a health check may name a service of the template for its auth and host, and only one it has', async () => {
    const check = (service: string) => definition(`  healthCheck: { kind: request, path: /ping, service: ${service} }\n`);
    expect((await validate({ 'providers/p.yaml': check('api') })).errors).toEqual([]);
    const bad = await validate({ 'providers/p.yaml': check('apo') });
    expect(bad.errors.map((e) => `${e.code} ${e.message}`)).toEqual(['SIL_CONFIG_TEMPLATE the health check uses service "apo", which the template does not have (did you mean "api"?)']);
  });

  it('an algorithm written ${connection.x} needs a field whose enum lists only sha1, sha256, sha512', async () => {
    const scheme = (field: string) =>
      definition(`  connection: { algo: ${field} }\n`).replace('services: [{ id: api, protocol: http }]', 'services: [{ id: api, protocol: http, auth: { type: hmac-signature, style: sorted-params-digest, algorithm: "${connection.algo}", secret: "${secret.apiKey}" } }]');
    expect((await validate({ 'providers/p.yaml': scheme('{ enum: [sha1, sha256], default: sha1 }') })).errors).toEqual([]);
    const bad = await validate({ 'providers/p.yaml': scheme('{ enum: [sha1, md5], default: sha1 }') });
    expect(bad.errors.map((e) => e.message)).toEqual(['connection.algo picks the hmac-signature algorithm, so its enum must list only sha1, sha256, sha512']);
    const free = await validate({ 'providers/p.yaml': scheme('{ default: sha1 }') });
    expect(free.errors.map((e) => e.code)).toEqual(['SIL_CONFIG_TEMPLATE']);
  });

  it('an instance value outside the enum is refused when the config is validated', async () => {
    const r = await validate({ 'providers/p.yaml': 'id: p\nname: P\nenvironment: prod\ntemplate: cloudinary\nconnection: { cloudName: demo, signatureAlgorithm: md5 }\n' });
    expect(r.errors.map((e) => e.message)).toEqual(['connection.signatureAlgorithm must be one of "sha1", "sha256"']);
  });
});
