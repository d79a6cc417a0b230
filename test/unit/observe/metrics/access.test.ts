import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { decideScrape, tokenMatches, type ScrapeCaller } from '../../../../server/observe/metrics/access.ts';
import type { Settings } from '../../../../server/config/snapshot.ts';

const TOKEN = 'scrape-token-for-tests-0123456789';
const HASH = createHash('sha256').update(TOKEN).digest('hex');
const settings = (metrics?: Settings['metrics']): Settings => ({ security: {}, defaults: {}, ...(metrics ? { metrics } : {}) }) as unknown as Settings;
const caller = (address: string, extra: Partial<ScrapeCaller> = {}): ScrapeCaller => ({ peer: address, address, forwarded: false, ...extra });

describe('who may scrape /metrics', () => {
  it('without a metrics block: loopback callers only', () => {
    expect(decideScrape(settings(), caller('127.0.0.1'))).toEqual({ allowed: true, by: 'loopback' });
    expect(decideScrape(settings(), caller('::1'))).toEqual({ allowed: true, by: 'loopback' });
    expect(decideScrape(settings(), caller('::ffff:127.0.0.1'))).toEqual({ allowed: true, by: 'loopback' });
    expect(decideScrape(settings(), caller('10.1.2.3'))).toMatchObject({ allowed: false });
    // A token means nothing when no hash is configured.
    expect(decideScrape(settings(), caller('10.1.2.3', { authorization: `Bearer ${TOKEN}` }))).toMatchObject({ allowed: false });
  });

  it('without a metrics block: a loopback peer relaying someone (unresolved X-Forwarded-For) is not local', () => {
    expect(decideScrape(settings(), caller('127.0.0.1', { forwarded: true }))).toMatchObject({ allowed: false });
    // A trusted proxy resolved the caller to a loopback address: local.
    expect(decideScrape(settings(), { peer: '10.0.0.5', address: '127.0.0.1', forwarded: true })).toMatchObject({ allowed: true });
  });

  it('before any config is live: loopback only', () => {
    expect(decideScrape(undefined, caller('127.0.0.1'))).toMatchObject({ allowed: true });
    const d = decideScrape(undefined, caller('192.0.2.1'));
    expect(d).toMatchObject({ allowed: false });
    expect(!d.allowed && d.why).toContain('no config is live');
  });

  it('with an allowlist: addresses in it (v4 and v6 ranges), and no loopback exemption', () => {
    const s = settings({ allowlist: ['10.0.0.0/8', '2001:db8::/32'] });
    expect(decideScrape(s, caller('10.9.8.7'))).toEqual({ allowed: true, by: 'allowlist' });
    expect(decideScrape(s, caller('::ffff:10.9.8.7'))).toEqual({ allowed: true, by: 'allowlist' });
    expect(decideScrape(s, caller('2001:db8::1'))).toEqual({ allowed: true, by: 'allowlist' });
    expect(decideScrape(s, caller('11.0.0.1'))).toMatchObject({ allowed: false });
    const local = decideScrape(s, caller('127.0.0.1'));
    expect(local.allowed).toBe(false);
    expect(!local.allowed && local.why).toBe('127.0.0.1 is not in metrics.allowlist and no bearer token was sent');
    expect(decideScrape(settings({ allowlist: ['10.0.0.0/8', '127.0.0.1'] }), caller('127.0.0.1'))).toMatchObject({ allowed: true });
  });

  it('the address is the one resolved through trusted proxies, not the peer', () => {
    const s = settings({ allowlist: ['203.0.113.0/24'] });
    expect(decideScrape(s, { peer: '10.0.0.1', address: '203.0.113.9', forwarded: true })).toMatchObject({ allowed: true });
    expect(decideScrape(s, { peer: '203.0.113.9', address: '198.51.100.1', forwarded: true })).toMatchObject({ allowed: false });
  });

  it('an empty allowlist admits no address (unlike the console allowlist)', () => {
    expect(decideScrape(settings({ allowlist: [] }), caller('127.0.0.1'))).toMatchObject({ allowed: false });
    expect(decideScrape(settings({}), caller('127.0.0.1'))).toMatchObject({ allowed: false });
  });

  it('with a scrape token hash: the right bearer token from any address', () => {
    const s = settings({ scrapeTokenSha256: HASH });
    expect(decideScrape(s, caller('198.51.100.7', { authorization: `Bearer ${TOKEN}` }))).toEqual({ allowed: true, by: 'token' });
    expect(decideScrape(s, caller('198.51.100.7', { authorization: `bearer ${TOKEN}` }))).toMatchObject({ allowed: true });
    const wrong = decideScrape(s, caller('198.51.100.7', { authorization: `Bearer ${TOKEN}x` }));
    expect(wrong).toEqual({ allowed: false, why: 'the bearer token does not match metrics.scrapeTokenSha256' });
    expect(decideScrape(s, caller('198.51.100.7', { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` }))).toMatchObject({ allowed: false });
    expect(decideScrape(s, caller('198.51.100.7'))).toMatchObject({ allowed: false });
    // Loopback is not exempt once the block exists.
    expect(decideScrape(s, caller('127.0.0.1'))).toMatchObject({ allowed: false });
  });

  it('compares the token by its SHA-256 only', () => {
    expect(tokenMatches(TOKEN, HASH)).toBe(true);
    expect(tokenMatches(TOKEN, HASH.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).toBe(false);
    expect(tokenMatches(TOKEN, 'abc')).toBe(false);
    expect(tokenMatches('', createHash('sha256').update('').digest('hex'))).toBe(true);
  });
});
