// The mailchimp catalog template against a mock of the Marketing API 3.0 for one data center
// (test/mocks/providers/mailchimp.ts): Basic anystring:<key> on https://<dc>.api.mailchimp.com,
// problem+json errors, the pass-through door and the /ping health check.
import { createHash } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startMailchimpMock, type MailchimpMock } from '../../mocks/providers/mailchimp.ts';

const basicOf = (r: { headers: Record<string, unknown> }) => Buffer.from(String(r.headers.authorization).replace(/^Basic /, ''), 'base64').toString('utf8');

describe('mailchimp template', () => {
  let mock: MailchimpMock;
  const host = () => `https://${mock.dc}.api.mailchimp.com`;
  const origins = () => ({ [host()]: mock.url });

  beforeAll(async () => {
    mock = await startMailchimpMock();
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('auth contract: Basic anystring:<key> on https://<dc>.api.mailchimp.com/3.0; a wrong key gets 401 problem+json "API Key Invalid"', async () => {
    const req = await renderForTemplate({ template: 'mailchimp', service: 'audiences', connection: { dc: mock.dc }, secret: { apiKey: mock.apiKey }, origins: origins() });
    expect(req.url.pathname).toBe('/3.0/lists');
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ total_items: 1 });
    expect(basicOf(mock.received.at(-1)!)).toBe(`anystring:${mock.apiKey}`);

    const wrong = await sendRendered(await renderForTemplate({ template: 'mailchimp', service: 'audiences', connection: { dc: mock.dc }, secret: { apiKey: `ffffffffffffffffffffffffffffffff-${mock.dc}` }, origins: origins() }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await wrong.json()).toMatchObject({ type: 'https://mailchimp.com/developer/marketing/docs/errors/', title: 'API Key Invalid', status: 401, detail: expect.stringContaining('wrong datacenter'), instance: expect.any(String) });
  });

  it('auth contract: a key of another data center sent to this data center\'s host is refused', async () => {
    const res = await sendRendered(await renderForTemplate({ template: 'mailchimp', service: 'api', connection: { dc: mock.dc }, secret: { apiKey: mock.apiKey.replace(/-[a-z]+[0-9]+$/, '-us21') }, origins: origins(), path: '/ping' }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ title: 'API Key Invalid' });
  });

  describe('through the hub', () => {
    let hub: TemplateHub;
    beforeAll(async () => {
      hub = await startTemplateHub({
        template: 'mailchimp', origins: origins(), connection: { dc: mock.dc }, secret: { apiKey: mock.apiKey },
        bindings: { audiences: { protocol: 'http', service: 'audiences' } },
      });
    });
    afterAll(async () => {
      await hub?.stop();
    });

    it('via proxy: POST /bind/audiences/<list>/members adds a member with Basic anystring:<key>', async () => {
      const before = mock.received.length;
      const res = await hub.door('/bind/audiences/a1b2c3d4e5/members', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email_address: 'Ada@Example.com', status: 'subscribed' }) });
      expect(res.status).toBe(200);
      // The member id is the MD5 of the lower-cased address (Mailchimp's subscriber hash).
      expect(await res.json()).toMatchObject({ id: createHash('md5').update('ada@example.com').digest('hex'), email_address: 'Ada@Example.com', status: 'subscribed', list_id: 'a1b2c3d4e5' });
      const posts = mock.received.slice(before).filter((r) => r.method === 'POST');
      expect(posts.map((r) => r.path)).toEqual(['/3.0/lists/a1b2c3d4e5/members']);
      expect(basicOf(posts[0])).toBe(`anystring:${mock.apiKey}`);
      expect(mock.members.map((m) => m.email_address)).toContain('Ada@Example.com');
    });

    it('via proxy: a validation error passes through as problem+json "Invalid Resource" with its errors array', async () => {
      const res = await hub.door('/bind/audiences/a1b2c3d4e5/members', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email_address: 'bob@example.com', status: 'maybe' }) });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ title: 'Invalid Resource', status: 400, errors: [{ field: 'status' }] });
    });
  });

  it('health check: GET /3.0/ping ("Everything\'s Chimpy!") is ok; fails (401) once the key is revoked', async () => {
    const own = await startMailchimpMock({ dc: 'us14', apiKey: '00112233445566778899aabbccddeeff-us14' });
    const hub = await startTemplateHub({ template: 'mailchimp', origins: { 'https://us14.api.mailchimp.com': own.url }, connection: { dc: 'us14' }, secret: { apiKey: own.apiKey }, bindings: { audiences: { protocol: 'http', service: 'audiences' } } });
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
      expect(own.received.some((r) => r.path === '/3.0/ping' && basicOf(r) === `anystring:${own.apiKey}`)).toBe(true);
      own.revoke();
      const failed = await hub.healthProbe();
      expect(failed).toMatchObject({ ok: false, status: 401 });
      expect(JSON.stringify(failed)).not.toContain(own.apiKey);
    } finally {
      await hub.stop();
      await own.close();
    }
  });

  it('health check: with no connection.dc the data center comes from the key\'s suffix (-us19): /ping and the door reach https://us19.api.mailchimp.com', async () => {
    const own = await startMailchimpMock({ dc: 'us19', apiKey: 'ffeeddccbbaa99887766554433221100-us19' });
    const hub = await startTemplateHub({ template: 'mailchimp', origins: { 'https://us19.api.mailchimp.com': own.url }, secret: { apiKey: own.apiKey }, bindings: { audiences: { protocol: 'http', service: 'audiences' } } });
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
      expect(own.received.some((r) => r.path === '/3.0/ping' && basicOf(r) === `anystring:${own.apiKey}`)).toBe(true);
      const res = await hub.door('/bind/audiences');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ lists: [{ id: 'a1b2c3d4e5' }] });
      expect(own.received.filter((r) => r.path === '/3.0/lists')).toHaveLength(1);
    } finally {
      await hub.stop();
      await own.close();
    }
  });
});
