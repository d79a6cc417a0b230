// Connection fields derived from a credential (field spec `derive`), as Mailchimp's data center
// is the API key's suffix: the spec compiled, the value taken per key, and the request rendered
// with it.
import { describe, it, expect } from 'vitest';
import { deriveValue, derivedFields, withDerived } from '../../../server/config/derived-connection.ts';
import { compileProvider, compileSettings } from '../../../server/config/compile.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { renderRequest } from '../../../server/auth-schemes/render-request.ts';
import type { ProviderInstance, ProviderTemplate } from '../../../schemas/types.gen.ts';
import { caughtSync } from '../../helpers/caught.ts';

const mailchimp = projectCatalog().catalog.get('mailchimp')!;
const KEY = '0123456789abcdef0123456789abcdef-us21';

function instance(connection?: Record<string, string>): ProviderInstance {
  return { id: 'mc', name: 'Mailchimp', environment: 'prod', template: 'mailchimp', ...(connection ? { connection } : {}) };
}

describe('derived connection values', () => {
  it('mailchimp: dc is optional and derived from the API key suffix', () => {
    expect(mailchimp.connection?.dc).toMatchObject({ optional: true, derive: { from: 'apiKey', pattern: '-([a-z]+[0-9]+)$' } });
    const [field] = derivedFields(mailchimp, undefined)!;
    expect(deriveValue(field, { apiKey: KEY })).toBe('us21');
    expect(deriveValue(field, { apiKey: 'no-suffix-here-' })).toBeUndefined();
    expect(deriveValue(field, {})).toBeUndefined();
  });

  it('a field the instance sets is not derived; the instance value wins', () => {
    expect(derivedFields(mailchimp, { dc: 'us6' })).toBeUndefined();
    const p = compileProvider(instance({ dc: 'us6' }), mailchimp, compileSettings(undefined));
    expect(p.derived).toBeUndefined();
    expect(p.baseUrl).toBe('https://us6.api.mailchimp.com/3.0');
    expect(withDerived(p.connection, p.derived, { apiKey: KEY })).toBe(p.connection);
  });

  it('the compiled provider keeps the placeholder; each key renders its own data center', () => {
    const p = compileProvider(instance(), mailchimp, compileSettings(undefined));
    expect(p.baseUrl).toBe('https://${connection.dc}.api.mailchimp.com/3.0');
    const render = (apiKey: string) =>
      renderRequest({ baseUrl: p.baseUrl, path: '/ping', auth: p.services[0].auth }, { connection: withDerived(p.connection, p.derived, { apiKey }), secret: { apiKey }, now: () => new Date() });
    expect(render(KEY).url.href).toBe('https://us21.api.mailchimp.com/3.0/ping');
    expect(render('fedcba9876543210fedcba9876543210-us6').url.href).toBe('https://us6.api.mailchimp.com/3.0/ping');
    expect(render(KEY).headers.Authorization).toBe(`Basic ${Buffer.from(`anystring:${KEY}`).toString('base64')}`);
  });

  it('a key without a derivable value is not sent anywhere: the base URL does not render', () => {
    const p = compileProvider(instance(), mailchimp, compileSettings(undefined));
    const err = caughtSync(() => renderRequest({ baseUrl: p.baseUrl, path: '/ping' }, { connection: withDerived(p.connection, p.derived, { apiKey: 'nodash' }), secret: { apiKey: 'nodash' }, now: () => new Date() }));
    expect(err.message).toBe('base URL: the host has an empty part once rendered (a connection field without a value?)');
  });

  it("a derived value must match the field's pattern (it may land in a host name)", () => {
    const def = { connection: { host: { pattern: '^[a-z0-9]+$', optional: true, derive: { from: 'token', pattern: '@(.+)$' } } } } as Pick<ProviderTemplate, 'connection'>;
    const fields = derivedFields(def, undefined)!;
    expect(withDerived({}, fields, { token: 'x@eu1' })).toEqual({ host: 'eu1' });
    expect(withDerived({}, fields, { token: 'x@evil.example/' })).toEqual({});
  });

  it('a derived value replaces a default; results are remembered per connection and secret object', () => {
    const def = { connection: { region: { default: 'us', derive: { from: 'key', pattern: '^([a-z]{2})-' } } } } as Pick<ProviderTemplate, 'connection'>;
    const fields = derivedFields(def, undefined)!;
    const connection = Object.freeze({ region: 'us' });
    const secret = { key: 'eu-123' };
    const a = withDerived(connection, fields, secret);
    expect(a).toEqual({ region: 'eu' });
    expect(withDerived(connection, fields, secret)).toBe(a);
    expect(withDerived(connection, fields, { key: 'nothing' })).toEqual({ region: 'us' });
  });
});
