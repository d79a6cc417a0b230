import { describe, it, expect } from 'vitest';
import { assertBaseUrl, checkBaseUrl, classifyAddress, isLinkLocal, isMetadata, type Resolve } from '../../../server/core/private-address.ts';
import { caught } from '../../helpers/caught.ts';

const dns = (table: Record<string, string[]>): Resolve => async (host) => {
  const list = table[host];
  if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('private addresses', () => {
  it('classifies link-local and metadata addresses, IPv4 and IPv6', () => {
    expect(classifyAddress('169.254.169.254')).toBe('metadata');
    expect(classifyAddress('fd00:ec2::254')).toBe('metadata');
    expect(classifyAddress('100.100.100.200')).toBe('metadata');
    expect(classifyAddress('::ffff:169.254.169.254')).toBe('metadata');
    expect(classifyAddress('64:ff9b::a9fe:a9fe')).toBe('metadata');
    expect(classifyAddress('169.254.1.2')).toBe('link-local');
    expect(classifyAddress('fe80::1')).toBe('link-local');
    expect(classifyAddress('febf:ffff::1')).toBe('link-local');
    expect(classifyAddress('fe80::1%eth0')).toBe('link-local');
    expect(classifyAddress('2002:a9fe:a9fe::1')).toBe('link-local');
    for (const other of ['127.0.0.1', '::1', '10.0.0.1', '192.168.1.1', '172.16.0.1', 'fc00::1', '8.8.8.8', '2001:db8::1', 'fec0::1', '169.255.0.1', 'junk']) {
      expect(classifyAddress(other)).toBe('other');
    }
    expect(isLinkLocal('169.254.0.1')).toBe(true);
    expect(isMetadata('169.254.0.1')).toBe(false);
  });
});

describe('checkBaseUrl', () => {
  const resolve = dns({
    'api.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
    'metadata.internal': ['169.254.169.254'],
    'mixed.example.com': ['93.184.216.34', 'fe80::5'],
    localhost: ['127.0.0.1', '::1'],
  });

  it('allows public, private and loopback hosts', async () => {
    expect(await checkBaseUrl('https://api.example.com/v1', { allowPrivate: false, resolve })).toEqual({ ok: true, host: 'api.example.com', addresses: ['93.184.216.34', '2606:2800:220:1::1'] });
    expect((await checkBaseUrl('http://127.0.0.1:4010', { allowPrivate: false, resolve })).ok).toBe(true);
    expect((await checkBaseUrl('http://[::1]:4010/', { allowPrivate: false, resolve })).ok).toBe(true);
    expect((await checkBaseUrl('http://localhost:4010/', { allowPrivate: false, resolve })).ok).toBe(true);
    expect((await checkBaseUrl('http://10.1.2.3/', { allowPrivate: false, resolve })).ok).toBe(true);
  });

  it('refuses hosts that resolve to link-local or metadata addresses, when any address does', async () => {
    expect(await checkBaseUrl('http://metadata.internal/latest', { allowPrivate: false, resolve })).toEqual({
      ok: false, host: 'metadata.internal', address: '169.254.169.254', reason: 'metadata.internal resolves to 169.254.169.254, a cloud metadata endpoint',
    });
    expect(await checkBaseUrl('https://mixed.example.com', { allowPrivate: false, resolve })).toMatchObject({ ok: false, address: 'fe80::5', reason: expect.stringMatching(/link-local/) });
  });

  it('refuses literal addresses, also in the spellings URL parsers normalise', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/', 'http://[::ffff:a9fe:a9fe]/', 'http://0xa9.0xfe.0xa9.0xfe/', 'http://2852039166/', 'http://100.100.100.200/', 'http://[fe80::1]:8080/']) {
      const r = await checkBaseUrl(url, { allowPrivate: false, resolve });
      expect(r.ok, url).toBe(false);
    }
  });

  it('allows them all when security.allowPrivateBaseUrls is set', async () => {
    expect((await checkBaseUrl('http://169.254.169.254/', { allowPrivate: true, resolve })).ok).toBe(true);
    expect((await checkBaseUrl('http://metadata.internal/', { allowPrivate: true, resolve })).ok).toBe(true);
  });

  it('refuses what is not an http(s) URL; passes an unresolvable name with a warning', async () => {
    expect(await checkBaseUrl('not a url', { allowPrivate: false, resolve })).toMatchObject({ ok: false });
    expect(await checkBaseUrl('file:///etc/passwd', { allowPrivate: false, resolve })).toMatchObject({ ok: false, reason: expect.stringMatching(/scheme/) });
    expect(await checkBaseUrl('https://nowhere.invalid/', { allowPrivate: false, resolve })).toMatchObject({ ok: true, addresses: [], warning: expect.stringMatching(/ENOTFOUND/) });
  });

  it('throws SIL_BASE_URL_FORBIDDEN from assertBaseUrl', async () => {
    const err = await caught(assertBaseUrl('http://169.254.169.254/', { allowPrivate: false, resolve }));
    expect(err.code).toBe('SIL_BASE_URL_FORBIDDEN');
    expect(err.status).toBe(400);
    expect(await assertBaseUrl('https://api.example.com', { allowPrivate: false, resolve })).toHaveLength(2);
  });
});
